"""The only code that writes tips. Each transition: guard (workflow.refusal), one transaction,
compare-and-set on the status, one event in the same transaction."""

import datetime
import hmac
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from accounts.scope import scope_for
from core.events import record
from core.security import log_security
from core.services import NotPermitted, ServiceError, StaleState, bounded_decimal, lock

from . import deadlines, protection, workflow
from .models import MAX_MONEY, Reward, RewardPolicy, Tip, TipAttachment, TipAttempt
from .routing import route
from .validators import TEXT_BOUNDS, check_point, check_uploads, clean_text, valid_phone

# Calendar or working days as the row says (tips.deadlines.DEFAULTS; RULES.md §1: handle within 60
# calendar days of acceptance; reward decided within 15 working days of the case closing, local example 荆州).
DEFAULT_DEADLINES = {stage: deadlines.DEFAULTS[stage][0] for stage in ("accept", "handle", "reward")}


# Writers split out of this module (the AST test core/tests/test_writers.py allows them): tip handling deadlines (extension, feedback, 复查) and reward-policy versions
SERVICE_MODULES = ('handling', 'rule_admin')

def deadline_days(stage: str, on: datetime.date | None = None) -> int:
    """Days of a stage under the DeadlineRule version in force on ``on`` (the date the stage
    started; default today). Calendar or working: ``tips.deadlines.rule``."""
    return deadlines.rule(stage, on)[0]


def _deadline(stage: str, start: datetime.date | None = None) -> datetime.date:
    """The stage's last day, in calendar or working days as its DeadlineRule row says."""
    return deadlines.due(stage, start)


# ---------------------------------------------------------------- rate limiting

#: The window of the public rate limit (``TIP_RATE_LIMIT_PER_HOUR`` attempts per address per hour).
#: It is also how long an attempt is kept: rate limiting needs nothing older (``purge_attempts``).
RATE_WINDOW = datetime.timedelta(hours=1)


def check_rate(kind: str, ip: str | None) -> None:
    """Record one attempt from ``ip``; refuse when the address already made too many this hour."""
    from django.conf import settings

    limit = getattr(settings, "TIP_RATE_LIMIT_PER_HOUR", 10)
    h = protection.ip_hash(ip)
    since = timezone.now() - RATE_WINDOW
    recent = TipAttempt.objects.filter(kind=kind, ip_hash=h, created_at__gte=since).count()
    TipAttempt.objects.create(kind=kind, ip_hash=h)
    if recent >= limit:
        raise ServiceError("操作过于频繁，请一小时后再试。", None, "rate_limited")


def purge_attempts(now=None) -> int:
    """Delete the rate-limit trail older than the window (periodic job ``tips.purge_attempts``).
    An address digest can be reversed by trying every IPv4 address with the key, so it is kept only
    while the limit needs it (RULES.md §1 identity protection). Returns how many were deleted."""
    deleted, _ = TipAttempt.objects.filter(created_at__lt=(now or timezone.now()) - RATE_WINDOW).delete()
    return deleted


# ---------------------------------------------------------------- submission

