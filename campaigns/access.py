"""Request helpers of the campaigns pages: the user's own unit, the unit asked for, the cut-off.
What a user may *see* is decided only by ``visible_to`` (``querysets.dispatch_units``)."""

import datetime

from django.http import Http404

from accounts.models import Organisation
from accounts.permissions import actor_org
from hazards import asof

own_org = actor_org


def can_view_unit(user, unit: Organisation) -> bool:
    from .querysets import dispatch_units

    return dispatch_units(user).filter(pk=unit.pk).exists()


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
    from .querysets import dispatch_units

    lookup = {"pk": int(raw)} if str(raw).isdigit() else {"code": str(raw)}
    unit = dispatch_units(user).select_related("region").filter(**lookup).first()
    if unit is None:
        raise Http404("不存在或无权查看")
    return unit


def parse_as_of(raw) -> datetime.datetime:
    """A cut-off instant (``hazards.asof.instant``): any offset; a bare date = end of that day in Asia/Shanghai."""
    return asof.instant(raw)
