"""第三方服务委托 (audit F6): who may engage an agency for an enterprise, the dates, overlaps,
ending early instead of deleting, events; the agency's scope and its hazards' channel come from
the engagement in force on the day. Expected answers are the rules written in
enterprises/services.py's docstrings and PRODUCT.md, and dates counted by hand from today."""

import datetime

import pytest
from django.utils import timezone

from accounts import services as accounts
from accounts.models import Organisation, Sector
from accounts.scope import clear_scope
from core.models import Event
from core.services import NotPermitted, ServiceError
from core.testing import check_matrix, client_as
from enterprises import services
from enterprises.models import Engagement, Enterprise
from hazards.acting import default_channel
from hazards.models import Hazard

pytestmark = pytest.mark.django_db
J = "application/json"


def day(n=0):
    return timezone.localdate() + datetime.timedelta(days=n)


def _agency(world, name="津门安全技术咨询有限公司", active=True):
    org = accounts.ensure_organisation(None, kind=Organisation.Kind.AGENCY, name=name, region=world.district)
    if not active:
        Organisation.objects.filter(pk=org.pk).update(is_active=False)
        org.is_active = False
    return org


def _engage(world, persona="enterprise", ent=None, agency=None, start=None, end=None):
    return services.engage_agency(world.user(persona), agency=agency or _agency(world), enterprise=ent or world.ent_commerce,
                                  start=start or day(), end=end)


def _events(verb):
    return Event.objects.filter(verb=verb).count()


# ---------------------------------------------------------------- who engages, for whom


def test_the_enterprises_own_writer_engages_an_agency_as_an_enterprise_engagement_with_an_event(world):
    before = _events("enterprise.agency_engaged")
    eng = _engage(world, "enterprise", end=day(365))
    assert (eng.engaged_by, eng.start, eng.end) == ("enterprise", day(), day(365))
    assert _events("enterprise.agency_engaged") == before + 1
    event = Event.objects.filter(verb="enterprise.agency_engaged").latest("id")
    assert event.object_id == world.ent_commerce.pk and event.data["engagement"] == eng.pk
    assert event.actor == world.user("enterprise")


@pytest.mark.parametrize("persona", ["commerce", "committee", "emergency", "township"])
def test_a_government_writer_who_sees_the_enterprise_buys_the_service_for_it(world, persona):
    assert _engage(world, persona).engaged_by == "government"


def test_an_enterprise_user_may_not_claim_a_government_engagement(world):
    with pytest.raises(ServiceError) as exc:
        services.engage_agency(world.user("enterprise"), agency=_agency(world), enterprise=world.ent_commerce,
                               start=day(), engaged_by="government")
    assert exc.value.field == "engaged_by"


@pytest.mark.parametrize("persona", [
    "housing",  # another sector
    "other_region",  # another district
    "township_other",  # another township
    "enterprise_other",  # another enterprise
    "agency",  # agencies do not engage themselves
    "nobody",
])
def test_no_one_outside_the_enterprise_or_its_government_engages_for_it(world, persona):
    with pytest.raises(NotPermitted):
        _engage(world, persona)
    assert not Engagement.objects.filter(enterprise=world.ent_commerce).exists()


def test_a_viewer_of_the_enterprise_may_not_engage(world):
    from accounts.models import Membership

    Membership.objects.filter(user=world.user("enterprise_safety")).update(role=Membership.Role.VIEWER)
    viewer = type(world.user("enterprise_safety")).objects.get(pk=world.user("enterprise_safety").pk)
    with pytest.raises(NotPermitted):
        services.engage_agency(viewer, agency=_agency(world), enterprise=world.ent_commerce, start=day())


def test_only_an_active_organisation_of_kind_agency_is_engaged(world):
    for org, reason in ((world.org("commerce"), "只能委托第三方机构"), (_agency(world, "已停业评价公司", active=False), "已停用"),
                        (None, "请选择")):
        with pytest.raises(ServiceError, match=reason) as exc:
            _engage(world, agency=org) if org is not None else services.engage_agency(
                world.user("enterprise"), agency=None, enterprise=world.ent_commerce, start=day())
        assert exc.value.field == "agency"


