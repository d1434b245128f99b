"""Read-side helpers of the registry: who supervises an enterprise."""

from dataclasses import dataclass, field

from accounts.models import Competence, Organisation, Sector


@dataclass
class Supervisor:
    organisation: Organisation
    role: str  # "lead" / "assist" / "territorial"
    sectors: list = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return {"lead": "行业主管（牵头）", "assist": "行业主管（配合）", "territorial": "属地管理"}[self.role]


def sector_ids_with_ancestors(sectors) -> set[int]:
    ids = set()
    parents = dict(Sector.objects.values_list("pk", "parent_id"))
    for s in sectors:
        pk = s.pk
        while pk is not None and pk not in ids:
            ids.add(pk)
            pk = parents.get(pk)
    return ids


def supervising_departments(ent) -> dict:
    """行业主管: departments at the enterprise's county or above with competence for one of its
    sectors (or a parent sector, e.g. 工贸 for 冶金); 属地: the township office(s) of its township.
    Returns {"industry": [Supervisor], "territorial": [Supervisor]}."""
    sectors = list(ent.sectors.all())
    ids = sector_ids_with_ancestors(sectors)
    county_and_up = [c for c in (ent.county_code, ent.city_code, ent.province_code) if c]
    comps = (Competence.objects.filter(sector_id__in=ids, region__code__in=county_and_up,
                                       department__kind=Organisation.Kind.DEPARTMENT, department__is_active=True,
                                       department__region__code__in=county_and_up)
             .select_related("department", "sector").order_by("department__region__code", "department__name"))
    by_org: dict[int, Supervisor] = {}
    for comp in comps:
        sup = by_org.setdefault(comp.department_id, Supervisor(comp.department, comp.role))
        if comp.role == Competence.Role.LEAD:
            sup.role = "lead"
        sup.sectors.append(comp.sector)
    territorial = [Supervisor(org, "territorial") for org in Organisation.objects.filter(
        kind=Organisation.Kind.TOWNSHIP, region_id=ent.region_id, is_active=True).order_by("name")]
    return {"industry": list(by_org.values()), "territorial": territorial}
