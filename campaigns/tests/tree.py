"""A city committee office above two district committee offices (河北区 submits, 河东区 does not),
one major hazard in each district. Built through the services; shared by the roll-up tests and
the browser test."""

import datetime

from accounts import services as acc
from accounts.models import Membership, Organisation, Sector
from campaigns import services as cs
from core.demo import DEMO_PASSWORD, OTHER_DISTRICT
from hazards import services as hs
from regions.models import Region

CITY_USER = "tj_shixiaqu_anweiban"


def build(world, *, submit_at=None) -> dict:
    city = world.district.parent
    other = Region.objects.get(code=OTHER_DISTRICT)
    city_office = acc.ensure_organisation(None, kind=Organisation.Kind.COMMITTEE, name="天津市市辖区安委会办公室", region=city)
    other_office = acc.ensure_organisation(None, kind=Organisation.Kind.COMMITTEE, name="河东区安全生产委员会办公室", region=other)
    acc.create_user(None, username=CITY_USER, password=DEMO_PASSWORD, organisation=city_office, role=Membership.Role.OFFICER,
                    full_name="市安委办 王强")
    campaign = cs.create_campaign(None, name="全市重大事故隐患专项排查整治", issuer=city_office, region=city,
                                  start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
    hs.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                       description="安全出口锁闭", grade="major", basis_reason="可能导致群死群伤",
                       deadline=datetime.date(2026, 12, 31), notify_people=False)
    hs.register_hazard(world.user("other_region"), enterprise=world.ent_other_region, sector=Sector.objects.get(code="hazchem"),
                       description="储罐区未设置泄漏报警", grade="major", basis_reason="可能导致重大泄漏",
                       deadline=datetime.date(2026, 12, 31), notify_people=False)
    return {"city": city, "city_office": city_office, "other_office": other_office, "campaign": campaign}
