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


def next_level_office(org) -> Organisation | None:
    """The next level (上一级) above the unit ``org``, who approves what RULES.md §1 gives to "the next
    level's approval" (the extension of a tip's handling period):

    * the unit's recorded superior (``Organisation.parent``, 上级单位) when it is an active
      government unit;
    * else, walking up the unit's region (nearest ancestor first): at the first level that has one,
      the department of the same type there (the superior department of the same line, e.g. the
      city's 商务局 above a district's 商务局; a committee office's superior is the committee office
      above), else that level's committee office (安委办) — levels with neither are skipped (a
      municipality's 市辖区 holds no units on the platform);
    * None when no level above has either."""
    parent = getattr(org, "parent", None)
    if parent is not None and parent.is_active and parent.is_government:
        return parent
    codes = list(reversed(org.region.ancestor_codes()))  # nearest first
    if not codes:
        return None
    candidates = list(Organisation.objects.filter(region__code__in=codes, is_active=True)
                      .filter(Q(kind=Organisation.Kind.COMMITTEE) | Q(kind=Organisation.Kind.DEPARTMENT))
                      .select_related("region").order_by("name", "pk"))
    def same_line(o) -> bool:
        if org.kind == Organisation.Kind.COMMITTEE:
            return o.kind == Organisation.Kind.COMMITTEE
        return bool(org.department_type_id) and o.kind == org.kind and o.department_type_id == org.department_type_id

    for code in codes:
        here = [o for o in candidates if o.region.code == code]
        same = [o for o in here if same_line(o)]
        if same:
            return same[0]
        office = next((o for o in here if o.kind == Organisation.Kind.COMMITTEE), None)
        if office is not None:
            return office
    return None
