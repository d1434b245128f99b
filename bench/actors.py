"""The organisations and logins the benchmarks act as, created through accounts.services
(idempotent): in the benchmark county, its committee office with an officer, the commerce bureau
(商务局, leads 商贸) with an officer, the 应急管理局 (comprehensive) with an
officer, and the township office of the busiest township."""

from dataclasses import dataclass

from django.db.models import Count

from accounts import services as accounts
from accounts.models import DepartmentType, Membership, Organisation, Sector
from bench.generator import PROFILES, ensure_county_orgs
from enterprises.models import Enterprise
from regions.models import Region

PASSWORD = "bench-Pass-2026!"


@dataclass
class Actors:
    county: Region
    committee: Organisation
    department: Organisation
    township: Organisation
    committee_user: object
    department_user: object
    emergency_user: object  # 应急管理局 (comprehensive): every sector of the county — the importer


def bench_county(profile: str) -> Region:
    """The county profile's county, or the province's county with the most generated enterprises."""
    p = PROFILES[profile]
    root = Region.objects.get(code=p.region_code)
    if root.level == "county":
        return root
    row = (Enterprise.objects.filter(province_code=root.code, name__startswith="GEN").values("county_code")
           .annotate(n=Count("id")).order_by("-n", "county_code").first())
    return Region.objects.get(code=row["county_code"])


def _user(username: str, org: Organisation):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = accounts.create_user(None, username=username, password=PASSWORD, organisation=org,
                                    role=Membership.Role.OFFICER, full_name=username)
    return user


def ensure_actors(profile: str) -> Actors:

    county = bench_county(profile)
    committee = ensure_county_orgs(county)
    commerce = Sector.objects.get(code="commerce")
    department = accounts.ensure_organisation(None, kind=Organisation.Kind.DEPARTMENT, name=f"{county.name}商务局（基准）",
                                              region=county, department_type=DepartmentType.objects.get(code="commerce"))
    accounts.set_competence(None, department=department, sector=commerce)
    emergency = accounts.ensure_organisation(None, kind=Organisation.Kind.DEPARTMENT, name=f"{county.name}应急管理局（基准）",
                                             region=county, department_type=DepartmentType.objects.get(code="emergency"))
    busiest = (Enterprise.objects.filter(county_code=county.code).values("township_code").annotate(n=Count("id"))
               .order_by("-n", "township_code").first())
    town_region = Region.objects.get(code=busiest["township_code"])
    township = accounts.ensure_organisation(None, kind=Organisation.Kind.TOWNSHIP, name=f"{town_region.name}办事处（基准）",
                                            region=town_region)
    committee_user = _user("bench_committee", committee)
    department_user = _user("bench_commerce", department)
    return Actors(county, committee, department, township, committee_user, department_user,
                  _user("bench_emergency", emergency))
