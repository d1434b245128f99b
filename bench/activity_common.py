"""Shared context of the activity generator: counties with their units and staff, the generated
enterprises, and event rows written exactly as the services write them."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Competence, Membership, Organisation
from core.models import Event
from enterprises.models import Enterprise
from regions.models import Region

SCALE = {"county": (2_000, 300, 200), "province": (200_000, 30_000, 20_000), "tiny": (30, 10, 10)}


DAYS = 360  # activity lies within the last DAYS days


@dataclass
class Unit:
    """A generated government organisation with the users who act for it."""

    org: Organisation
    officers: list = field(default_factory=list)
    leader: object = None


@dataclass
class County:
    region: Region
    committee: Unit
    departments: list
    by_sector: dict  # sector id → departments leading it
    comprehensive: Unit
    townships: list


def actor(user, unit: Unit) -> dict:
    m = user.membership
    return {"actor_id": user.pk, "actor_name": user.get_full_name() or user.get_username(),
            "actor_org_id": unit.org.pk, "actor_role": m.role}


SYSTEM = {"actor_id": None, "actor_name": "系统", "actor_org_id": None, "actor_role": "system"}


def event(who: dict, verb: str, object_type: str, obj_id: int, repr_: str, at, *, from_state="", to_state="", note="",
          data=None) -> Event:
    return Event(created_at=at, verb=verb, object_type=object_type, object_id=obj_id, object_repr=str(repr_)[:200],
                 from_state=from_state, to_state=to_state, note=note, data=data or {}, **who)


def at(day: datetime.date, rng, hour: int = 9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))) + datetime.timedelta(
        minutes=rng.randrange(480))


def load_counties(root: Region) -> dict[str, County]:
    User = get_user_model()
    counties = [root] if root.level == "county" else list(
        Region.objects.filter(level="county", path__startswith=root.path + "/").order_by("code"))
    users: dict[int, list] = {}
    for u in User.objects.filter(username__startswith="gen", membership__isnull=False).select_related(
            "membership").order_by("pk"):
        users.setdefault(u.membership.organisation_id, []).append(u)
    result = {}
    for county in counties:
        orgs = {o.pk: o for o in Organisation.objects.filter(region=county, is_active=True, kind__in=("committee", "department"))
                .select_related("department_type", "region").order_by("pk")}
        units = {}
        for pk, org in orgs.items():
            members = users.get(pk, [])
            officers = [u for u in members if u.membership.role == Membership.Role.OFFICER]
            if not officers:
                continue
            leader = next((u for u in members if u.membership.role == Membership.Role.LEADER), None)
            units[pk] = Unit(org, officers, leader)
        committee = next((u for u in units.values() if u.org.kind == "committee"), None)
        departments = [u for u in units.values() if u.org.kind == "department" and u.leader is not None]
        if committee is None or not departments:
            continue
        by_sector: dict[int, list] = {}
        for dept_id, sector_id in Competence.objects.filter(department_id__in=[u.org.pk for u in departments],
                                                           role=Competence.Role.LEAD).values_list("department_id", "sector_id"):
            by_sector.setdefault(sector_id, []).append(units[dept_id])
        comprehensive = next((u for u in departments if u.org.department_type and u.org.department_type.comprehensive),
                             departments[0])
        townships = list(Region.objects.filter(level="township", path__startswith=county.path + "/").order_by("code"))
        result[county.code] = County(county, committee, departments, by_sector, comprehensive, townships)
    return result


@dataclass
class Ent:
    pk: int
    name: str
    region_id: int
    county_code: str
    principal: str
    sectors: list
    #: province_code … township_code: where records of this enterprise happen (cases, measures …)
    codes: dict

    def __str__(self) -> str:
        return self.name


def load_enterprises(prefix: str) -> list[Ent]:
    ents = [Ent(pk, name, region_id, county, principal, [],
                {"province_code": province, "city_code": city, "county_code": county, "township_code": township})
            for pk, name, region_id, county, principal, province, city, township in
            Enterprise.objects.filter(name__startswith=prefix).order_by("pk").values_list(
                "pk", "name", "region_id", "county_code", "principal_name", "province_code", "city_code", "township_code")]
    index = {e.pk: e for e in ents}
    for ent_id, sector_id in Enterprise.sectors.through.objects.filter(enterprise__name__startswith=prefix).order_by(
            "enterprise_id", "sector_id").values_list("enterprise_id", "sector_id"):
        index[ent_id].sectors.append(sector_id)
    return ents


def unit_for(county: County, ent: Ent, rng) -> Unit:
    """A department leading one of the enterprise's sectors (else the comprehensive one)."""
    candidates = [u for s in ent.sectors for u in county.by_sector.get(s, [])]
    return rng.choice(candidates) if candidates else county.comprehensive


def amount_between(rng, low, high) -> Decimal:
    """A whole-hundred amount of yuan in [low, high]."""
    return Decimal(rng.randrange(low // 100, high // 100 + 1) * 100)