def submit_tip(actor=None, *, region, sector, address: str, content: str, enterprise=None, enterprise_name: str = "",
               longitude=None, latitude=None, anonymous: bool = True, name: str = "", phone: str = "",
               contact: str = "", internal_whistleblower: bool = False, files=(),
               channel: str = Tip.Channel.ONLINE) -> tuple[Tip, str]:
    """File a tip (public form, or staff entering a 12350 hotline call). Returns the tip and its
    tracking code — the code is never stored and must be shown to the reporter now. Nothing derived
    from the reporter's address is stored with the tip (identity protection, RULES.md §1)."""
    if channel == Tip.Channel.HOTLINE:
        if not hotline_allowed(actor):
            raise NotPermitted("只有政府工作人员可以代为录入热线举报。")
    if region is None or region.level != "township":
        raise ServiceError("请选择到乡镇（街道）一级。", "region")
    if sector is None:
        raise ServiceError("请选择行业领域。", "sector")
    address = clean_text(address, field="address", label="地址", max_length=200, required=True)
    content = clean_text(content, field="content", label="举报内容", max_length=5000, required=True)
    if len(content) < 10:
        raise ServiceError("举报内容至少写10个字，请说明隐患的具体情况。", "content")
    enterprise_name = clean_text(enterprise_name, field="enterprise_name", label="单位名称", max_length=150)
    if enterprise is not None:
        if enterprise.region_id != region.pk or enterprise.status != "operating":
            raise ServiceError("所选单位不在该乡镇（街道）或已不在经营。", "enterprise")
        enterprise_name = enterprise.name
    if enterprise is None and not enterprise_name:
        raise ServiceError("请选择或填写被举报单位名称。", "enterprise_name")
    check_point(longitude, latitude)
    name = clean_text(name, field="name", label="姓名", max_length=40)
    phone = clean_text(phone, field="phone", label="电话", max_length=20).replace(" ", "")
    contact = clean_text(contact, field="contact", label="其他联系方式", max_length=100)
    if internal_whistleblower:
        anonymous = False
        if not name:
            raise ServiceError("企业内部吹哨人须实名举报，请填写真实姓名。", "name")
        if not phone:
            raise ServiceError("企业内部吹哨人须留有效联系电话。", "phone")
    if not anonymous and not name:
        raise ServiceError("实名举报请填写姓名，或选择匿名举报。", "name")
    if phone and not valid_phone(phone):
        raise ServiceError("电话号码格式不正确（手机11位或区号-号码）。", "phone")
    if anonymous:
        name = phone = contact = ""
    uploads = check_uploads(list(files))
    org = route(region, sector)
    if org is None:
        raise ServiceError("该地区暂未开通举报受理单位。", "region")
    code = protection.new_tracking_code()
    now = timezone.now()
    with transaction.atomic():
        tip = Tip(
            tracking_prefix=protection.code_prefix(code), tracking_hash=protection.code_hash(code), channel=channel,
            region=region, address=address, longitude=longitude, latitude=latitude, enterprise=enterprise,
            enterprise_name=enterprise_name, sector=sector, content=content, anonymous=anonymous,
            internal_whistleblower=internal_whistleblower, reporter_name_enc=protection.encrypt(name),
            reporter_phone_enc=protection.encrypt(phone), reporter_contact_enc=protection.encrypt(contact),
            assigned_org=org, submitted_at=now, status_changed_at=now,
            accept_deadline=_deadline("accept"), entered_by=actor if channel == Tip.Channel.HOTLINE else None,
        )
        tip.set_region_codes(region)
        tip.save()
        for f, kind, ctype in uploads:
            TipAttachment.objects.create(tip=tip, kind=kind, file=f, content_type=ctype, size=f.size)
        record(actor, "tip.submitted", tip, to_state=tip.status,
               data={"channel": channel, "assigned_org": org.pk, "files": len(uploads)})
        _notify_unit(tip, "tip.new", f"新举报待受理：{tip.number}", f"{tip.sector} · {tip.enterprise_name}")
    return tip, code


def find_by_code(code: str) -> Tip | None:
    prefix = protection.code_prefix(code)
    if len(protection.normalise_code(code)) != 20:
        return None
    digest = protection.code_hash(code)
    for tip in Tip.objects.filter(tracking_prefix=prefix).select_related("assigned_org"):
        if hmac.compare_digest(tip.tracking_hash, digest):
            return tip
    return None


# ---------------------------------------------------------------- who acts

def hotline_allowed(actor) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    m = getattr(actor, "membership", None)
    return actor.is_superuser or bool(m and m.can_write and m.organisation.is_government)


def is_handler(actor, tip: Tip) -> bool:
    if actor is None:
        return True
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    m = getattr(actor, "membership", None)
    return bool(m and m.can_write and m.organisation_id == tip.assigned_org_id)


