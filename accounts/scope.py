"""What a user may see: computed once per user object from its membership.

* superuser → everything;
* committee office, township office, comprehensive department (应急管理局) → its region and
  below, every sector;
* industry department → its region and below × the sectors it is competent for (lead or
  assist, with sub-sectors) — 管行业必须管安全;
* enterprise staff → their own enterprise;
* agency (third party) → the enterprises it is currently engaged for;
* no membership → nothing.
"""

from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    nothing: bool = False
    level: str | None = None
    region_code: str | None = None
    region_path: str | None = None
    ancestor_codes: tuple = ()
    sector_ids: frozenset | None = None  # None = every sector
    enterprise_ids: frozenset | None = None  # set for enterprise and agency users
    organisation_id: int | None = None
    kind: str = ""

    @property
    def is_government(self) -> bool:
        return self.kind in ("committee", "department", "township")

    def allows_sector(self, sector_id) -> bool:
        return self.everything or self.sector_ids is None or sector_id in self.sector_ids


NOTHING = Scope(nothing=True)
EVERYTHING = Scope(everything=True, kind="superuser")


def compute_scope(user) -> Scope:
    from .models import Organisation

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    membership = getattr(user, "membership", None)
    if membership is None:
        return NOTHING
    org = membership.organisation
    if not org.is_active:
        return NOTHING
    region = org.region
    if org.kind == Organisation.Kind.ENTERPRISE:
        ent = getattr(org, "enterprise", None)
        return Scope(enterprise_ids=frozenset([ent.pk]) if ent else frozenset(), organisation_id=org.pk,
                     kind=org.kind, region_code=None)
    if org.kind == Organisation.Kind.AGENCY:
        from enterprises.models import Engagement

        # in force today (start ≤ today ≤ end, or no end): a future or an expired engagement grants nothing
        ids = Engagement.objects.in_force(timezone.localdate()).filter(agency=org).values_list("enterprise_id", flat=True)
        return Scope(enterprise_ids=frozenset(ids), organisation_id=org.pk, kind=org.kind)
    sector_ids = None
    if org.kind == Organisation.Kind.DEPARTMENT and not (org.department_type and org.department_type.comprehensive):
        sector_ids = frozenset(org.competence_sector_ids())
    return Scope(
        level=region.level, region_code=region.code, region_path=region.path,
        ancestor_codes=tuple(region.ancestor_codes()), sector_ids=sector_ids,
        organisation_id=org.pk, kind=org.kind,
    )


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object for the request."""
    if user is None:
        return NOTHING
    cached = getattr(user, "_qingling_scope", None)
    if cached is None:
        cached = compute_scope(user)
        try:
            user._qingling_scope = cached
        except AttributeError:  # AnonymousUser may refuse attributes in future versions
            pass
    return cached


def clear_scope(user) -> None:
    """Forget the user's scope and what was decided from it (``hazards.acting``'s memo of visible
    enterprises)."""
    for name in ("_qingling_scope", "_qingling_visible_enterprises"):
        user.__dict__.pop(name, None)


def people_visible_to(user):
    """The accounts ``user`` may name (an inspection record's inspectors): those whose unit is in
    ``Organisation.objects.visible_to(user)``. Accounts have no scope of their own; an account of
    another region, or with no unit, is out of scope (404), never named back in an error."""
    from django.contrib.auth import get_user_model

    from .models import Organisation

    return get_user_model().objects.filter(membership__organisation__in=Organisation.objects.visible_to(user))
