"""Who acts on an accident and the shared steps of every accident writer: the guard (workflow),
the compare-and-set on the status, text/figure checks, notifying the governments concerned.
Used by ``accidents.services`` and its writer modules (listed in its SERVICE_MODULES)."""

from decimal import Decimal, InvalidOperation

from django.utils import timezone

from accounts.models import Organisation
from accounts.permissions import actor_org, can_approve, membership
from accounts.scope import scope_for
from core.models import REGION_LEVELS
from core.services import ServiceError, StaleState

from . import rules, workflow
from .models import Accident, DeadlineRule

CODE = DeadlineRule.Code


# ---------------------------------------------------------------- who acts

def covers(actor, region, sector) -> bool:
    """The actor's government scope covers a township and a sector (same rule as visible_to)."""
    scope = scope_for(actor)
    if scope.everything:
        return True
    if not scope.is_government or scope.level is None:
        return False
    if region.level_codes().get(scope.level) != scope.region_code:
        return False
    return scope.allows_sector(sector.pk) or bool(scope.sector_ids and sector.parent_id in scope.sector_ids)


def _writes(actor) -> bool:
    if actor is None:
        return True
    if actor.is_superuser:
        return True
    m = membership(actor)
    return bool(m and m.can_write)


def is_investigator(actor, accident: Accident) -> bool:
    """The actor writes for the investigating government at the required level (or above):
    its committee office or its comprehensive department (应急管理局)."""
    if actor is None or getattr(actor, "is_superuser", False):
        return True
    if not _writes(actor):
        return False
    org = actor_org(actor)
    if org is None or not org.is_active:
        return False
    comprehensive = org.kind == Organisation.Kind.DEPARTMENT and org.department_type and org.department_type.comprehensive
    if org.kind != Organisation.Kind.COMMITTEE and not comprehensive:
        return False
    inv = getattr(accident, "investigation", None)
    level = inv.level if inv else rules.authority_level(accident.grade)
    need = REGION_LEVELS.index(rules.acting_level(level))
    have = REGION_LEVELS.index(org.region.level) if org.region.level in REGION_LEVELS else 99
    return have <= need and accident.region.level_codes().get(org.region.level) == org.region.code


def is_approver(actor, accident) -> bool:
    return is_investigator(actor, accident) and (actor is None or can_approve(actor))


def is_supervisor(actor, accident) -> bool:
    """A committee office covering the accident's region (各级安委会监督指导事故调查处理)."""
    if actor is None or getattr(actor, "is_superuser", False):
        return True
    org = actor_org(actor)
    return bool(org and org.kind == Organisation.Kind.COMMITTEE and _writes(actor)
                and accident.region.level_codes().get(org.region.level) == org.region.code)


def may_report(actor, *, enterprise, region, sector) -> bool:
    if actor is None or getattr(actor, "is_superuser", False):
        return True
    if not _writes(actor):
        return False
    org = actor_org(actor)
    if org is None:
        return False
    if org.kind == Organisation.Kind.ENTERPRISE:
        return enterprise is not None and getattr(org, "enterprise", None) is not None and org.enterprise.pk == enterprise.pk
    return covers(actor, region, sector)


# ---------------------------------------------------------------- helpers

def _text(value, field, label, required=True, max_length=5000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(f"请填写{label}。", field)
    if len(value) > max_length:
        raise ServiceError(f"{label}不能超过{max_length}字。", field)
    return value


def _figures(deaths, injuries, loss) -> tuple[int, int, Decimal]:
    try:
        deaths, injuries = int(deaths), int(injuries)
    except (TypeError, ValueError):
        raise ServiceError("伤亡人数须为整数。", "deaths")
    if deaths < 0:
        raise ServiceError("死亡人数不能为负数。", "deaths")
    if injuries < 0:
        raise ServiceError("重伤人数不能为负数。", "injuries")
    for value, field, label in ((deaths, "deaths", "死亡人数"), (injuries, "injuries", "重伤人数")):
        if value > Accident.MAX_CASUALTIES:  # beyond the integer columns a 500 on PostgreSQL
            raise ServiceError(f"{label}不能超过{Accident.MAX_CASUALTIES}人。", field)
    try:
        loss = Decimal(str(loss if loss not in (None, "") else 0))
    except InvalidOperation:
        raise ServiceError("直接经济损失须为数字（万元）。", "loss")
    if loss < 0 or loss >= Decimal("1e12"):
        raise ServiceError("直接经济损失须为不小于0的数字（万元）。", "loss")
    return deaths, injuries, loss.quantize(Decimal("0.01"))


def _cas(accident: Accident, action: str, **changes) -> None:
    """Compare-and-set the status (and other fields) of an accident."""
    old = accident.status
    new = workflow.target(action, old)
    now = timezone.now()
    fields = {"status": new, **changes}
    if new != old:
        fields["status_changed_at"] = now
    if Accident.objects.filter(pk=accident.pk, status=old).update(**fields) != 1:
        raise StaleState()
    for k, v in fields.items():
        setattr(accident, k, v)


def _facts(actor, accident, **extra) -> workflow.Facts:
    inv = getattr(accident, "investigation", None)
    return workflow.Facts(
        is_investigator=is_investigator(actor, accident), is_approver=is_approver(actor, accident),
        already_extended=bool(inv and inv.extension_days), already_escalated=bool(inv and inv.escalated),
        max_extension_days=rules.days(CODE.EXTENSION_MAX_DAYS, rules.occurred_on(accident)),
        open_measures=accident.measures.exclude(status=workflow.M_CLOSED).count(), **extra)


def _guard(actor, accident, action, **extra) -> None:
    reason = workflow.refusal(accident.status, action, _facts(actor, accident, **extra))
    if reason:
        raise ServiceError(reason, None, "permission_denied" if "只有" in reason else "invalid")


def _notify_government(accident, kind, title) -> None:
    from django.contrib.auth import get_user_model

    from core.notifications import notify

    orgs = Organisation.objects.filter(kind=Organisation.Kind.COMMITTEE, region__code=accident.county_code)
    for user in get_user_model().objects.filter(membership__organisation__in=orgs, is_active=True):
        notify(kind=kind, dedupe_key=f"{kind}:{accident.pk}:{user.pk}", title=title, url=f"/accidents/{accident.pk}/",
               obj=accident, user=user, channels=("inapp",))