def covering_committee(actor, tip: Tip) -> bool:
    """A committee office whose region covers the tip (may reassign)."""
    if actor is not None and actor.is_superuser:
        return True
    scope = scope_for(actor)
    m = getattr(actor, "membership", None)
    return (scope.kind == "committee" and bool(m and m.can_write)
            and getattr(tip, f"{scope.level}_code") == scope.region_code)


def _transition(actor, tip: Tip, action: str, facts: workflow.Facts, *, note: str = "", data=None, **changes) -> Tip:
    reason = workflow.refusal(tip.status, action, facts)
    if reason:
        raise NotPermitted(reason) if not facts.is_handler else ServiceError(reason, None)
    old, new = tip.status, workflow.target(action)
    now = timezone.now()
    with transaction.atomic():
        n = Tip.objects.filter(pk=tip.pk, status=old).update(status=new, status_changed_at=now, **changes)
        if n != 1:
            raise StaleState()
        tip.refresh_from_db()
        record(actor, f"tip.{action}", tip, from_state=old, to_state=new, note=note, data=data or {})
    return tip


def accept(actor, tip: Tip, *, note: str = "") -> Tip:
    return _transition(actor, tip, "accept", workflow.Facts(is_handler=is_handler(actor, tip)), note=note,
                       accepted_at=timezone.now(), handle_deadline=_deadline("handle"))


def start_verification(actor, tip: Tip, *, note: str = "") -> Tip:
    return _transition(actor, tip, "start_verification", workflow.Facts(is_handler=is_handler(actor, tip)), note=note)


def _squash(text: str) -> str:
    return "".join((text or "").split())


def check_hazard_text(tip: Tip, description: str) -> None:
    """The handler writes the hazard's description; a copy of the tip's text is refused (it would
    reach the reported enterprise — RULES.md §1 identity protection: nothing passed to the
    reported party)."""
    desc = _squash(description)
    if not desc:
        raise ServiceError("请由核查人员撰写隐患描述（不得照抄举报内容）。", "description")
    content = _squash(tip.content)
    if content and (content in desc or (len(desc) >= 20 and desc in content)):
        raise ServiceError("隐患描述不得照抄举报内容，请根据核查情况重新撰写，以保护举报人。", "description")


def check_linked_hazard(actor, tip: Tip, hazard) -> None:
    """The ledger hazard a verification links (关联已有隐患) must be one the actor sees — out of scope
    is NotPermitted, which the pages answer as 404 before calling (``get_visible_or_404``), like an
    inspection finding's ledger hazard (``inspections.matching.match_refusal``) — and, when the tip
    names an enterprise on the platform, a hazard of that enterprise. A tip about an enterprise the
    reporter named in words only (``Tip.enterprise`` empty) has nothing to compare with: the handler
    identifies the enterprise by verifying, as ``register={"enterprise": …}`` does. System jobs
    (actor None) see everything."""
    from hazards.models import Hazard

    if actor is not None and not Hazard.objects.visible_to(actor).filter(pk=hazard.pk).exists():
        raise NotPermitted("该隐患不存在或不在您的管辖范围内。")
    if tip.enterprise_id is not None and hazard.enterprise_id != tip.enterprise_id:
        raise ServiceError(f"{hazard.number}不是被举报单位（{tip.enterprise.name}）的隐患，不能关联。", "hazard")