def test_a_closed_unit_engages_no_one(world):
    Enterprise.objects.filter(pk=world.ent_commerce.pk).update(status="closed")
    with pytest.raises(ServiceError, match="已关闭"):
        _engage(world, "commerce", ent=Enterprise.objects.get(pk=world.ent_commerce.pk))


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("start, end, field", [  # days from today, counted when the test runs (not at collection:
    (10, 9, "end"),  # end before start                 a run crossing midnight in Asia/Shanghai moved them)
    (-367, None, "start"),  # more than a year (366 days) ago
    (367, None, "start"),  # more than a year ahead
    (-30, -1, "end"),  # already over: it would grant nothing
])
def test_dates_out_of_order_or_out_of_range_are_refused_on_their_field(world, start, end, field):
    with pytest.raises(ServiceError) as exc:
        _engage(world, start=day(start), end=None if end is None else day(end))
    assert exc.value.field == field


def test_a_contract_signed_up_to_a_year_ago_and_one_day_long_are_accepted(world):
    assert _engage(world, start=day(-366)).start == day(-366)
    assert _engage(world, agency=_agency(world, "另一家评价公司"), start=day(5), end=day(5)).end == day(5)


def test_an_overlapping_engagement_of_the_same_agency_is_refused_another_agency_is_not(world):
    agency = _agency(world)
    first = _engage(world, agency=agency, start=day(), end=day(10))
    for start, end in ((day(10), None), (day(-5), day(0)), (day(3), day(4))):  # each shares a day with first
        with pytest.raises(ServiceError, match="重叠") as exc:
            _engage(world, agency=agency, start=start, end=end)
        assert exc.value.field == "start"
    assert _engage(world, agency=agency, start=day(11)).start == day(11)  # the day after first ends
    assert _engage(world, agency=_agency(world, "另一家评价公司"), start=day(), end=day(10))
    assert Engagement.objects.filter(agency=agency, enterprise=world.ent_commerce).count() == 2
    assert first.pk


# ---------------------------------------------------------------- ending early


def test_ending_early_keeps_the_row_with_its_new_end_and_reason_and_writes_an_event(world):
    eng = _engage(world, start=day(-20))
    before = _events("enterprise.agency_engagement_ended")
    services.end_engagement(world.user("enterprise_safety"), eng, reason="合同解除")
    eng.refresh_from_db()
    assert (eng.end, eng.end_reason) == (day(), "合同解除")
    assert _events("enterprise.agency_engagement_ended") == before + 1
    event = Event.objects.filter(verb="enterprise.agency_engagement_ended").latest("id")
    assert event.note == "合同解除" and event.data["end"] == [None, day().isoformat()]
    with pytest.raises(ServiceError) as exc:  # again: it has already ended by then
        services.end_engagement(world.user("enterprise"), eng, reason="合同解除")
    assert exc.value.code == "conflict"
    assert Engagement.objects.filter(pk=eng.pk).exists()


def test_the_end_is_a_given_day_not_before_today_and_only_shortens(world):
    eng = _engage(world, start=day(-20), end=day(30))
    for end, reason in ((day(-1), "不能早于今天"), (day(30), "无需再结束"), (day(40), "无需再结束")):
        with pytest.raises(ServiceError, match=reason):
            services.end_engagement(world.user("enterprise"), eng, reason="提前结束", end=end)
    assert services.end_engagement(world.user("enterprise"), eng, reason="提前结束", end=day(7)).end == day(7)
    with pytest.raises(ServiceError, match="理由") as exc:
        services.end_engagement(world.user("enterprise"), eng, reason=" ", end=day(3))
    assert exc.value.field == "reason"


def _days_in_force(eng, last=30):
    """The days from today to today + ``last`` on which ``eng`` is in force (what scope reads)."""
    return [n for n in range(last + 1) if Engagement.objects.in_force(day(n)).filter(pk=eng.pk).exists()]


