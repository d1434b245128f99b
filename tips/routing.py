"""Who handles a tip: the department of the tip's county leading its sector (or the sector's
parent), else the county's comprehensive department (应急管理局), else the committee office."""

from django.db.models import Q

from accounts.models import Competence, Organisation


def county_of(region):
    from regions.models import Region

    code = region.county_code()
    return Region.objects.get(code=code) if code else None


def route(region, sector) -> Organisation | None:
    county = county_of(region)
    if county is None:
        return None
    depts = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, region=county, is_active=True)
    for s in [sector] + ([sector.parent] if sector.parent_id else []):
        comp = (Competence.objects.filter(department__in=depts, sector=s, role=Competence.Role.LEAD)
                .select_related("department").order_by("department__name", "department_id").first())
        if comp:
            return comp.department
    office = fallback_offices([county.code]).get(county.code)
    return Organisation.objects.get(pk=office) if office else None


def fallback_offices(county_codes=None) -> dict[str, int]:
    """{county code: the office that takes what no department leads there} — the county's
    comprehensive department (应急管理局; the first by name), else its committee office — for
    ``county_codes`` (None: every county). A tip's routing and the daily digest's unled sectors
    (hazards.alerts) both use it."""
    offices = Organisation.objects.filter(is_active=True, region__level="county")
    if county_codes is not None:
        offices = offices.filter(region__code__in=list(county_codes))
    best: dict[str, tuple] = {}
    for pk, code, kind, name in (offices.filter(Q(kind=Organisation.Kind.COMMITTEE)
                                                | Q(kind=Organisation.Kind.DEPARTMENT, department_type__comprehensive=True))
                                 .values_list("pk", "region__code", "kind", "name")):
        key = (0, name, pk) if kind == Organisation.Kind.DEPARTMENT else (1, "", pk)
        if code not in best or key < best[code]:
            best[code] = key
    return {code: key[2] for code, key in best.items()}