def verify(actor, tip: Tip, *, result: str, note: str, feedback: str = "", hazard=None, register: dict | None = None,
           fine_amount=None) -> Tip:
    """Record the verification result. A true / partly true tip links an existing ledger hazard
    (``hazard``: add_source) or registers a new one (``register``: register_hazard kwargs)."""
    from hazards import services as hazard_services

    if result not in workflow.RESULTS:
        raise ServiceError("请选择核查结果。", "result")
    note = clean_text(note, field="note", label="核查情况", max_length=5000, required=True)
    fine_amount = fine_amount_of(fine_amount)
    if result == workflow.RESULT_UNFOUNDED and (hazard is not None or register):
        raise ServiceError("核查不属实的举报不能关联隐患。", "hazard")
    facts = workflow.Facts(is_handler=is_handler(actor, tip), result=result)
    reason = workflow.refusal(tip.status, "verify", facts)
    if reason:
        raise NotPermitted(reason) if not facts.is_handler else ServiceError(reason, None)
    if hazard is not None:
        check_linked_hazard(actor, tip, hazard)
    with transaction.atomic():
        # The link tip → hazard lives on the tip (Tip.hazard); the hazard the enterprise reads gets
        # no reference, text or time of the tip (identity protection, RULES.md §1, 2013 opinion).
        if hazard is not None:
            hazard_services.add_source(actor, hazard, channel="tip", reference="", note="")
        elif register:
            register = dict(register)
            enterprise = register.pop("enterprise", None) or tip.enterprise
            if enterprise is None:
                raise ServiceError("登记隐患须先确定被举报单位。", "enterprise")
            if tip.enterprise_id is not None and enterprise.pk != tip.enterprise_id:
                raise ServiceError(f"核查登记的隐患须属于被举报单位（{tip.enterprise.name}），不能登记到{enterprise.name}。",
                                   "enterprise")
            check_hazard_text(tip, register.get("description", ""))
            register.pop("found_on", None)
            hazard = hazard_services.register_hazard(
                actor, enterprise=enterprise, sector=register.pop("sector", None) or tip.sector,
                channel="tip", source_reference="", finder_name="", **register)
        # Verification ends the handling (办结, docs/tips.md "Closing of the case"): the 10-day feedback
        # to the reporter (RULES.md §1) runs from here. A feedback written now is shown to the
        # reporter on the tracking page at once, so it is the feedback.
        from .handling import feedback_due

        now = timezone.now()
        feedback = clean_text(feedback, field="feedback", label="反馈", max_length=TEXT_BOUNDS["feedback"])
        fed_back = {"feedback_at": now} if feedback else {}
        tip = _transition(actor, tip, "verify", facts, note=note,
                          data={"result": result, "hazard": getattr(hazard, "pk", None), "feedback": bool(feedback)},
                          result=result, result_note=note, feedback=feedback, hazard=hazard, fine_amount=fine_amount,
                          verified_at=now, reward_deadline=_deadline("reward"),
                          feedback_due=feedback_due(timezone.localtime(now).date()), **fed_back)
    return tip


# ---------------------------------------------------------------- rewards

def compute_amount(policy: RewardPolicy, *, fine_amount=None, internal: bool = False, deaths=None) -> Decimal:
    """The amount under ``policy``: the base (per death, a share of the fine with its floor, or fixed),
    the internal whistle-blower's top-up, then the cap ``max_amount`` last (RULES.md §1 "at most 30
    万元", V; the +20 % is a local top-up, P) — unless the row allows the top-up above the cap."""
    if policy.kind == RewardPolicy.Kind.PER_DEATH:
        # 瞒报、谎报事故: per verified death by accident grade, capped (RULES.md §1)
        if deaths is None or int(deaths) < 1:
            raise ServiceError("举报瞒报、谎报事故的奖励须填写查实的死亡人数（至少1人）。", "deaths")
        amount = policy.fixed_amount * int(deaths)
    elif policy.kind == RewardPolicy.Kind.PERCENT_OF_FINE:
        if fine_amount is None or Decimal(fine_amount) < 0:
            raise ServiceError("按罚款比例计算奖励须填写罚款金额。", "fine_amount")
        amount = Decimal(fine_amount) * policy.percent / 100
        amount = max(amount, policy.min_amount)
    else:
        amount = policy.fixed_amount
    topup = (100 + policy.internal_topup_percent) / Decimal(100) if internal else Decimal(1)
    above_cap = internal and policy.topup_above_cap
    if not above_cap:
        amount = amount * topup
    if policy.max_amount:
        amount = min(amount, policy.max_amount)
    if above_cap:
        amount = amount * topup
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def fine_amount_of(value) -> Decimal | None:
    """A fine (元) as a form or a caller gives it: None when blank, else a Decimal of cents from 0 to
    ``MAX_MONEY`` (the numeric(12, 2) column) — refused on ``fine_amount`` otherwise
    (``core.services.bounded_decimal``)."""
    if value in (None, ""):
        return None
    return bounded_decimal(value, "fine_amount", "罚款金额", high=MAX_MONEY, unit="元")


