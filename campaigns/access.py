"""Who may see which unit's dispatch table (what a user may *see* beyond visible_to)."""

import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from accounts.models import Organisation
from accounts.permissions import actor_org
from core.services import ServiceError

own_org = actor_org


def is_committee_over(org: Organisation | None, unit: Organisation) -> bool:
    if org is None or org.kind != Organisation.Kind.COMMITTEE:
        return False
    return getattr(unit, f"{org.region.level}_code", None) == org.region.code


def can_view_unit(user, unit: Organisation) -> bool:
    if not unit.is_government:
        return False
    if user.is_superuser:
        return True
    org = own_org(user)
    return org is not None and (org.pk == unit.pk or is_committee_over(org, unit))


def government_org_or_404(user) -> Organisation | None:
    """The user's own government unit (None for a superuser); anyone else gets a 404."""
    if user.is_superuser:
        return own_org(user)
    org = own_org(user)
    if org is None or not org.is_government:
        raise Http404("不存在或无权查看")
    return org


def committee_or_404(user) -> Organisation:
    org = own_org(user)
    if user.is_superuser and org is None:
        org = Organisation.objects.filter(kind=Organisation.Kind.COMMITTEE).order_by("region__level", "pk").first()
    if org is None or org.kind != Organisation.Kind.COMMITTEE:
        raise Http404("不存在或无权查看")
    return org


def resolve_unit(user, raw) -> Organisation:
    """The unit asked for (``?unit=`` id or code), defaulting to the user's own; out of reach → 404."""
    if raw in (None, ""):
        unit = government_org_or_404(user)
        if unit is None:
            raise Http404("请选择单位")
        return unit
    lookup = {"pk": int(raw)} if str(raw).isdigit() else {"code": str(raw)}
    unit = Organisation.objects.select_related("region").filter(**lookup).first()
    if unit is None or not can_view_unit(user, unit):
        raise Http404("不存在或无权查看")
    return unit


def parse_as_of(raw) -> datetime.datetime:
    """An ISO date or datetime (local time when naive); a date means the end of that day."""
    if raw in (None, ""):
        return timezone.now()
    raw = str(raw).strip()
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            if day is None:
                raise ValueError
            moment = datetime.datetime.combine(day, datetime.time(23, 59, 59))
    except ValueError:
        raise ServiceError("截止时间格式应为 ISO 日期或时间，如 2026-11-23T12:00。", "as_of")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
