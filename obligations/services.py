"""Writes for enterprise obligations. Enterprise users write their own records; government
users may add remarks; the system (actor None) writes demo data. Every write records an event."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts import permissions as perms
from accounts.scope import scope_for
from core.events import record
from core.services import NotPermitted, ServiceError, bounded_decimal
from core.uploads import accept as accept_upload

from . import rules
from .models import (
    MANAGERS_REFUSAL,
    PARTICIPANTS_REFUSAL,
    CostRate,
    CostRateTable,
    EmergencyDrill,
    ObligationRule,
    Outsourcing,
    PrincipalCheck,
    Remark,
    ResponsibilityList,
    SafetyCostExtraction,
    SafetyOrganisation,
    SpecialWorker,
    StaffingRule,
    WorkPermit,
)
from .reference import ensure_defaults

# ---------------------------------------------------------------- who may write


def can_write_records(user, enterprise) -> bool:
    """Staff (not viewers) of the enterprise itself, or a superuser."""
    if user is None:
        return False
    if user.is_authenticated and user.is_superuser:
        return True
    return (perms.is_enterprise_user(user) and perms.can_write(user)
            and scope_for(user).enterprise_ids is not None and enterprise.pk in scope_for(user).enterprise_ids)


def can_remark(user, enterprise) -> bool:
    from enterprises.models import Enterprise

    return (perms.is_government(user) and perms.can_write(user)
            and Enterprise.objects.visible_to(user).filter(pk=enterprise.pk).exists())


def _require_writer(actor, enterprise) -> None:
    if actor is not None and not can_write_records(actor, enterprise):
        raise NotPermitted("只有本单位人员可以填报主体责任记录。")


def _not_future(day, field: str) -> None:
    if not isinstance(day, datetime.date):
        raise ServiceError("请填写有效日期。", field)
    if day > timezone.localdate():
        raise ServiceError("日期不能晚于今天。", field)


def _required(value, field: str, label: str) -> str:
    value = (value or "").strip() if isinstance(value, str) else value
    if not value:
        raise ServiceError(f"请填写{label}。", field)
    return value


# ---------------------------------------------------------------- rules as data


def rule(code: str, on: datetime.date | None = None) -> int:
    """The value of ``code`` under the version in force on ``on`` (default today; core.ruletables)."""
    from core.ruletables import in_force

    row = ObligationRule.objects.filter(code=code).first()
    if row is None:
        ensure_defaults()
        row = ObligationRule.objects.get(code=code)
    return in_force("obligations", row, on or timezone.localdate()).value


def principal_check_months(enterprise) -> int:
    return rule("principal_check_months_high_risk" if enterprise.high_risk else "principal_check_months")


def principal_study_months(enterprise) -> int:
    """Seed 002 item 8: 专题研究 each quarter, each month in high-risk sectors."""
    return rule("principal_study_months_high_risk" if enterprise.high_risk else "principal_study_months")


def drill_months_for(enterprise, on: datetime.date | None = None) -> int:
    """The enterprise's 应急演练周期 on ``on`` (default today): the strictest of its sectors' periods
    in force that day (rule table "sector-drills"; a sector whose first version is later than ``on``
    did not exist then), else the default rule of that day."""
    from core.ruletables import rows_in_force

    on = on or timezone.localdate()
    months = [s.drill_months for s in rows_in_force("sector-drills", enterprise.sectors.all(), on)]
    return rules.drill_months(months) if months else rule("drill_months_default", on)


def staffing_rule_for(enterprise, on: datetime.date | None = None) -> StaffingRule | None:
    from core.ruletables import in_force

    if not StaffingRule.objects.exists():
        ensure_defaults()
    row = (StaffingRule.objects.filter(high_risk=enterprise.high_risk, min_employees__lte=enterprise.employees)
           .order_by("-min_employees").first())
    return in_force("staffing", row, on or timezone.localdate())


def current_cost_table() -> CostRateTable | None:
    table = CostRateTable.objects.filter(is_current=True).order_by("-effective_from", "-version").first()
    if table is None:
        ensure_defaults()
        table = CostRateTable.objects.filter(is_current=True).order_by("-effective_from", "-version").first()
    return table


def compute_required_cost(table, industry: str, category: str, base, on: datetime.date | None = None) -> Decimal | None:
    """Required amount under ``table`` (its rates as in force on ``on``, default today) or None
    when the table has no rate for the industry."""
    from core.ruletables import rows_in_force

    qs = CostRate.objects.filter(table=table, industry=industry)
    if qs.filter(method__in=(CostRate.Method.FLAT, CostRate.Method.PER_TON)).exists():
        qs = qs.filter(category=category)
    bands = [(r.method, r.lower, r.upper, r.unit_rate if r.method == CostRate.Method.PER_TON else r.rate_percent)
             for r in rows_in_force("cost-rates", qs, on or timezone.localdate())]
    if not bands:
        return None
    return rules.required_cost(base, bands)


# ---------------------------------------------------------------- hazard ledger link

#: what each finding of a principal-led check carries (the hazard registration's own fields)
FINDING_FIELDS = ("description", "grade", "sector", "basis_item", "basis_reason", "deadline", "location")


def _finding_field(index: int, field: str | None) -> str:
    """The field a refusal of finding ``index`` (from 0) names: ``hazards.<index>.<field>``."""
    return f"hazards.{index}.{field or 'description'}"


def _register_findings(actor, check: PrincipalCheck, findings: list[dict]) -> list[int]:
    """File each finding of a principal-led check in the hazard ledger through
    ``hazards.services.register_hazard`` — the one registration path, with its checks (the sector
    one the enterprise may have hazards in, a 重大 one naming its standard item or a reason and a
    deadline …) and its effects (source, event, a 重大 one's alerts to the principal and the actual
    controller). Every finding is checked before any is written; a refusal names
    ``hazards.<n>.<field>`` and its message says which finding (第n条)."""
    from hazards import services as hazard_services

    cache: dict = {}
    entries = []
    for i, finding in enumerate(findings):
        fields = {k: finding.get(k) for k in FINDING_FIELDS if finding.get(k) not in (None, "")}
        fields = {"enterprise": check.enterprise, "channel": "self_check", "found_on": check.held_on,
                  "finder_name": check.leader, "grade": "general", "sector": None, "description": "", **fields}
        try:
            hazard_services.build_hazard(actor, cache=cache, check_only=True, **fields)
        except ServiceError as exc:
            exc.message = f"第{i + 1}条隐患：{exc.message}"
            if exc.code != "permission_denied":
                exc.field = _finding_field(i, exc.field)
            raise
        entries.append(fields)
    return [hazard_services.register_hazard(actor, source_reference=f"obligations.principal_check:{check.pk}", **fields).pk
            for fields in entries]


# ---------------------------------------------------------------- writes


def record_principal_check(actor, enterprise, *, kind: str = PrincipalCheck.Kind.CHECK, held_on, leader: str, participants: str,
                           findings: str = "", hazards: list[dict] | None = None) -> PrincipalCheck:
    """主要负责人带队检查 / 专题研究. ``hazards`` (a 带队检查 only): the hazards the check found, each a
    dict of FINDING_FIELDS — description, grade (一般/重大), sector (one the enterprise may have
    hazards in), basis_item / basis_reason (判定依据 of a 重大 one), deadline, location — registered
    in the ledger as 企业自查 hazards found on the check's day (``_register_findings``), their ids
    kept in ``hazard_ids``. Seeds 000/001/002: the principal checks the major hazards each quarter and
    keeps the 重大事故隐患台账 — so a finding may be 重大, not only 一般."""
    _require_writer(actor, enterprise)
    if kind not in PrincipalCheck.Kind.values:
        raise ServiceError("类型无效。", "kind")
    _not_future(held_on, "held_on")
    leader = _required(leader, "leader", "带队/主持人")
    participants = _required(participants, "participants", "参加人员")
    hazards = list(hazards or [])
    if hazards and kind != PrincipalCheck.Kind.CHECK:
        raise ServiceError("只有主要负责人带队检查可以登记发现的隐患。", "hazards")
    with transaction.atomic():
        check = PrincipalCheck.objects.create(enterprise=enterprise, kind=kind, held_on=held_on, leader=leader,
                                              participants=participants, findings=findings or "", created_by=actor)
        if hazards:
            check.hazard_ids = _register_findings(actor, check, hazards)
            check.save(update_fields=["hazard_ids"])
        record(actor, f"obligations.principal_{kind}", check, to_state="recorded",
               data={"enterprise": enterprise.pk, "hazards": check.hazard_ids})
    return check


def add_responsibility_list(actor, enterprise, *, kind: str, title: str, issued_on, text: str = "",
                            file=None) -> ResponsibilityList:
    _require_writer(actor, enterprise)
    if kind not in ResponsibilityList.Kind.values:
        raise ServiceError("清单类型无效。", "kind")
    _not_future(issued_on, "issued_on")
    title = _required(title, "title", "标题")
    if not (text or "").strip() and not file:
        raise ServiceError("请填写清单内容或上传文件。", "text")
    if file:
        file = accept_upload(file, "obligation_list").content  # core upload policy
    with transaction.atomic():
        row = ResponsibilityList(enterprise=enterprise, kind=kind, title=title, text=text or "", issued_on=issued_on,
                                 created_by=actor)
        if file:
            row.file = file
        row.save()
        record(actor, "obligations.list_added", row, to_state=kind, data={"enterprise": enterprise.pk})
    return row


def set_safety_organisation(actor, enterprise, *, has_institution: bool = False, institution_name: str = "",
                            full_time_managers: int = 0, part_time_managers: int = 0, as_of=None) -> SafetyOrganisation:
    _require_writer(actor, enterprise)
    as_of = as_of or timezone.localdate()
    _not_future(as_of, "as_of")
    if has_institution and not (institution_name or "").strip():
        raise ServiceError("已设置机构的，请填写机构名称。", "institution_name")
    for field, value in (("full_time_managers", full_time_managers), ("part_time_managers", part_time_managers)):
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value is None or not 0 <= value <= SafetyOrganisation.MAX_MANAGERS:  # small-integer columns
            raise ServiceError(MANAGERS_REFUSAL, field)
    with transaction.atomic():
        row = SafetyOrganisation.objects.create(
            enterprise=enterprise, has_institution=bool(has_institution), institution_name=institution_name or "",
            full_time_managers=int(full_time_managers), part_time_managers=int(part_time_managers), as_of=as_of,
            created_by=actor)
        record(actor, "obligations.safety_organisation_set", row, data={
            "enterprise": enterprise.pk, "institution": row.has_institution,
            "full_time": row.full_time_managers, "part_time": row.part_time_managers})
    return row


def add_special_worker(actor, enterprise, *, name: str, operation: str, certificate_no: str, issued_on,
                       reviewed_on=None, id_tail: str = "") -> SpecialWorker:
    """Register a certified worker; expiry (6 years) and 复审 due date (3 years) follow the rules."""
    _require_writer(actor, enterprise)
    name = _required(name, "name", "姓名")
    certificate_no = _required(certificate_no, "certificate_no", "证书编号")
    from .models import Operation

    if operation not in Operation.values:
        raise ServiceError("作业类别无效。", "operation")
    _not_future(issued_on, "issued_on")
    if reviewed_on is not None:
        _not_future(reviewed_on, "reviewed_on")
        if reviewed_on < issued_on:
            raise ServiceError("复审日期不能早于发证日期。", "reviewed_on")
    expires, review_due = rules.certificate_dates(issued_on, reviewed_on, rule("certificate_validity_years", issued_on),
                                                  rule("certificate_review_years", issued_on))
    with transaction.atomic():
        worker = SpecialWorker.objects.create(
            enterprise=enterprise, name=name, id_tail=id_tail or "", operation=operation, certificate_no=certificate_no,
            issued_on=issued_on, reviewed_on=reviewed_on, expires_on=expires, review_due_on=review_due, created_by=actor)
        record(actor, "obligations.worker_added", worker, data={"enterprise": enterprise.pk, "operation": operation})
    return worker


def certificate_problem(worker: SpecialWorker, operation: str, on) -> str | None:
    """Why ``worker`` may not do ``operation`` on ``on`` (None when certified)."""
    if worker.operation != operation:
        return f"{worker.name}持有的是“{worker.get_operation_display()}”证书，不能从事该作业。"
    if on < worker.issued_on:
        return f"{worker.name}的证书于{worker.issued_on}才取得。"
    if on > worker.expires_on:
        return f"{worker.name}的特种作业操作证已于{worker.expires_on}过期。"
    if on > worker.review_due_on:
        return f"{worker.name}的特种作业操作证应于{worker.review_due_on}前复审，逾期未复审。"
    return None


def add_work_permit(actor, enterprise, *, kind: str, operation: str, number: str, work_on, location: str,
                    approved_by: str, workers) -> WorkPermit:
    """本企业 作业票. Refused when a named worker has no valid certificate for the operation
    on the permit's date (wrong type, expired, 复审 overdue) or belongs to another enterprise."""
    _require_writer(actor, enterprise)
    from .models import Operation

    if kind not in WorkPermit.Kind.values:
        raise ServiceError("作业票类型无效。", "kind")
    if operation not in Operation.values:
        raise ServiceError("作业类别无效。", "operation")
    if not isinstance(work_on, datetime.date):
        raise ServiceError("请填写有效日期。", "work_on")
    number = _required(number, "number", "作业票编号")
    location = _required(location, "location", "作业地点")
    approved_by = _required(approved_by, "approved_by", "审批人")
    workers = list(workers or [])
    if not workers:
        raise ServiceError("作业票须列明作业人员。", "workers")
    for worker in workers:
        if worker.enterprise_id != enterprise.pk:
            raise ServiceError(f"{worker.name}不是本单位登记的特种作业人员。", "workers")
        problem = certificate_problem(worker, operation, work_on)
        if problem:
            raise ServiceError(problem + "无证人员不得上岗作业。", "workers")
    with transaction.atomic():
        permit = WorkPermit.objects.create(enterprise=enterprise, kind=kind, operation=operation, number=number,
                                           work_on=work_on, location=location, approved_by=approved_by, created_by=actor)
        permit.workers.set(workers)
        record(actor, "obligations.permit_added", permit, data={"enterprise": enterprise.pk,
                                                                 "workers": [w.pk for w in workers]})
    return permit