def fine_base(tip: Tip, typed=None) -> tuple[Decimal | None, bool]:
    """The fine a reward is a share of (RULES.md §1: 15 % of the fine) and whether it is recorded on
    the tip now.

    The base is the tip's own recorded fine, ``Tip.fine_amount``: the 行政处罚 amount for the reported
    matter, entered with the verification (the closing of the case, docs/tips.md). Not the penalty
    decisions on the tip's hazard: a hazard is linked per hazard, not per reported matter — an
    existing ledger hazard may carry decisions that predate the tip or punish something else, and a
    case's link to a tip (``Case.origin``) is free text. A typed fine different from the recorded one
    is refused; when the verification recorded none (the penalty came later), the typed fine is
    recorded on the tip once, with the decision, and every later line uses it."""
    typed = fine_amount_of(typed)
    recorded = tip.fine_amount
    if recorded is None:
        return typed, typed is not None
    if typed is not None and typed != recorded:
        raise ServiceError(f"奖励按该举报登记的罚款金额（{recorded}元）计算，填写的{typed}元与之不符。", "fine_amount")
    return recorded, False


def decide_reward(actor, tip: Tip, *, policy: RewardPolicy, fine_amount=None, line: str = Reward.Line.REPORTER,
                  beneficiary: str = "", collect_note: str = "", deaths=None) -> Reward:
    """The handling unit decides a reward line (the first one moves the tip to reward_decided).
    Refused when the tip does not meet the 2018 办法 art. 6 condition (tips.reward_rules)."""
    from .reward_rules import reward_refusal, verified_deaths

    refusal = reward_refusal(tip, line)
    if refusal:
        raise ServiceError(refusal, "policy")
    if policy.code == "major" and tip.hazard is not None and tip.hazard.grade != "major":
        # RULES.md §1: 15 %, at least 3,000 元 for a verified 重大事故隐患 or illegal production — not
        # for a tip whose verification registered a 一般 hazard
        raise ServiceError(f"核查认定的隐患（{tip.hazard.number}）为一般隐患：“重大事故隐患”奖励标准不适用，请选择一般标准。",
                           "policy")
    if (policy.code != "major" and policy.kind != RewardPolicy.Kind.PER_DEATH and tip.hazard is not None
            and tip.hazard.grade == "major"):
        # RULES.md §1: a verified 重大事故隐患 is rewarded 15 % of the fine, at least 3,000 元 — not by
        # the 一般 fixed amount. The per-death standards reward a concealed accident, another matter.
        raise ServiceError(f"核查认定的隐患（{tip.hazard.number}）为重大事故隐患：应按“重大事故隐患”奖励标准"
                           f"（罚款金额的15%，最低3000元）决定奖励，不适用“{policy.name}”。", "policy")
    # the version of the policy in force on the day of the decision (versioned rule table)
    policy = RewardPolicy.in_force(policy.code, timezone.localdate()) or policy
    if line not in Reward.Line.values:
        raise ServiceError("奖励项无效。", "line")
    if not policy.is_active:
        raise ServiceError("该奖励标准已停用。", "policy")
    if line == Reward.Line.SECOND and not beneficiary.strip():
        raise ServiceError("一案双奖须写明第二受奖对象。", "beneficiary")
    if line == Reward.Line.REPORTER and tip.anonymous and not collect_note.strip():
        collect_note = "匿名举报人凭举报查询码到承办单位领取。"
    if not is_handler(actor, tip) or actor is None:
        raise NotPermitted("只有承办单位可以决定奖励。")
    fine_amount, record_fine = fine_base(tip, fine_amount)
    deaths = verified_deaths(tip, policy, deaths)
    amount = compute_amount(policy, fine_amount=fine_amount, deaths=deaths,
                            internal=tip.internal_whistleblower and line == Reward.Line.REPORTER)
    if amount <= 0:
        raise ServiceError("奖励金额须大于零。", "amount")
    if amount > MAX_MONEY:  # a standard without a cap: beyond the amount column a 500 on PostgreSQL
        raise ServiceError(f"奖励金额不能超过{MAX_MONEY}元，请核对奖励标准的最高金额。", "amount")
    with transaction.atomic():
        tip = lock(tip)  # serialised: one decision per line (also under a double submit)
        if Reward.objects.filter(tip=tip, line=line).exists():
            raise ServiceError("该奖励项已决定。", "line")
        if record_fine:  # the first recording of the tip's fine: every line of the tip shares it
            if Tip.objects.filter(pk=tip.pk, fine_amount__isnull=True).update(fine_amount=fine_amount) != 1:
                raise StaleState()
            tip.fine_amount = fine_amount
        if tip.status == workflow.VERIFIED:
            tip = _transition(actor, tip, "decide_reward", workflow.Facts(is_handler=True, result=tip.result))
        elif tip.status != workflow.REWARD_DECIDED:
            raise ServiceError("举报尚未核查属实，不能决定奖励。", None)
        reward = Reward.objects.create(tip=tip, line=line, beneficiary=beneficiary.strip(), policy=policy,
                                       fine_amount=fine_amount, amount=amount, organisation=tip.assigned_org,
                                       decided_by=actor, collect_note=collect_note.strip())
        record(actor, "tip.reward_decided", tip, data={
            "line": line, "amount": str(amount), "fine_amount": None if fine_amount is None else str(fine_amount),
            "fine_recorded": record_fine, "deaths": deaths})
    return reward


