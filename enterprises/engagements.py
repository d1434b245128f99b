"""Writes for the engagements of third-party agencies (委托第三方机构: 企业委托 or 政府购买服务) — recorded,
ended early, ended on the unit's closure; never deleted. Split out of ``enterprises.services`` by
responsibility (listed in its SERVICE_MODULES, re-exported there, so callers keep using
``enterprises.services``). Every change writes an event."""

from django.db import transaction

from accounts.models import Organisation
from core.events import record
from core.services import NotPermitted, ServiceError

from . import permissions as perms
from .models import Engagement, Enterprise

#: how far back an engagement may start (days): a technical-service contract (安全评价、技术服务) runs for a
#: year as a rule, so one signed within the last year and recorded late is still being carried out;
#: an older start is almost always a typing error (2016 for 2026). The days already past give no
#: access after the fact (scope and channel are decided on the day), so this guards the record only.
ENGAGEMENT_PAST_DAYS = 366
#: and how far ahead: the same typing error the other way (a contract is recorded when signed)
ENGAGEMENT_AHEAD_DAYS = 366


def _agency_error(agency) -> str:
    if agency is None:
        return "请选择受委托的第三方机构。"
    if agency.kind != Organisation.Kind.AGENCY:
        return "只能委托第三方机构（机构类型须为第三方机构）。"
    if not agency.is_active:
        return "该第三方机构已停用，不能委托。"
    return ""


def engage_agency(actor, *, agency: Organisation, enterprise: Enterprise, start, end=None,
                  engaged_by: str | None = None, note: str = "") -> Engagement:
    """委托第三方机构 for ``enterprise`` from ``start`` to ``end`` (None: until ended). The enterprise's own
    writers engage for it (企业委托), government writers who see it buy the service for it
    (政府购买服务) — ``engaged_by`` follows from who acts (superusers and system jobs may say which;
    default 企业委托). The agency must be an active organisation of kind agency; end ≥ start; start
    within ``ENGAGEMENT_PAST_DAYS`` before and ``ENGAGEMENT_AHEAD_DAYS`` after today; an engagement
    that has already ended is not recorded (it would grant nothing); the same agency may not hold
    two engagements for the same enterprise on one day. One ``enterprise.agency_engaged`` event."""
    side = "any" if actor is None else perms.engaging_side(actor, enterprise)
    if side is None:
        raise NotPermitted("只有本单位具有经办权限的人员（企业委托）或管辖该单位的政府部门经办人员（政府购买服务）可以委托第三方机构。")
    if side == "any":
        engaged_by = engaged_by or Engagement.EngagedBy.ENTERPRISE
        if engaged_by not in Engagement.EngagedBy.values:
            raise ServiceError("委托方须为企业委托或政府购买服务。", "engaged_by")
    elif engaged_by and engaged_by != side:
        raise ServiceError("企业人员登记的是企业委托，政府部门人员登记的是政府购买服务。", "engaged_by")
    else:
        engaged_by = side
    error = _agency_error(agency)
    if error:
        raise ServiceError(error, "agency")
    if enterprise.status == Enterprise.Status.CLOSED:
        raise ServiceError("该单位已关闭（注销），不能委托第三方机构。", "enterprise")
    _check_period(start, end)
    note = (note or "").strip()
    if len(note) > 200:
        raise ServiceError("说明不能超过200个字符。", "note")
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()  # one overlap check at a time
        clash = _overlapping(agency, enterprise, start, end).order_by("start").first()
        if clash is not None:
            until = clash.end.isoformat() if clash.end else "结束前"
            raise ServiceError(f"该机构已受托服务该单位（{clash.start.isoformat()} 至 {until}），与所填期间重叠："
                               "请先结束原委托，或从原委托结束之后开始。", "start")
        eng = Engagement.objects.create(agency=agency, enterprise=enterprise, start=start, end=end,
                                        engaged_by=engaged_by, note=note)
        record(actor, "enterprise.agency_engaged", enterprise, note=note,
               data={"agency": agency.pk, "agency_name": agency.name, "engagement": eng.pk, "engaged_by": engaged_by,
                     "start": start.isoformat(), "end": end.isoformat() if end else None})
    return eng