@pytest.mark.parametrize("end", [None, 5, 9])  # today (the default), or a given day before the start
def test_an_engagement_ended_before_its_start_grants_no_day_at_all(client, world, end):
    """Cancelled before it began: by hand, an engagement from day 10 ended on day 0, 5 or 9 is in
    force on no day — not its start day (the end stays the day it was ended, before the start)."""
    import time_machine

    agency = world.org("agency")  # the 'agency' persona's own organisation; not engaged for 鑫隆商贸
    later = _engage(world, agency=agency, start=day(10))
    assert _days_in_force(later) == list(range(10, 31))  # control: from its start, no end
    ended = services.end_engagement(world.user("enterprise"), later, reason="合同取消",
                                    end=None if end is None else day(end))
    assert ended.end == day(end or 0) and ended.state() == Engagement.State.ENDED
    assert _days_in_force(ended) == []
    event = Event.objects.filter(verb="enterprise.agency_engagement_ended").latest("id")
    assert event.data["end"] == [None, day(end or 0).isoformat()] and event.data["before_start"] is True
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10), tick=False):  # its start day
        assert world.ent_commerce.pk not in _agency_sees(world)
    client_as(client, world, "enterprise")
    listed = {state: [r["id"] for r in client.get(f"/api/v1/engagements/?enterprise={world.ent_commerce.pk}&state={state}")
                      .json()["results"]] for state in ("ended", "not_started", "in_force")}
    assert listed == {"ended": [later.pk], "not_started": [], "in_force": []}
    # it holds no day, so the same agency may be engaged again from the same start
    assert _engage(world, agency=agency, start=day(10)).start == day(10)


def test_only_the_side_that_commissioned_an_engagement_ends_it(world):
    by_enterprise = _engage(world, "enterprise")
    by_government = _engage(world, "commerce", agency=_agency(world, "另一家评价公司"))
    for persona, eng in (("commerce", by_enterprise), ("enterprise", by_government), ("housing", by_government),
                         ("other_region", by_government), ("agency", by_enterprise)):
        with pytest.raises(NotPermitted):
            services.end_engagement(world.user(persona), eng, reason="x")
    assert services.end_engagement(world.user("committee"), by_government, reason="项目结束").end == day()


# ---------------------------------------------------------------- scope and channel


def _agency_sees(world):
    user = world.user("agency")
    clear_scope(user)
    return set(Enterprise.objects.visible_to(user).values_list("pk", flat=True))


def test_the_agency_sees_an_enterprise_only_while_an_engagement_is_in_force(world):
    demo = [e.pk for e in world.enterprises[10:13]]  # engaged from 1 January, no end (core.demo)
    assert _agency_sees(world) == set(demo)
    Engagement.objects.filter(agency=world.org("agency")).update(end=day(-1))  # all expired yesterday
    assert _agency_sees(world) == set()
    Engagement.objects.filter(agency=world.org("agency")).update(start=day(1), end=None)  # none started yet
    assert _agency_sees(world) == set()
    Engagement.objects.filter(agency=world.org("agency"), enterprise_id=demo[0]).update(start=day(0), end=day(0))
    assert _agency_sees(world) == {demo[0]}  # in force today, its last day


def test_the_channel_comes_from_the_engagement_in_force_today_not_the_latest_start(world):
    ent, agency = world.ent_hazchem, world.org("agency")
    current = Engagement.objects.get(agency=agency, enterprise=ent)  # 企业委托 since 1 January
    services.end_engagement(world.user("enterprise_gas_station"), current, reason="合同到期不续", end=day(10))
    services.engage_agency(world.user("emergency"), agency=agency, enterprise=ent, start=day(11))  # 政府购买服务, later
    user = world.user("agency")
    clear_scope(user)
    assert default_channel(user, ent) == Hazard.Channel.ENTERPRISE_THIRD_PARTY
    from hazards import services as hs

    hazard = hs.register_hazard(user, enterprise=ent, sector=Sector.objects.get(code="hazchem"), description="储罐区防雷检测过期",
                                grade="general", notify_people=False)
    assert hazard.channel == Hazard.Channel.ENTERPRISE_THIRD_PARTY
    # the day the government's engagement is in force (simulated: the first ended, the second began)
    Engagement.objects.filter(pk=current.pk).update(end=day(-1))
    Engagement.objects.filter(agency=agency, enterprise=ent, engaged_by="government").update(start=day())
    clear_scope(user)
    assert default_channel(user, ent) == Hazard.Channel.GOVERNMENT_THIRD_PARTY


# ---------------------------------------------------------------- pages