def approve_reward(actor, reward: Reward) -> Reward:
    """A leader of the handling unit, other than the decider, approves."""
    m = getattr(actor, "membership", None)
    if not (actor.is_superuser or (m and m.can_approve and m.organisation_id == reward.organisation_id)):
        raise NotPermitted("只有承办单位负责人可以审批奖励。")
    if actor.pk == reward.decided_by_id:
        raise NotPermitted("审批人不能与决定人为同一人。")
    with transaction.atomic():
        n = Reward.objects.filter(pk=reward.pk, status=Reward.Status.DECIDED).update(
            status=Reward.Status.APPROVED, approved_by=actor, approved_at=timezone.now())
        if n != 1:
            raise StaleState()
        reward.refresh_from_db()
        record(actor, "tip.reward_approved", reward.tip, data={"line": reward.line, "amount": str(reward.amount)})
    return reward


def pay_reward(actor, reward: Reward, *, paid_on: datetime.date, method: str, collected: bool = False) -> Reward:
    if not is_handler(actor, reward.tip):
        raise NotPermitted("只有承办单位可以登记奖励发放。")
    method = clean_text(method, field="method", label="发放方式", max_length=40, required=True)
    if paid_on is None or paid_on > timezone.localdate():
        raise ServiceError("发放日期不能晚于今天。", "paid_on")
    # a payment follows its approval: dated before it, it would be counted in a dispatch window that
    # had closed before the reward existed (DISPATCH_TABLE.md: each fact by the date it happened)
    reward.refresh_from_db(fields=["status", "approved_at"])
    if reward.approved_at is not None and paid_on < timezone.localtime(reward.approved_at).date():
        raise ServiceError(f"发放日期不能早于奖励审批日期（{timezone.localtime(reward.approved_at):%Y-%m-%d}）。", "paid_on")
    with transaction.atomic():
        n = Reward.objects.filter(pk=reward.pk, status=Reward.Status.APPROVED, approved_at=reward.approved_at).update(
            status=Reward.Status.PAID, paid_on=paid_on, method=method, collected=collected)
        if n != 1:
            raise ServiceError("奖励须先经审批才能发放。", None, "conflict")
        reward.refresh_from_db()
        record(actor, "tip.reward_paid", reward.tip, data={"line": reward.line, "amount": str(reward.amount),
                                                           "paid_on": paid_on.isoformat()})
    return reward


