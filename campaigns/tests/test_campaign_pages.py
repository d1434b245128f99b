"""Campaigns in the UI: create/edit with events, the deadline from the campaign, 迟报, 催报 of every
missing unit (also those without user accounts), and who was reminded how."""

import datetime
from zoneinfo import ZoneInfo

import time_machine

from accounts.models import Organisation
from campaigns import services as cs
from campaigns.models import Campaign
from campaigns.tables import rollup
from core.models import Event
from core.testing import check_matrix

TZ = ZoneInfo("Asia/Shanghai")
FORM = {"name": "燃气安全专项整治", "start": "2026-01-05", "end": "2026-06-30", "first_report_date": "2026-01-12",
        "report_weekday": "2", "report_time": "17:30", "phases": "动员部署,2026-01-05,2026-01-31\n集中整治,2026-02-01,2026-06-30",
        "targets": "2026:95"}


def travel(y, m, d, h, minute=0):
    return time_machine.travel(datetime.datetime(y, m, d, h, minute, tzinfo=TZ), tick=False)


def test_committee_creates_and_edits_a_campaign_with_events(client, world):
    client.force_login(world.user("committee"))
    r = client.post("/campaigns/new/", {**FORM, "units": [world.org("commerce").pk, world.org("township0").pk]})
    assert r.status_code == 302, r.content.decode()[:2000]
    c = Campaign.objects.get(name="燃气安全专项整治")
    assert (c.report_weekday, c.report_time, c.first_report_date) == (2, datetime.time(17, 30), datetime.date(2026, 1, 12))
    assert list(c.phases.values_list("name", flat=True)) == ["动员部署", "集中整治"]
    assert c.targets == {"2026": {"rectification_rate": 95}} and c.units.count() == 2
    assert c.deadline(datetime.date(2026, 3, 16)) == datetime.datetime(2026, 3, 18, 17, 30, tzinfo=TZ)
    assert "每周三17:30前报送" in client.get("/campaigns/").content.decode()
    r = client.post(f"/campaigns/{c.pk}/edit/", {**FORM, "name": "燃气安全专项整治（修订）", "report_weekday": "0",
                                                  "report_time": "12:00", "phases": "全程,2026-01-05,2026-06-30"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.name.endswith("（修订）") and c.phases.count() == 1 and c.units.count() == 0
    verbs = list(Event.objects.filter(object_type="campaigns.campaign", object_id=c.pk).values_list("verb", flat=True))
    assert verbs == ["campaign.created", "campaign.updated"]
    updated = Event.objects.get(verb="campaign.updated")
    assert updated.data["before"]["report_weekday"] == 2 and updated.data["after"]["report_weekday"] == 0


def test_bad_campaign_input_is_a_400_with_the_field(client, world):
    client.force_login(world.user("committee"))
    r = client.post("/campaigns/new/", {**FORM, "end": "2025-12-31"})
    assert r.status_code == 400 and "结束日期不能早于开始日期" in r.content.decode()
    r = client.post("/campaigns/new/", {**FORM, "phases": "动员部署,2026-13-01,2026-01-31"})
    assert r.status_code == 400 and "第1行格式" in r.content.decode()
    r = client.post("/campaigns/new/", {**FORM, "targets": "2026:150"})
    assert r.status_code == 400
    assert not Campaign.objects.filter(name="燃气安全专项整治").exists()


def test_only_the_committee_office_may_create(client, world):
    check_matrix(client, world, "/campaigns/new/", {"committee": 200, "commerce": 404, "township": 404,
                                                    "enterprise": 404, "other_region": 404})


def _campaign(world, weekday=0, at="12:00"):
    return cs.create_campaign(None, name="治本攻坚", issuer=world.org("committee"), region=world.district,
                              start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31), report_weekday=weekday,
                              report_time=datetime.time.fromisoformat(at))


def test_late_submission_is_marked_on_the_rollup(client, world):
    c = _campaign(world)
    with travel(2026, 3, 16, 11, 59):  # Monday before noon: on time
        cs.submit(world.user("commerce"), unit=world.org("commerce"), campaign=c, as_of=datetime.datetime(2026, 3, 16, 9, tzinfo=TZ))
    with travel(2026, 3, 16, 12, 1):  # one minute after the campaign's deadline: 迟报
        cs.submit(world.user("housing"), unit=world.org("housing"), campaign=c, as_of=datetime.datetime(2026, 3, 16, 9, tzinfo=TZ))
    with travel(2026, 3, 16, 15):
        data = rollup(world.org("committee"), datetime.datetime(2026, 3, 16, 15, tzinfo=TZ), c)
        lines = {line["unit"].pk: line for line in data["groups"]["department"]["lines"]}
        assert lines[world.org("commerce").pk]["late"] is False and lines[world.org("housing").pk]["late"] is True
        client.force_login(world.user("committee"))
        html = client.get("/campaigns/dispatch/rollup/?as_of=2026-03-16T15:00").content.decode()
    housing_line = html.split(f'data-testid="line-{world.org("housing").pk}"')[1].split("</tr>")[0]
    commerce_line = html.split(f'data-testid="line-{world.org("commerce").pk}"')[1].split("</tr>")[0]
    assert "迟报" in housing_line and "按时" in commerce_line and "迟报" not in commerce_line


def test_a_rollup_for_an_earlier_cut_off_still_knows_who_has_submitted_this_week(world):
    """催报 is about the current week, whatever cut-off the page shows: a unit whose only version
    this week has a later cut-off than the page's is not missing, though its line shows no
    submission up to that cut-off."""
    c = _campaign(world)
    with travel(2026, 3, 16, 11):
        cs.submit(world.user("commerce"), unit=world.org("commerce"), campaign=c, as_of=datetime.datetime(2026, 3, 16, 9, tzinfo=TZ))
    with travel(2026, 3, 16, 12, 1):
        cs.submit(world.user("housing"), unit=world.org("housing"), campaign=c, as_of=datetime.datetime(2026, 3, 16, 11, 30, tzinfo=TZ))
    with travel(2026, 3, 16, 15):
        data = rollup(world.org("committee"), datetime.datetime(2026, 3, 16, 10, tzinfo=TZ), c)
    lines = {line["unit"].pk: line for line in data["groups"]["department"]["lines"]}
    assert lines[world.org("commerce").pk]["this_week"] and lines[world.org("housing").pk]["sub"] is None
    missing = {u.pk for u in data["missing"]}
    assert world.org("commerce").pk not in missing and world.org("housing").pk not in missing
    assert missing  # the other departments have not submitted


def test_reminders_list_every_missing_unit_and_say_how(client, world):
    from accounts import services as acc

    c = _campaign(world, weekday=1, at="09:00")
    from accounts.models import DepartmentType

    silent = acc.ensure_organisation(None, kind=Organisation.Kind.DEPARTMENT, name="河北区无账号局", region=world.district,
                                     department_type=DepartmentType.objects.get(code="commerce"))
    with travel(2026, 3, 17, 10):
        cs.submit(world.user("commerce"), unit=world.org("commerce"), campaign=c, as_of=datetime.datetime(2026, 3, 17, 8, tzinfo=TZ))
        client.force_login(world.user("committee"))
        page = client.get("/campaigns/dispatch/rollup/").content.decode()
        missing = page.split('data-testid="missing"')[1].split("</ul>")[0]
        assert "河北区无账号局" in missing and "无用户账号" in missing and "河北区商务局" not in missing
        assert "3月17日 09:00" in page  # the deadline comes from the campaign
        r = client.post("/campaigns/dispatch/remind/", {"campaign": c.pk}, follow=True)
    text = r.content.decode()
    assert "河北区无账号局：无用户账号，未能在平台内提醒（请电话或书面催报）" in text
    assert "河北区住房和建设委员会：站内消息" in text
    assert silent.pk not in set(Event.objects.filter(verb="campaigns.reminded").values_list("object_id", flat=True))


def test_the_no_account_badge_marks_exactly_the_missing_units_no_active_writer_can_answer(client, world):
    """The roll-up says 无用户账号 for a missing unit with no active member who can submit — none at
    all, only a viewer, or only a deactivated officer — and not for one with an active officer; the
    remind service (which reads the memberships themselves) reaches exactly the others."""
    from django.contrib.auth import get_user_model

    from accounts import services as acc
    from accounts.models import DepartmentType, Membership

    c = _campaign(world, weekday=1, at="09:00")
    kinds = {"none": None, "viewer": Membership.Role.VIEWER, "inactive": Membership.Role.OFFICER,
             "officer": Membership.Role.OFFICER}
    units = {}
    for key, role in kinds.items():
        unit = acc.ensure_organisation(None, kind=Organisation.Kind.DEPARTMENT, name=f"河北区测试局{key}", region=world.district,
                                       department_type=DepartmentType.objects.get(code="commerce"))
        if role is not None:
            user = acc.create_user(None, username=f"badge-{key}", password=None, organisation=unit, role=role)
            if key == "inactive":
                get_user_model().objects.filter(pk=user.pk).update(is_active=False)
        units[key] = unit
    with travel(2026, 3, 17, 10):
        client.force_login(world.user("committee"))
        page = client.get("/campaigns/dispatch/rollup/").content.decode()
        r = client.post("/campaigns/dispatch/remind/", {"campaign": c.pk}, follow=True)
    missing = page.split('data-testid="missing"')[1].split("</ul>")[0]
    lines = {key: next(li for li in missing.split("<li>") if unit.name in li) for key, unit in units.items()}
    assert {key for key, li in lines.items() if 'data-testid="no-account"' in li} == {"none", "viewer", "inactive"}
    text = r.content.decode()
    assert f"{units['officer'].name}：站内消息" in text
    for key in ("none", "viewer", "inactive"):
        assert f"{units[key].name}：无用户账号" in text


def _next_committees_by_path(committee):
    """The rule by the region tree's paths (the oracle): active committee offices below the
    committee's region with no active committee office on a region between."""
    below = [o for o in Organisation.objects.filter(is_active=True, kind=Organisation.Kind.COMMITTEE).select_related("region")
             if o.region.path.startswith(committee.region.path + "/")]
    paths = [o.region.path for o in below]
    return {o.pk for o in below if not any(o.region.path.startswith(p + "/") for p in paths)}


def test_the_committee_offices_reporting_to_a_committee_are_the_next_ones_down(world):
    """A province office gets the district offices when no city office sits between, the city
    office once there is one (and the districts report to it), never an inactive office or one of
    another province — the same as the rule read on the region tree's paths."""
    from accounts import services as acc
    from campaigns.tables import reporting_units
    from regions.models import Region

    def office(code, name):
        return acc.ensure_organisation(None, kind=Organisation.Kind.COMMITTEE, name=name, region=Region.objects.get(code=code))

    province = Organisation.objects.get(kind=Organisation.Kind.COMMITTEE, region__code="12")
    hebei, hedong = world.org("committee"), office("120102", "河东区安委办")
    street = office("120105001", "光复道街道安委办")
    beijing = office("110101", "东城区安委办")
    all_offices = [province, hebei, hedong, street, beijing]

    def committees_of(c):
        return {u.pk for u in reporting_units(c) if u.kind == Organisation.Kind.COMMITTEE}

    def check():
        for c in all_offices:
            if c.is_active:
                assert committees_of(c) == _next_committees_by_path(c), c.name

    check()
    assert committees_of(province) == {hebei.pk, hedong.pk} and committees_of(hebei) == {street.pk}
    city = office("1201", "市辖区安委办")
    all_offices.append(city)
    check()
    assert committees_of(province) == {city.pk} and committees_of(city) == {hebei.pk, hedong.pk}
    Organisation.objects.filter(pk=city.pk).update(is_active=False)
    city.is_active = False
    check()
    assert committees_of(province) == {hebei.pk, hedong.pk}
    Organisation.objects.filter(pk=hebei.pk).update(is_active=False)
    check()
    assert committees_of(province) == {hedong.pk, street.pk}  # the street office now reports up directly
    assert beijing.pk not in committees_of(province)


def test_edit_page_is_for_the_issuing_office_only(client, world):
    c = _campaign(world)
    check_matrix(client, world, f"/campaigns/{c.pk}/edit/", {"committee": 200, "commerce": 404, "township": 404,
                                                             "enterprise": 404, "other_region": 404, "province": 403})


def test_fact_pages_are_for_government_units(client, world):
    for what in ("accountability", "notice"):
        check_matrix(client, world, f"/enforcement/facts/{what}/new/", {"commerce": 200, "committee": 200,
                                                                         "enterprise": 404, "agency": 404})
    client.force_login(world.user("commerce"))
    assert client.get("/enforcement/facts/nothing/new/").status_code == 404


def test_a_units_table_belongs_to_the_latest_starting_campaign_running_that_day_above_it(world):
    """campaign_for: of the campaigns of the unit's region and the regions above, the latest-starting
    one running on the day (Beijing time) of the cut-off; none running, the latest-starting one;
    never a campaign of another district, even one that starts later and is running."""
    from accounts import services as acc
    from campaigns.tables import campaign_for
    from regions.models import Region

    def campaign(issuer, region, start, end):
        return cs.create_campaign(None, name=f"{region.name}{start}", issuer=issuer, region=region,
                                  start=datetime.date.fromisoformat(start), end=datetime.date.fromisoformat(end))

    hedong = Region.objects.get(code="120102")
    hedong_office = acc.ensure_organisation(None, kind=Organisation.Kind.COMMITTEE, name="河东区安委办", region=hedong)
    province = world.org("province_committee")
    whole_year = campaign(province, province.region, "2026-01-01", "2026-12-31")
    spring = campaign(world.org("committee"), world.district, "2026-03-01", "2026-04-30")
    campaign(hedong_office, hedong, "2026-05-01", "2026-12-31")
    unit = world.org("commerce")
    chain = {world.district.code, *world.district.ancestor_codes()}

    def by_hand(day):  # the rule, read off every campaign
        mine = [c for c in Campaign.objects.select_related("region") if c.region.code in chain]
        running = [c for c in mine if c.start <= day <= c.end]
        return max(running or mine, key=lambda c: c.start)

    for moment, expected in (("2026-02-28T23:30", whole_year), ("2026-03-01T00:30", spring),
                             ("2026-06-01T12:00", whole_year), ("2027-02-01T12:00", spring), ("2025-06-01T12:00", spring)):
        local = datetime.datetime.fromisoformat(moment).replace(tzinfo=TZ)
        as_of = local.astimezone(datetime.UTC)  # as the request parses it: the day is Beijing's
        assert campaign_for(unit, as_of) == expected == by_hand(local.date()), moment
    assert campaign_for(hedong_office, datetime.datetime(2026, 6, 1, 12, tzinfo=TZ)).region == hedong


def test_the_rollup_reads_the_same_few_statements_whatever_the_units_and_submissions(world):
    """The roll-up's units, their submissions and the live region table are read set-based: adding
    units and submissions adds no statement (no query per unit or per submission)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts import services as acc
    from accounts.models import DepartmentType

    c = _campaign(world)
    committee = Organisation.objects.select_related("region").get(pk=world.org("committee").pk)  # as the page has it
    as_of = datetime.datetime(2026, 3, 16, 15, tzinfo=TZ)
    with travel(2026, 3, 16, 11):
        cs.submit(world.user("commerce"), unit=world.org("commerce"), campaign=c, as_of=datetime.datetime(2026, 3, 16, 9, tzinfo=TZ))
    with travel(2026, 3, 16, 15), CaptureQueriesContext(connection) as few:
        small = rollup(committee, as_of, c)
    for i in range(3):
        acc.ensure_organisation(None, kind=Organisation.Kind.DEPARTMENT, name=f"河北区新设局{i}", region=world.district,
                                department_type=DepartmentType.objects.get(code="commerce"))
    with travel(2026, 3, 16, 12, 30):
        for who in ("housing", "emergency"):
            cs.submit(world.user(who), unit=world.org(who), campaign=c, as_of=datetime.datetime(2026, 3, 16, 12, tzinfo=TZ))
    with travel(2026, 3, 16, 15), CaptureQueriesContext(connection) as many:
        large = rollup(committee, as_of, c)
    lines = lambda data: sum(len(g["lines"]) for g in data["groups"].values())  # noqa: E731
    assert lines(large) == lines(small) + 3 and len(large["groups"]["department"]["submitted"]) == 3
    # the units, their submissions, the live table (sections 一 to 四 in one statement)
    assert len(many) == len(few) == 3, [q["sql"][:80] for q in many.captured_queries]