def test_the_profile_lists_engagements_with_agency_side_dates_and_state(client, world):
    _engage(world, "enterprise", agency=_agency(world, "甲安评公司"), start=day(-10))
    _engage(world, "commerce", agency=_agency(world, "乙安评公司"), start=day(20), end=day(50))
    ended = _engage(world, "enterprise", agency=_agency(world, "丙安评公司"), start=day(-100))
    services.end_engagement(world.user("enterprise"), ended, reason="服务不合格")
    Engagement.objects.filter(pk=ended.pk).update(end=day(-3))  # three days later
    client_as(client, world, "enterprise")
    html = client.get(f"/enterprises/{world.ent_commerce.pk}/").content.decode()
    section = html[html.index('data-testid="engagements"'):]
    for text in ("甲安评公司", "企业委托", day(-10).isoformat(), "委托中", "乙安评公司", "政府购买服务", day(50).isoformat(),
                 "尚未开始", "丙安评公司", "已结束", "服务不合格", "长期"):
        assert text in section, text
    assert section.count('data-testid="end-engagement-link"') == 1  # 甲 (its own, in force); not 乙 (government's), not 丙
    assert 'data-testid="engage-link"' in html


def test_the_add_form_engages_through_the_agency_picker_and_shows_reasons_in_chinese(client, world):
    agency = _agency(world)
    client_as(client, world, "enterprise")
    url = f"/enterprises/{world.ent_commerce.pk}/engagements/new/"
    page = client.get(url).content.decode()
    assert 'data-picker="/pickers/agencies/"' in page
    bad = client.post(url, {"agency": agency.pk, "start": day(5).isoformat(), "end": day(1).isoformat()})
    assert bad.status_code == 400 and "结束日期不能早于开始日期" in bad.content.decode()
    assert client.post(url, {"agency": world.org("commerce").pk, "start": day().isoformat()}).status_code == 400
    assert client.post(url, {"agency": agency.pk, "start": "明天"}).status_code == 400
    response = client.post(url, {"agency": agency.pk, "start": day().isoformat(), "note": "合同2026-18"})
    assert response.status_code == 302
    assert Engagement.objects.get(agency=agency).engaged_by == "enterprise"


def test_the_end_form_ends_an_engagement_with_a_reason(client, world):
    eng = _engage(world, "enterprise", start=day(-5))
    client_as(client, world, "enterprise")
    url = f"/enterprises/{world.ent_commerce.pk}/engagements/{eng.pk}/end/"
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "合同解除", "end": day(-2).isoformat()}).status_code == 400
    assert client.post(url, {"reason": "合同解除"}).status_code == 302
    eng.refresh_from_db()
    assert (eng.end, eng.end_reason) == (day(), "合同解除")


def test_page_permission_matrix(client, world):
    ent = world.ent_commerce
    check_matrix(client, world, f"/enterprises/{ent.pk}/engagements/new/", {
        "anon": "login", "enterprise": 200, "enterprise_safety": 200, "commerce": 200, "committee": 200, "township": 200,
        "housing": 404, "other_region": 404, "township_other": 404, "enterprise_other": 404, "agency": 404,
        "nobody": 404, "admin": 200})
    check_matrix(client, world, f"/enterprises/{world.ent_hazchem.pk}/engagements/new/", {"agency": 403})
    eng = _engage(world, "enterprise", agency=world.org("agency"))  # the demo agency now sees 鑫隆 too
    check_matrix(client, world, f"/enterprises/{ent.pk}/engagements/{eng.pk}/end/", {
        "anon": "login", "enterprise": 200, "commerce": 403, "agency": 403, "housing": 404, "other_region": 404,
        "enterprise_other": 404, "nobody": 404, "admin": 200})
    check_matrix(client, world, f"/enterprises/{world.ent_construction.pk}/engagements/{eng.pk}/end/", {"admin": 404})


def test_the_list_page_shows_an_agency_only_its_own_engagements(client, world):
    other = _engage(world, "enterprise_gas_station", ent=world.ent_hazchem, agency=_agency(world))
    client_as(client, world, "agency")
    response = client.get("/enterprises/engagements/")
    rows = list(response.context["page_obj"].object_list)
    assert {e.agency_id for e in rows} == {world.org("agency").pk} and len(rows) == 3  # its 3 demo engagements
    assert other.pk not in {e.pk for e in rows}
    client_as(client, world, "enterprise_gas_station")
    assert client.get("/enterprises/engagements/", {"enterprise": world.ent_hazchem.pk}).context["total"] == 2
    assert client.get("/enterprises/engagements/", {"state": "over"}).status_code == 400


