"""Who is acting on a hazard or an enterprise, and in which sectors it may be recorded: read-only
helpers of the hazard services (``services.py`` writes; this module never does)."""

from accounts.models import Sector
from accounts.scope import scope_for
from core.services import NotPermitted

from . import workflow
from .models import Hazard

CROSS_CUTTING_SECTORS = {"uses_hazchem": "hazchem", "fire_key_unit": "fire", "uses_gas": "gas",
                         "has_special_equipment": "special_equipment"}


def actor_kind(actor, hazard_or_enterprise) -> str | None:
    """The actor's kind for this hazard (or enterprise), or None when it is out of their scope."""
    if actor is None:
        return "superuser"  # system jobs and bulk loaders act with full authority
    if not actor.is_authenticated or not actor.is_active:
        return None
    if actor.is_superuser:
        return "superuser"
    membership = getattr(actor, "membership", None)
    if membership is None or not membership.can_write:
        return None
    enterprise = getattr(hazard_or_enterprise, "enterprise", hazard_or_enterprise)
    if not _enterprise_visible(actor, enterprise):
        return None
    if isinstance(hazard_or_enterprise, Hazard) and not scope_for(actor).allows_sector(hazard_or_enterprise.sector_id):
        return None
    kind = membership.organisation.kind
    return kind if kind in workflow.ACTOR_KINDS else None


def _enterprise_visible(actor, enterprise) -> bool:
    """``Enterprise.objects.visible_to(actor)`` holds ``enterprise`` — decided from the scope
    without a query when the scope is a set of enterprises (enterprise staff, agencies) or a whole
    region (every sector); a sector-limited department asks the database (the enterprise's sectors)."""
    scope = scope_for(actor)
    if scope.everything or scope.nothing:
        return scope.everything
    if scope.enterprise_ids is not None:
        return enterprise.pk in scope.enterprise_ids
    if scope.sector_ids is None and scope.level:
        return getattr(enterprise, f"{scope.level}_code") == scope.region_code
    seen = _visible_memo(actor)
    if enterprise.pk not in seen:
        from enterprises.models import Enterprise

        seen[enterprise.pk] = Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists()
    return seen[enterprise.pk]


def _visible_memo(actor) -> dict:
    """The sector-limited department's answers so far, kept with its scope on the user object (one
    request's user: a guard and the answer's available actions ask the same question; an accept
    asked it twice). ``accounts.scope.clear_scope`` drops it with the scope."""
    memo = actor.__dict__.get("_qingling_visible_enterprises")
    if memo is None:
        memo = actor.__dict__["_qingling_visible_enterprises"] = {}
    return memo


def _require_kind(actor, obj) -> str:
    kind = actor_kind(actor, obj)
    if kind is None:
        raise NotPermitted("该隐患不在您的管辖范围内，或您没有办理权限。")
    return kind


def default_channel(actor, enterprise) -> str:
    kind = actor_kind(actor, enterprise)
    if kind == "enterprise":
        return Hazard.Channel.SELF_CHECK
    if kind == "agency":
        from enterprises.models import Engagement

        # the engagement in force today (never a future or an expired one: those grant no scope)
        eng = (Engagement.objects.in_force().filter(agency=actor.membership.organisation, enterprise=enterprise)
               .order_by("-start", "-pk").first())
        if eng and eng.engaged_by == Engagement.EngagedBy.GOVERNMENT:
            return Hazard.Channel.GOVERNMENT_THIRD_PARTY
        return Hazard.Channel.ENTERPRISE_THIRD_PARTY
    if kind == "department":
        return Hazard.Channel.INSPECTION
    if kind in ("committee", "township"):
        return Hazard.Channel.SUPERVISION
    return Hazard.Channel.INSPECTION


def cross_cutting_sector_ids() -> dict[str, int]:
    return dict(Sector.objects.filter(code__in=CROSS_CUTTING_SECTORS.values()).values_list("code", "pk"))


def allowed_sectors(enterprise, cross: dict[str, int] | None = None, sectors=None) -> set[int]:
    """Sectors a hazard of this enterprise may be filed under: its own (and their parents),
    plus the cross-cutting ones it is flagged for. ``cross`` (code → id) saves a query per call
    when a batch checks many enterprises; ``sectors`` (the enterprise's Sector objects, read by
    the batch) saves reading them."""
    cross = cross if cross is not None else cross_cutting_sector_ids()
    ids = set()
    for s in (enterprise.sectors.all() if sectors is None else sectors):
        ids.add(s.pk)
        if s.parent_id:
            ids.add(s.parent_id)
    ids |= {cross[code] for flag, code in CROSS_CUTTING_SECTORS.items() if getattr(enterprise, flag) and code in cross}
    return ids


def applicable_item_ids(enterprise, cache: dict, sectors=None) -> frozenset:
    """Ids of the standard items that may be the 判定依据 of a hazard of ``enterprise`` — the set the
    page's picker offers (``standards.applicability.items_for``: standards in force for its sectors,
    sub-sector articles only for that sub-sector). Computed once per combination of sectors and
    cross-cutting flags in ``cache`` (an import names many enterprises and few combinations);
    ``sectors``: the enterprise's Sector objects when the caller has read them."""
    from standards.applicability import cross_cutting_sector_codes, items_for

    sectors = list(enterprise.sectors.all() if sectors is None else sectors)
    flagged = cross_cutting_sector_codes(enterprise)
    key = ("items_for", tuple(sorted(s.pk for s in sectors)), tuple(flagged))
    if key not in cache:
        cache[key] = frozenset(items_for(sectors, flagged).values_list("pk", flat=True))
    return cache[key]