def close(actor, tip: Tip, *, feedback: str = "", no_reward_reason: str = "") -> Tip:
    """已办结 (after the reward is settled). A verified tip that meets the reward condition and has
    no reward is closed only with ``no_reward_reason`` (应奖尽奖, seed 002 item 24), kept on the tip
    and in the closing event. The feedback deadline was set at verification and is not moved; a
    feedback written here is told now, an earlier one keeps its time."""
    from .reward_rules import reward_refusal

    settled = not tip.rewards.exclude(status=Reward.Status.PAID).exists()
    reason = clean_text(no_reward_reason, field="no_reward_reason", label="未予奖励的理由", max_length=500)
    # verified true / partly true with no reward line yet (a line moves the tip to reward_decided)
    unrewarded = tip.status == workflow.VERIFIED and tip.result in (workflow.RESULT_TRUE, workflow.RESULT_PARTLY)
    refusal = reward_refusal(tip) if unrewarded else None  # not rewardable: the reason is the law's
    required = unrewarded and refusal is None
    facts = workflow.Facts(is_handler=is_handler(actor, tip), result=tip.result, rewards_settled=settled,
                           reward_required=required, no_reward_reason=reason)
    if facts.is_handler and required and not reason:
        raise ServiceError(workflow.refusal(tip.status, "close", facts), "no_reward_reason")
    new_feedback = clean_text(feedback, field="feedback", label="反馈", max_length=TEXT_BOUNDS["feedback"])
    feedback = new_feedback or tip.feedback
    now = timezone.now()
    fed_back = {"feedback_at": now} if new_feedback or (feedback and tip.feedback_at is None) else {}
    kept = {"no_reward_reason": reason} if required else {}
    data = {"no_reward_reason": reason} if required else ({"reward_refusal": refusal} if refusal else {})
    return _transition(actor, tip, "close", facts, note=f"未予奖励：{reason}" if required else "", data=data,
                       closed_at=now, feedback=feedback, **fed_back, **kept)


# ---------------------------------------------------------------- routing changes

def transfer(actor, tip: Tip, *, unit: str = "", reason: str, to_org: Organisation | None = None) -> Tip:
    """不属于本单位职责: to another unit on the platform (``to_org``, reassigned) or outside it."""
    unit = to_org.name if to_org is not None else clean_text(unit, field="unit", label="移交单位", max_length=120)
    reason = clean_text(reason, field="reason", label="移交理由", max_length=TEXT_BOUNDS["transfer_reason"])
    if not unit:
        raise ServiceError("请写明接收单位。", "unit")
    if not reason:
        raise ServiceError("请写明移交理由。", "reason")
    facts = workflow.Facts(is_handler=is_handler(actor, tip), transfer_unit=unit, transfer_reason=reason)
    if to_org is None:
        return _transition(actor, tip, "transfer", facts, note=reason, data={"unit": unit},
                           transfer_unit=unit, transfer_reason=reason, closed_at=timezone.now())
    if not to_org.is_government or to_org.pk == tip.assigned_org_id:
        raise ServiceError("请选择另一个政府单位。", "to_org")
    tip = _transition(actor, tip, "transfer_internal", facts, note=reason, data={"unit": unit, "to_org": to_org.pk},
                      transfer_unit=unit, transfer_reason=reason, assigned_org=to_org, accept_deadline=_deadline("accept"))
    _notify_unit(tip, "tip.transferred", f"移交举报待受理：{tip.number}", reason)
    return tip