@pytest.mark.parametrize("persona, sees", [("enterprise", True), ("commerce", True), ("agency", False), ("nobody", False)])
def test_the_agency_picker_offers_active_agencies_to_those_who_may_engage(client, world, persona, sees):
    _agency(world, "停业评价公司", active=False)
    client_as(client, world, persona)
    names = [r["text"] for r in client.get("/pickers/agencies/?q=公司").json()["results"]]
    assert ("天津安评技术服务有限公司" in names) is sees
    assert "停业评价公司" not in names


# ---------------------------------------------------------------- API


def test_api_permission_matrix(client, world):
    eng = _engage(world, "enterprise")
    check_matrix(client, world, "/api/v1/engagements/", {"anon": (401, 403), "enterprise": 200, "agency": 200, "nobody": 200})
    check_matrix(client, world, f"/api/v1/engagements/{eng.pk}/", {
        "anon": (401, 403), "committee": 200, "commerce": 200, "enterprise": 200, "housing": 404, "other_region": 404,
        "enterprise_other": 404, "agency": 404, "nobody": 404, "admin": 200})
    body = {"agency": _agency(world, "另一家评价公司").pk, "enterprise": world.ent_commerce.pk, "start": day(1).isoformat(),
            "end": day(1).isoformat()}
    check_matrix(client, world, "/api/v1/engagements/", {
        "anon": (401, 403), "agency": 404, "housing": 404, "other_region": 404, "enterprise_other": 404, "nobody": 404},
        method="post", data=body, content_type=J)  # an enterprise out of scope is not found, as its page
    check_matrix(client, world, "/api/v1/engagements/", {"agency": 403}, method="post", content_type=J,
                 data={**body, "enterprise": world.ent_hazchem.pk})
    check_matrix(client, world, f"/api/v1/engagements/{eng.pk}/end/", {
        "anon": (401, 403), "commerce": 403, "housing": 404, "other_region": 404, "enterprise_other": 404, "agency": 404,
        "nobody": 404}, method="post", data={"reason": "x"}, content_type=J)


def test_api_creates_reads_and_ends_with_chinese_reasons_on_the_field(client, world):
    agency = _agency(world)
    client_as(client, world, "commerce")
    body = {"agency": agency.pk, "enterprise": world.ent_commerce.pk, "start": day().isoformat()}
    for bad, field in (({"end": day(-1).isoformat()}, "end"), ({"start": "2026-13-40"}, "start"),
                       ({"agency": world.org("commerce").pk}, "agency"), ({"start": day(-400).isoformat()}, "start"),
                       ({"engaged_by": "enterprise"}, "engaged_by"), ({"agency": "x"}, "agency")):
        response = client.post("/api/v1/engagements/", {**body, **bad}, content_type=J)
        assert response.status_code == 400, (bad, response.content)
        assert field in response.json()["errors"], (bad, response.json())
    created = client.post("/api/v1/engagements/", body, content_type=J)
    assert created.status_code == 201
    assert (created.json()["engaged_by"], created.json()["state"]) == ("government", "in_force")
    again = client.post("/api/v1/engagements/", body, content_type=J)
    assert again.status_code == 409 and again.json()["code"] == "already_done"
    overlap = client.post("/api/v1/engagements/", {**body, "start": day(3).isoformat()}, content_type=J)
    assert overlap.status_code == 400 and "重叠" in overlap.json()["errors"]["start"][0]
    url = f"/api/v1/engagements/{created.json()['id']}/end/"
    assert client.post(url, {}, content_type=J).json()["errors"]["reason"]
    assert client.post(url, {"reason": "x", "end": "不是日期"}, content_type=J).status_code == 400
    ended = client.post(url, {"reason": "项目结束", "end": day(2).isoformat()}, content_type=J)
    assert ended.status_code == 200 and ended.json()["end"] == day(2).isoformat()
    assert client.get(f"/api/v1/engagements/?enterprise={world.ent_commerce.pk}&state=in_force").json()["count"] == 1
