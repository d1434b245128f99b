"""公文 about major hazards: 重大事故隐患报告表, 挂牌督办通知书, 隐患整改验收（销号）意见.
Each builder takes model instances and returns .docx bytes (documents.render)."""

from django.utils import timezone

from .render import new_document, paragraph, table, to_bytes


def _d(value) -> str:
    if not value:
        return "—"
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"


def _basis(hazard) -> str:
    item = hazard.basis_item
    if item is None:
        return f"无对应条款，判定理由：{hazard.basis_reason or '—'}"
    std = item.standard
    ref = item.official_ref or item.number
    return f"《{std.title}》{std.doc_number}{(' ' + ref) if ref else ''}：{item.summary_zh}"


def hazard_report_docx(hazard, viewer=None) -> bytes:
    """重大事故隐患报告表: enterprise, description, basis item, the plan's six elements, 双报告. The
    channel as ``viewer`` may see it (outside government — or no viewer — a tip's 举报核实 reads
    部门检查: hazards.disclosure)."""
    from hazards.disclosure import shown_label
    from hazards.workflow import PLAN_ELEMENTS

    ent = hazard.enterprise
    doc = new_document("重大事故隐患报告表", f"编号：{hazard.number}")
    table(doc, [
        ["单位名称", ent.name],
        ["统一社会信用代码", ent.credit_code],
        ["地址", ent.address or "—"],
        ["主要负责人及电话", f"{ent.principal_name or '—'} {ent.principal_phone}"],
        ["行业领域", str(hazard.sector)],
        ["隐患部位", hazard.location or "—"],
        ["隐患描述（现状及成因）", hazard.description],
        ["判定依据", _basis(hazard)],
        ["发现日期及渠道", f"{_d(hazard.found_on)} {shown_label(hazard.channel, viewer)}"],
        ["整改期限", _d(hazard.deadline)],
        ["整改责任人", f"{hazard.responsible_person or '—'} {hazard.responsible_phone}"],
        ["是否停产停业整改", "是" if hazard.stop_production else "否"],
        ["当前状态", hazard.get_status_display()],
    ], widths_mm=[45, 111])
    paragraph(doc, "治理方案（六要素）", bold=True)
    plan = getattr(hazard, "plan", None) if hasattr(hazard, "plan") else None
    if plan is None:
        paragraph(doc, "尚未制定治理方案。")
    else:
        rows = []
        for key, label in PLAN_ELEMENTS:
            value = getattr(plan, key)
            rows.append([label, _d(value) if key == "deadline" else str(value)])
        if plan.funds_amount is not None:
            rows.append(["治理资金（万元）", str(plan.funds_amount)])
        table(doc, rows, widths_mm=[45, 111])
    paragraph(doc, "双报告情况", bold=True)
    table(doc, [
        ["报告负有安全生产监督管理职责的部门", f"{hazard.reported_to.name}（{_d(hazard.reported_at)}）" if hazard.reported_to else "未报告"],
        ["报告职工大会或职工代表大会", _d(hazard.reported_to_congress_at) if hazard.reported_to_congress_at else "未报告"],
    ], widths_mm=[80, 76])
    paragraph(doc, f"主要负责人（签字）：                      报告日期：{_d(timezone.localdate())}", align="right")
    return to_bytes(doc)


def _lower_government(listing) -> str | None:
    """The government one level below the listing body where the hazard is (RULES.md §2, V 湖北:
    the notice goes out in the 安委会's name to the lower government): its township office, or the
    county / city 安委会 (the organisation of that region, whichever exists)."""
    from accounts.models import Organisation
    from core.models import REGION_LEVELS

    body_level = listing.listing_body.region.level
    levels = list(REGION_LEVELS)
    if body_level not in levels or levels.index(body_level) + 1 >= len(levels):
        return None
    lower = levels[levels.index(body_level) + 1]
    code = getattr(listing.hazard, f"{lower}_code", "")
    if not code:
        return None
    kind = Organisation.Kind.TOWNSHIP if lower == "township" else Organisation.Kind.COMMITTEE
    org = Organisation.objects.filter(kind=kind, region__code=code, is_active=True).order_by("pk").first()
    if org is None:
        return None
    return org.name.replace("办公室", "") if kind == Organisation.Kind.COMMITTEE else org.name


def _five_in_place(hazard) -> list[list[str]]:
    """The 五到位 of the governance plan (RULES.md §2: measures, funds, deadline, responsible person,
    emergency plan) as the notice prints them; a plan not made yet is said so."""
    plan = getattr(hazard, "plan", None) if hasattr(hazard, "plan") else None
    if plan is None:
        return [["治理方案", "尚未制定：生产经营单位须按六要素制定治理方案并报督办责任部门"]]
    funds = plan.funds_materials + (f"（{plan.funds_amount}万元）" if plan.funds_amount is not None else "")
    return [["措施到位", plan.measures], ["资金到位", funds], ["时限到位", _d(plan.deadline)],
            ["责任到位", plan.responsible], ["预案到位", plan.safety_emergency]]