def add_outsourcing(actor, enterprise, *, kind: str, counterpart: str, start, scope: str = "", end=None,
                    qualification_ok=False, agreement_signed=False, duties_defined=False,
                    unified_management=False) -> Outsourcing:
    _require_writer(actor, enterprise)
    if kind not in Outsourcing.Kind.values:
        raise ServiceError("类型无效。", "kind")
    counterpart = _required(counterpart, "counterpart", "承包/承租单位")
    if not isinstance(start, datetime.date):
        raise ServiceError("请填写有效日期。", "start")
    if end is not None and end < start:
        raise ServiceError("结束日期不能早于开始日期。", "end")
    with transaction.atomic():
        row = Outsourcing.objects.create(
            enterprise=enterprise, kind=kind, counterpart=counterpart, scope=scope or "", start=start, end=end,
            qualification_ok=bool(qualification_ok), agreement_signed=bool(agreement_signed),
            duties_defined=bool(duties_defined), unified_management=bool(unified_management), created_by=actor)
        record(actor, "obligations.outsourcing_added", row, to_state="chaotic" if row.chaotic else "managed",
               data={"enterprise": enterprise.pk})
    return row


def add_drill(actor, enterprise, *, plan: str, held_on, scenario: str, participants, evaluation: str = "",
              kind: str = EmergencyDrill.Kind.SPECIAL) -> EmergencyDrill:
    _require_writer(actor, enterprise)
    if kind not in EmergencyDrill.Kind.values:
        raise ServiceError("演练类型无效。", "kind")
    plan = _required(plan, "plan", "应急预案")
    scenario = _required(scenario, "scenario", "演练情景")
    _not_future(held_on, "held_on")
    try:
        participants = int(participants)
    except (TypeError, ValueError):
        raise ServiceError("参演人数须为整数。", "participants")
    if not 1 <= participants <= EmergencyDrill.MAX_PARTICIPANTS:
        raise ServiceError(PARTICIPANTS_REFUSAL, "participants")
    with transaction.atomic():
        drill = EmergencyDrill.objects.create(enterprise=enterprise, kind=kind, plan=plan, held_on=held_on,
                                              scenario=scenario, participants=participants,
                                              evaluation=evaluation or "", created_by=actor)
        record(actor, "obligations.drill_added", drill, data={"enterprise": enterprise.pk})
    return drill