def _check_period(start, end) -> None:
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    if not isinstance(start, datetime.date):
        raise ServiceError("请填写开始日期。", "start")
    if end is not None and not isinstance(end, datetime.date):
        raise ServiceError("结束日期格式不正确。", "end")
    if end is not None and end < start:
        raise ServiceError("结束日期不能早于开始日期。", "end")
    if start < today - datetime.timedelta(days=ENGAGEMENT_PAST_DAYS):
        raise ServiceError("开始日期不能早于一年前：请核对日期（只登记仍在履行或将要开始的委托）。", "start")
    if start > today + datetime.timedelta(days=ENGAGEMENT_AHEAD_DAYS):
        raise ServiceError("开始日期不能晚于一年后：请核对日期。", "start")
    if end is not None and end < today:
        raise ServiceError("结束日期已过：已经结束的委托不再登记（它不赋予任何查看或办理权限）。", "end")


def _overlapping(agency, enterprise, start, end):
    """The same agency's engagements for ``enterprise`` sharing a day with start..end (None: open);
    one ended before its start holds no day, so it overlaps nothing."""
    from django.db.models import Q

    qs = Engagement.objects.filter(agency=agency, enterprise=enterprise).filter(Q(end__isnull=True) | Q(end__gte=start))
    qs = qs.exclude(pk__in=Engagement.objects.cancelled().values("pk"))
    return qs if end is None else qs.filter(start__lte=end)


def end_engagement(actor, eng: Engagement, *, reason: str, end=None) -> Engagement:
    """提前结束 an engagement (never deleted: the record stays with its dates): ``end`` (default today)
    must not be before today (the days already past stay as they were) and before the current end.
    The agency loses sight of the enterprise after ``end``; an engagement ended before its start
    (``end`` < start: cancelled before it began) grants no day at all. Only the side that
    commissioned it may end it (``perms.can_end_engagement``). One ``enterprise.agency_engagement_ended``
    event (reason as note)."""
    import datetime

    if actor is not None and not perms.can_end_engagement(actor, eng):
        raise NotPermitted("只有委托方可以结束该委托：企业委托由本单位办理，政府购买服务由管辖的政府部门办理。")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("提前结束委托须填写理由。", "reason")
    if len(reason) > 200:
        raise ServiceError("理由不能超过200个字符。", "reason")
    if end is not None and not isinstance(end, datetime.date):
        raise ServiceError("结束日期格式不正确。", "end")
    with transaction.atomic():
        eng = Engagement.objects.select_for_update().select_related("agency", "enterprise").get(pk=eng.pk)
        return _end_engagement(actor, eng, reason=reason, end=end)


def _end_engagement(actor, eng: Engagement, *, reason: str, end=None, data=None) -> Engagement:
    """The write of ``end_engagement`` on a row locked by the caller (inside its transaction),
    without the commissioning side's check — ``close_enterprise`` ends every engagement of the unit
    it closes this way, whoever commissioned them."""
    from django.utils import timezone

    today = timezone.localdate()
    day = end if end is not None else today
    if eng.end is not None and eng.end <= day:
        raise ServiceError(f"该委托已于 {eng.end.isoformat()} 结束（或届时结束），无需再结束。", "end", code="conflict")
    if day < today:
        raise ServiceError("结束日期不能早于今天：已经过去的委托期间照实保留。", "end")
    old_end = eng.end
    Engagement.objects.filter(pk=eng.pk).update(end=day, end_reason=reason)
    eng.end, eng.end_reason = day, reason
    record(actor, "enterprise.agency_engagement_ended", eng.enterprise, note=reason,
           data={"agency": eng.agency_id, "agency_name": eng.agency.name, "engagement": eng.pk,
                 "end": [old_end.isoformat() if old_end else None, day.isoformat()], "reason": reason,
                 **({"before_start": True} if day < eng.start else {}), **(data or {})})
    return eng


def _end_engagements_on_closure(actor, ent: Enterprise, reason: str) -> None:
    """End, on the closing day, every engagement of ``ent`` that would grant a day after it (in
    force with no end or a later one, or not yet started); those already over are left as they are."""
    from django.db.models import Q
    from django.utils import timezone

    today = timezone.localdate()
    open_ended = (Engagement.objects.select_for_update().select_related("agency", "enterprise")
                  .filter(enterprise=ent).filter(Q(end__isnull=True) | Q(end__gt=today))
                  .exclude(pk__in=Engagement.objects.cancelled().values("pk")).order_by("start", "pk"))
    for eng in open_ended:
        _end_engagement(actor, eng, reason=f"单位关闭（注销）：{reason}", end=today, data={"closure": True})