def reassign(actor, tip: Tip, *, to_org: Organisation, reason: str) -> Tip:
    """The covering committee office gives the tip to another unit (status unchanged)."""
    if not covering_committee(actor, tip):
        raise NotPermitted("只有属地安委会办公室可以改派举报。")
    if tip.status in workflow.FINAL_STATES:
        raise ServiceError("已办结的举报不能改派。", None)
    if to_org is None or not to_org.is_government or to_org.county_code != tip.county_code:
        raise ServiceError("请选择本区县的政府单位。", "to_org")
    reason = clean_text(reason, field="reason", label="改派理由", max_length=TEXT_BOUNDS["reassign_reason"], required=True)
    with transaction.atomic():
        n = Tip.objects.filter(pk=tip.pk, assigned_org=tip.assigned_org_id, status=tip.status).update(assigned_org=to_org)
        if n != 1:
            raise StaleState()
        old = tip.assigned_org
        tip.refresh_from_db()
        record(actor, "tip.reassigned", tip, note=reason, data={"from": old.pk, "to": to_org.pk})
        _notify_unit(tip, "tip.reassigned", f"改派举报：{tip.number}", reason)
    return tip


def mark_duplicate(actor, tip: Tip, *, original: Tip) -> Tip:
    if original.pk == tip.pk or original.duplicate_of_id == tip.pk:
        raise ServiceError("不能与自身重复。", "original")
    return _transition(actor, tip, "mark_duplicate", workflow.Facts(is_handler=is_handler(actor, tip)),
                       note=f"与{original.number}重复", data={"original": original.pk},
                       duplicate_of=original, feedback=f"该举报与已受理的举报重复，已合并办理（{original.number}）。",
                       closed_at=timezone.now())


# ---------------------------------------------------------------- identity

def can_reveal(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm("tips.reveal_identity"))


def reveal_identity(actor, tip: Tip, *, request=None) -> dict:
    """Decrypt the reporter's identity for a permitted user; logged every time."""
    if not can_reveal(actor) or not Tip.objects.visible_to(actor).filter(pk=tip.pk).exists():
        raise NotPermitted("您无权查看举报人身份。")
    with transaction.atomic():
        log_security("identity_reveal", request=request, user=actor, tip=tip.pk)
        record(actor, "tip.identity_revealed", tip)
    return {"name": protection.decrypt(tip.reporter_name_enc), "phone": protection.decrypt(tip.reporter_phone_enc),
            "contact": protection.decrypt(tip.reporter_contact_enc)}


def open_attachment(actor, tip: Tip, attachment, *, request=None):
    """A tip file opened by a government user: logged in the security log every time (RULES.md §1
    identity protection: leaks traceable). Returns the open file."""
    if not Tip.objects.visible_to(actor).filter(pk=tip.pk).exists() or attachment.tip_id != tip.pk:
        raise NotPermitted("您无权查看该附件。")
    from core.files import open_stored

    handle = open_stored(attachment.file)  # before the log: a file that is gone was not downloaded
    log_security("download", request=request, user=actor, tip=tip.pk, attachment=attachment.pk)
    return handle


def _notify_unit(tip: Tip, kind: str, title: str, body: str) -> None:
    from django.contrib.auth import get_user_model

    from core.notifications import notify

    for user in get_user_model().objects.filter(membership__organisation_id=tip.assigned_org_id, is_active=True,
                                                membership__role__in=("officer", "leader", "admin")):
        notify(kind=kind, dedupe_key=f"tip:{tip.pk}:{kind}:{tip.assigned_org_id}:{user.pk}", title=title, body=body,
               url=f"/tips/{tip.pk}/", obj=tip, user=user, channels=("inapp",))
