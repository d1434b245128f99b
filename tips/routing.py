"""Who handles a tip: the department of the tip's county leading its sector (or the sector's
parent), else the county's comprehensive department (应急管理局), else the committee office."""

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
    comprehensive = depts.filter(department_type__comprehensive=True).order_by("name", "id").first()
    if comprehensive:
        return comprehensive
    return Organisation.objects.filter(kind=Organisation.Kind.COMMITTEE, region=county, is_active=True).order_by("id").first()
