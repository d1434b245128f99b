"""关闭（注销）a unit ends its third-party engagements (第三方服务委托). An agency sees an enterprise
only while an engagement is in force (PRODUCT.md: a 第三方机构 sees "only the enterprises it is
engaged for"); a closed unit is engaged for nothing more, so closing ends on the closing day every
engagement that would grant a later day — in force, or not yet started (that one then never
starts) — each with its own event; one already over is left alone. Expected dates are counted by
hand from today."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts import services as accounts
from accounts.models import Organisation, Sector
from accounts.scope import clear_scope
from core.models import Event
from core.services import ServiceError
from enterprises import services
from enterprises.models import Engagement, Enterprise
from hazards import services as hs

pytestmark = pytest.mark.django_db
ENDED = "enterprise.agency_engagement_ended"


def day(n=0):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def unit(world):
    """A commerce unit with no hazard, four engagements bought by the commerce bureau (政府购买服务):
    in force with no end (the 'agency' persona's organisation), in force until day 60, starting on
    day 20, and one that ended yesterday."""
    ent = services.create_enterprise(world.user("committee"), name="关闭测试商贸有限公司", credit_code="91120105MA05ABCD1H",
                                     region=world.townships[0], sectors=[Sector.objects.get(code="commerce")])
    officer = world.user("commerce")

    def agency(name):
        return accounts.ensure_organisation(None, kind=Organisation.Kind.AGENCY, name=name, region=world.district)

    engs = {
        "open": services.engage_agency(officer, agency=world.org("agency"), enterprise=ent, start=day(-30)),
        "until_60": services.engage_agency(officer, agency=agency("乙安评公司"), enterprise=ent, start=day(-10), end=day(60)),
        "future": services.engage_agency(officer, agency=agency("丙技术服务公司"), enterprise=ent, start=day(20)),
        "over": services.engage_agency(officer, agency=agency("丁咨询公司"), enterprise=ent, start=day(-20), end=day(0)),
    }
    Engagement.objects.filter(pk=engs["over"].pk).update(end=day(-1))  # simulated: it ended yesterday
    return ent, engs


def _agency_sees(world, ent) -> bool:
    user = world.user("agency")
    clear_scope(user)
    return Enterprise.objects.visible_to(user).filter(pk=ent.pk).exists()


def test_closing_ends_every_engagement_that_would_outlast_the_closing_day(world, unit):
    ent, engs = unit
    before = Event.objects.filter(verb=ENDED).count()
    services.close_enterprise(world.user("commerce_lead"), ent, reason="营业执照已注销")
    ends = {k: Engagement.objects.get(pk=e.pk) for k, e in engs.items()}
    # by hand: the three that reach past today end today; the one over yesterday keeps its end
    assert {k: e.end for k, e in ends.items()} == {"open": day(0), "until_60": day(0), "future": day(0), "over": day(-1)}
    assert ends["open"].end_reason == "单位关闭（注销）：营业执照已注销" and ends["over"].end_reason == ""
    for key in ("open", "until_60", "future"):  # from tomorrow on, none is in force on any day
        assert not any(Engagement.objects.in_force(day(n)).filter(pk=engs[key].pk).exists() for n in range(1, 61)), key
    events = Event.objects.filter(verb=ENDED, object_id=ent.pk).order_by("id")
    assert Event.objects.filter(verb=ENDED).count() == before + 3
    assert sorted(e.data["engagement"] for e in events) == sorted(engs[k].pk for k in ("open", "until_60", "future"))
    assert {e.actor for e in events} == {world.user("commerce_lead")} and all(e.data["closure"] for e in events)


def test_the_agency_sees_the_closed_unit_no_more_after_the_closing_day(world, unit):
    ent, _ = unit
    assert _agency_sees(world, ent)
    services.close_enterprise(world.user("commerce_lead"), ent, reason="营业执照已注销")
    assert _agency_sees(world, ent)  # the closing day is the engagement's last day
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1), tick=False):
        assert not _agency_sees(world, ent)


def test_a_refused_closure_ends_no_engagement(world, unit):
    ent, engs = unit
    hs.register_hazard(world.user("commerce"), enterprise=ent, sector=Sector.objects.get(code="commerce"),
                       description="安全出口锁闭", grade="general", notify_people=False)
    with pytest.raises(ServiceError, match="未销号"):
        services.close_enterprise(world.user("commerce_lead"), ent, reason="营业执照已注销")
    assert {e.pk: e.end for e in Engagement.objects.filter(enterprise=ent)} == {
        engs["open"].pk: None, engs["until_60"].pk: day(60), engs["future"].pk: None, engs["over"].pk: day(-1)}
    assert not Event.objects.filter(verb=ENDED, object_id=ent.pk).exists()


def test_a_long_closing_reason_reaches_every_engagement_and_its_event_whole(world, unit):
    ent, engs = unit
    reason = "营业执照已注销；" + "经核查，该单位已停止全部生产经营活动，场所已交还出租方。" * 12  # > 200 characters
    assert len(reason) > 300
    services.close_enterprise(world.user("commerce_lead"), ent, reason=reason)
    quoted = "单位关闭（注销）：" + reason
    assert Engagement.objects.get(pk=engs["open"].pk).end_reason == quoted
    events = Event.objects.filter(verb=ENDED, object_id=ent.pk)
    assert {e.data["reason"] for e in events} == {quoted} and {e.note for e in events} == {quoted}