def _decimal(value, field: str, label: str, maximum: Decimal = SafetyCostExtraction.MAX_AMOUNT, places="0.01",
             unit: str = "") -> Decimal:
    """A non-negative number up to ``maximum`` (its column's bound), to ``places``; else refused on
    ``field`` (``core.services.bounded_decimal``)."""
    return bounded_decimal(value, field, label, high=maximum, places=places, unit=unit)


def add_cost_extraction(actor, enterprise, *, year: int, industry: str, base, amount, category: str = "",
                        ratio_percent=None, used_amount=0, use: str = "") -> SafetyCostExtraction:
    """Record a year's safety-cost extraction; the required amount comes from the current rate table."""
    _require_writer(actor, enterprise)
    today = timezone.localdate()
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ServiceError("年度无效。", "year")
    if year < SafetyCostExtraction.FIRST_YEAR or year > today.year:
        raise ServiceError("年度无效。", "year")
    industry = _required(industry, "industry", "适用行业")
    base = _decimal(base, "base", "计提依据")
    amount = _decimal(amount, "amount", "提取金额", unit="元")
    used_amount = _decimal(used_amount or 0, "used_amount", "使用金额", unit="元")
    ratio = None if ratio_percent in (None, "") else _decimal(
        ratio_percent, "ratio_percent", "提取比例", SafetyCostExtraction.MAX_RATIO_PERCENT, "0.001", "%")
    table = current_cost_table()
    if CostRate.objects.filter(table=table, industry=industry, method=CostRate.Method.FLAT).exists() and not \
            CostRate.objects.filter(table=table, industry=industry, category=category).exists():
        raise ServiceError("请选择该行业的工程类别。", "category")
    required = compute_required_cost(table, industry, category, base, min(datetime.date(year, 12, 31), today))
    if required is not None and required > SafetyCostExtraction.MAX_AMOUNT:  # base × rate: beyond its column
        raise ServiceError(f"按该计提依据计算的应提取金额超过{SafetyCostExtraction.MAX_AMOUNT}元，请核对计提依据"
                           "（煤炭生产、非煤矿山开采为产量，吨）。", "base")
    with transaction.atomic():
        row = SafetyCostExtraction.objects.create(
            enterprise=enterprise, year=year, industry=industry, category=category or "", base=base, amount=amount,
            ratio_percent=ratio, used_amount=used_amount, use=use or "", rate_table=table if required is not None else None,
            required_amount=required, created_by=actor)
        record(actor, "obligations.cost_added", row, to_state="below" if row.below_required else "ok",
               data={"enterprise": enterprise.pk, "required": str(required), "amount": str(amount)})
    return row


def add_remark(actor, enterprise, *, topic: str, text: str) -> Remark:
    if not can_remark(actor, enterprise):
        raise NotPermitted("只有辖区内的监管人员可以填写监管意见。")
    text = _required(text, "text", "意见")
    with transaction.atomic():
        row = Remark.objects.create(enterprise=enterprise, topic=(topic or "综合")[:40], text=text, created_by=actor)
        record(actor, "obligations.remark_added", row, data={"enterprise": enterprise.pk})
    return row