def notice_issued(listing) -> bool:
    """A 挂牌督办通知书 exists once the 安委会 approved the listing (its number is given then): a proposal
    awaiting approval or declined has none — printing one would announce a 督办 never decided."""
    return bool(listing.notice_number)


def listing_notice_docx(listing) -> bytes:
    """挂牌督办通知书 in the 安委会's name to the lower government where the hazard is, the
    responsible department and the enterprise, with the plan's 五到位. Only for an approved listing
    (``notice_issued``); once 摘牌 it is still given out, headed 【已摘牌】 with the day."""
    hazard = listing.hazard
    ent = hazard.enterprise
    body_name = listing.listing_body.name.replace("办公室", "")
    doc = new_document("重大事故隐患挂牌督办通知书", listing.notice_number)
    if listing.delisted_at:
        paragraph(doc, f"【已摘牌】本督办事项已于{_d(listing.delisted_at)}摘牌，督办结束。", bold=True)
    addressees = [name for name in (_lower_government(listing), listing.responsible_department.name, ent.name) if name]
    paragraph(doc, f"{'、'.join(dict.fromkeys(addressees))}：")
    paragraph(doc, (f"经研究，决定对{ent.name}存在的重大事故隐患（{hazard.number}：{hazard.description}）"
                    f"实行{listing.get_level_display()}督办。现将有关要求通知如下："), align="justify")
    table(doc, [
        ["生产经营单位", ent.name],
        ["单位地址", ent.address or "—"],
        ["隐患描述", hazard.description],
        ["判定依据", _basis(hazard)],
        ["督办责任部门", listing.responsible_department.name],
        ["整改期限", _d(listing.deadline)],
        ["督办要求", listing.requirements],
        ["进展报告", f"每{listing.report_every_days}天向督办责任部门报告一次整改进展"],
    ], widths_mm=[40, 116])
    paragraph(doc, "治理方案“五到位”", bold=True)
    table(doc, _five_in_place(hazard), widths_mm=[40, 116])
    paragraph(doc, ("请属地政府和督办责任部门加强督促指导，生产经营单位落实治理方案（目标任务、措施、经费物资、机构人员、时限要求、"
                    "安全措施和应急预案），按期完成整改。整改完成并经验收销号后，可申请摘牌。"), align="justify")
    if listing.public_notice:
        paragraph(doc, "本督办事项将向社会公告。")
    paragraph(doc, body_name, align="right")
    paragraph(doc, _d(listing.approved_at or listing.proposed_at), align="right")
    return to_bytes(doc)


def acceptance_docx(acceptance) -> bytes:
    """隐患整改验收（销号）意见 for an accepted acceptance."""
    hazard = acceptance.hazard
    ent = hazard.enterprise
    doc = new_document("隐患整改验收（销号）意见", f"隐患编号：{hazard.number}")
    decider = acceptance.decided_by.get_full_name() if acceptance.decided_by else "—"
    table(doc, [
        ["生产经营单位", ent.name],
        ["隐患等级", hazard.get_grade_display()],
        ["隐患描述", hazard.description],
        ["判定依据", _basis(hazard) if hazard.grade == "major" or hazard.basis_item_id else "—"],
        ["整改完成情况", acceptance.evidence_note],
        ["第三方评估报告", acceptance.assessment_report or "—"],
        ["验收方式", acceptance.get_mode_display() or "—"],
        ["验收结论", acceptance.get_decision_display()],
        ["验收意见", acceptance.reason or "—"],
        ["验收单位", acceptance.decided_by_org.name if acceptance.decided_by_org else "—"],
        ["验收人", decider],
        ["验收日期", _d(acceptance.decided_at)],
        ["销号时间", _d(hazard.closed_at)],
    ], widths_mm=[40, 116])
    paragraph(doc, "经验收，该隐患已整改完毕，同意销号。" if acceptance.decision == "accepted" else "经验收，该隐患未整改到位。")
    paragraph(doc, f"验收单位（盖章）：{acceptance.decided_by_org.name if acceptance.decided_by_org else ''}", align="right")
    return to_bytes(doc)


CHINESE_ORDINALS = "一二三"


def site_order_docx(order) -> bytes:
    """现场处理措施决定书 of a major hazard (安全生产法 第六十五条第一款第（三）项): the unit, the hazard, the
    situation that cannot be kept safe, the measures ordered, when production may resume, the remedies
    (which do not stop the measures: 行政复议法 第四十二条, 行政诉讼法 第五十六条) and, once lifted, the review."""
    from hazards.site_orders import LAW

    hazard, ent = order.hazard, order.hazard.enterprise
    doc = new_document("现场处理措施决定书", f"文号：{order.number}")
    table(doc, [
        ["被检查单位", ent.name],
        ["统一社会信用代码", ent.credit_code],
        ["地址", ent.address or "—"],
        ["主要负责人", ent.principal_name or "—"],
        ["隐患编号", hazard.number],
        ["隐患描述", hazard.description],
        ["判定依据", _basis(hazard)],
    ], widths_mm=[40, 116])
    paragraph(doc, f"经检查，你单位存在上述重大事故隐患。鉴于：{order.reason}。依据{LAW}的规定，本机关决定：", align="justify")
    measures = order.measures
    for i, (ordinal, measure) in enumerate(zip(CHINESE_ORDINALS, measures, strict=False), 1):
        paragraph(doc, f"{ordinal}、责令{measure}{'。' if i == len(measures) else '；'}", align="justify")
    paragraph(doc, "重大事故隐患排除后，经本机关审查同意，方可恢复生产经营和使用。", align="justify")
    paragraph(doc, "如不服本决定，可以依法申请行政复议或者提起行政诉讼，但本决定不停止执行。", align="justify")
    if order.lifted_on:
        paragraph(doc, f"【已解除】经审查同意，本机关于{_d(order.lifted_on)}解除上述措施。审查意见：{order.lift_opinion}",
                  bold=True, align="justify")
    paragraph(doc, "")
    paragraph(doc, order.ordered_by_org.name, align="right")
    paragraph(doc, _d(order.ordered_on), align="right")
    return to_bytes(doc)


def compulsory_measure_docx(measure) -> bytes:
    """强制措施通知书 (安全生产法 第七十条: "通知应当采用书面形式，有关单位应当予以配合"): addressed to the units
    asked to stop the power or the civil explosives, naming the defied decision, the defiance, the real
    danger, the approval of the department's 主要负责人, when the measures take effect and how the unit
    was told (24 hours ahead of a power stop, save an emergency); once lifted, the lifting."""
    order = measure.site_order
    hazard = order.hazard
    return _compulsion_docx(measure, hazard.enterprise, [
        ["隐患编号", hazard.number],
        ["重大事故隐患", hazard.description],
        ["现场处理措施决定", f"{order.number}（{_d(order.ordered_on)}）：责令{'；'.join(order.measures)}"],
    ])


def suspension_compulsion_docx(measure) -> bytes:
    """强制措施通知书 of a 强制措施 enforcing a case's 责令停产停业整顿 (安全生产法 第七十条), as above."""
    decision = measure.suspension
    case = decision.case
    rows = [["案件编号", case.number], ["案由", case.title],
            ["责令停产停业整顿决定", f"{decision.number}（{_d(decision.decided_on)}）：责令停产停业整顿"
                                     + (f"，依据{decision.basis}" if decision.basis else "")]]
    if case.hazard_id is not None:
        rows.insert(1, ["重大事故隐患", f"{case.hazard.number} {case.hazard.description}"])
    return _compulsion_docx(measure, case.enterprise, rows)


def _compulsion_docx(measure, ent, decision_rows: list) -> bytes:
    """The notice to the units asked to stop the power or the civil explosives: the unit, the defied
    decision (``decision_rows``), the defiance and danger, the approval, when, the unit's notice, the lifting."""
    from hazards.site_orders import ART_70_CITATION

    measures = "、".join(measure.measures)
    doc = new_document("强制措施通知书", f"文号：{measure.number}")
    paragraph(doc, f"{measure.notified_units}：")
    table(doc, [
        ["生产经营单位", ent.name],
        ["统一社会信用代码", ent.credit_code],
        ["地址", ent.address or "—"],
        *decision_rows,
    ], widths_mm=[40, 116])
    paragraph(doc, f"上述单位存在重大事故隐患，本机关已依法作出上述决定。该单位拒不执行：{measure.defiance}。"
                   f"有发生生产安全事故的现实危险：{measure.danger}。", align="justify")
    paragraph(doc, f"依据{ART_70_CITATION}的规定，经本机关主要负责人（{measure.approved_by_name}）于{_d(measure.decided_on)}批准，"
                   f"请你单位自{timezone.localtime(measure.takes_effect_at):%Y年%m月%d日%H时%M分}起对该单位采取{measures}的措施，"
                   "强制其履行决定，并予以配合。", align="justify")
    if measure.emergency:
        paragraph(doc, f"因有危及生产安全的紧急情形（{measure.emergency_reason}），本措施未提前二十四小时通知该单位。",
                  align="justify")
    elif measure.enterprise_notified_at is not None:
        paragraph(doc, f"本机关已于{timezone.localtime(measure.enterprise_notified_at):%Y年%m月%d日%H时%M分}通知该单位。",
                  align="justify")
    paragraph(doc, "该单位依法履行行政决定、采取相应措施消除事故隐患的，本机关将及时通知你单位解除上述措施。", align="justify")
    if measure.lifted_on:
        paragraph(doc, f"【已解除】本机关于{_d(measure.lifted_on)}解除上述措施。履行决定、消除事故隐患的情况：{measure.lift_note}",
                  bold=True, align="justify")
    paragraph(doc, "")
    paragraph(doc, measure.decided_by_org.name, align="right")
    paragraph(doc, _d(measure.decided_on), align="right")
    return to_bytes(doc)
