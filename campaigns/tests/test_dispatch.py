"""The dispatch table computed from a known scenario at two cut-offs; submission; roll-up."""

import datetime

import pytest
from django.utils import timezone

from campaigns import dispatch as D
from campaigns import services as cs
from campaigns.models import Submission
from campaigns.tables import rollup, unit_table
from core.services import NotPermitted, ServiceError

from .scenario import AS_OF_1, AS_OF_2, EXPECTED, at, build


@pytest.fixture
def scen(world):
    return build(world)


@pytest.mark.parametrize("unit", ["commerce", "housing", "township0", "township1"])
@pytest.mark.parametrize("as_of", [AS_OF_1, AS_OF_2])
def test_section_one_per_unit(world, scen, unit, as_of):
    table = unit_table(world.org(unit), as_of, scen["campaign"])
    got = {k: table.values.get(k) for k in ("1.1", "1.2", "1.3", "1.4") if table.values.get(k) is not None}
    assert got == EXPECTED[unit][as_of]
    if unit.startswith("township"):
        assert "1.3" not in table.auto


@pytest.mark.parametrize("as_of", [AS_OF_1, AS_OF_2])
def test_region_live_counts_each_hazard_once(world, scen, as_of):
    live = D.region_table(world.district, D.start_datetime(scen["campaign"].start), as_of)
    assert {k: live[k] for k in ("1.1", "1.2", "1.3", "1.4")} == EXPECTED["region"][as_of]


def test_activity_rows(world, scen):
    assert unit_table(world.org("commerce"), AS_OF_1, scen["campaign"]).values["4.1"] == 1
    assert unit_table(world.org("commerce"), AS_OF_2, scen["campaign"]).values["4.1"] == 2
    assert unit_table(world.org("township0"), AS_OF_2, scen["campaign"]).values["4.4"] == 1
    assert unit_table(world.org("housing"), AS_OF_2, scen["campaign"]).values["4.1"] == 0


def test_committee_own_table_has_no_department_rows(world, scen):
    table = unit_table(world.org("committee"), AS_OF_1, scen["campaign"])
    assert table.values["1.1"] == 3 and table.values["1.2"] == 2 and "1.3" not in table.values


def test_submission_is_frozen_and_corrections_are_versions(world, scen):
    campaign = scen["campaign"]
    with at(3, 15, 13):
        sub = cs.submit(world.user("commerce"), unit=world.org("commerce"), campaign=campaign, as_of=AS_OF_1,
                        manual={"4.7": "3", "4.6": "是"})
    assert sub.version == 1 and sub.week == datetime.date(2026, 3, 9)
    assert {k: sub.values[k] for k in ("1.1", "1.2", "1.3", "1.4")} == EXPECTED["commerce"][AS_OF_1]
    assert sub.values["4.7"] == 3 and sub.values["4.6"] is True
    frozen = dict(sub.values)
    # later data (the scenario continues to 03-22) and a correction
    with at(3, 26):
        cs.record_activity(world.user("commerce"), unit=world.org("commerce"), kind="research", date=datetime.date(2026, 3, 14))
        v2 = cs.submit(world.user("commerce"), unit=world.org("commerce"), campaign=campaign, as_of=AS_OF_1,
                       manual={"4.7": "4"}, note="更正技术检查员人数")
    sub.refresh_from_db()
    assert sub.values == frozen and sub.version == 1
    assert v2.version == 2 and v2.values["4.7"] == 4
    assert Submission.objects.filter(unit=world.org("commerce")).count() == 2


def test_submit_refusals(world, scen):
    campaign = scen["campaign"]
    with at(3, 15, 13):
        with pytest.raises(NotPermitted):
            cs.submit(world.user("housing"), unit=world.org("commerce"), campaign=campaign, as_of=AS_OF_1)
        with pytest.raises(ServiceError) as err:
            cs.submit(world.user("commerce"), unit=world.org("commerce"), campaign=campaign, as_of=AS_OF_2)
        assert err.value.field == "as_of"
        with pytest.raises(ServiceError) as err:
            cs.submit(world.user("commerce"), unit=world.org("commerce"), campaign=campaign, as_of=AS_OF_1, manual={"4.7": "x"})
        assert err.value.field == "row_4.7"


@pytest.mark.parametrize("small,large", [("1.2", "1.1"), ("1.4", "1.3"), ("2.2", "2.1"), ("2.9", "2.1"),
                                         ("3.8_dangerous_ops", "3.8"), ("4.5_anonymous", "4.5")])
def test_invariants_name_the_row(small, large):
    D.check_invariants({small: 2, large: 2})
    with pytest.raises(ServiceError) as err:
        D.check_invariants({small: 3, large: 2})
    assert err.value.field == f"row_{small}" and small in err.value.message


@pytest.mark.parametrize("small,large", [("2.2", "2.1"), ("3.8_dangerous_ops", "3.8"), ("4.5_anonymous", "4.5")])
def test_invariant_enforced_on_submit_when_rows_are_manual(world, scen, monkeypatch, small, large):
    monkeypatch.setattr(D, "feeder", lambda app: None)  # as if the feeding apps did not exist yet
    with at(3, 15, 13), pytest.raises(ServiceError) as err:
        cs.submit(world.user("commerce"), unit=world.org("commerce"), campaign=scen["campaign"], as_of=AS_OF_1,
                  manual={small: "5", large: "3"})
    assert err.value.field == f"row_{small}"
    assert not Submission.objects.exists()


def test_spot_checks_and_visits_feed_sections_two_and_three(world, scen):
    pytest.importorskip("inspections.dispatch")
    from inspections import services as ins

    with at(3, 11):
        ins.record_spot_check(world.user("commerce"), enterprise=world.ent_commerce, checked_on=datetime.date(2026, 3, 11),
                              answers={"2.2": True}, no_agreement=True)
        ins.record_spot_check(world.user("commerce"), enterprise=world.ent_commerce, checked_on=datetime.date(2026, 3, 11),
                              answers={"2.3": True})
        ins.record_spot_check(world.user("township"), enterprise=world.ent_commerce, checked_on=datetime.date(2026, 3, 11),
                              answers={"2.2": True})
        ins.record_visit(world.user("commerce"), kind="help_enterprise", visited_on=datetime.date(2026, 3, 11),
                         content="帮扶", enterprise=world.ent_commerce2)
    with at(3, 20):
        ins.record_spot_check(world.user("commerce"), enterprise=world.ent_commerce2, checked_on=datetime.date(2026, 3, 20))
    v1 = unit_table(world.org("commerce"), AS_OF_1, scen["campaign"]).values
    assert (v1["2.1"], v1["2.2"], v1["2.3"], v1["2.7"], v1["3.2"]) == (1, 1, 1, 1, 1)
    v2 = unit_table(world.org("commerce"), AS_OF_2, scen["campaign"]).values
    assert v2["2.1"] == 2
    assert unit_table(world.org("township0"), AS_OF_1, scen["campaign"]).values["2.1"] == 1
    live = rollup(world.org("committee"), AS_OF_1, scen["campaign"])["live"]
    assert live["2.1"] == 1 and live["2.2"] == 1  # the same enterprise once, however many units checked it


def test_rollup_groups_and_live(world, scen):
    campaign = scen["campaign"]
    with at(3, 15, 13):
        for persona, unit in (("commerce", "commerce"), ("housing", "housing"), ("township", "township0")):
            cs.submit(world.user(persona), unit=world.org(unit), campaign=campaign, as_of=AS_OF_1)
    for as_of in (AS_OF_1, AS_OF_2):
        data = rollup(world.org("committee"), as_of, campaign)
        dept, town = data["groups"]["department"]["values"], data["groups"]["township"]["values"]
        # submitted tables stay as frozen at AS_OF_1 (3 + 0 self-found; 1 + 1 department-found)
        assert {k: dept[k] for k in ("1.1", "1.2", "1.3", "1.4")} == {"1.1": 3, "1.2": 2, "1.3": 2, "1.4": 0}
        assert {k: town[k] for k in ("1.1", "1.2")} == {"1.1": 3, "1.2": 2}
        assert {k: data["live"][k] for k in ("1.1", "1.2", "1.3", "1.4")} == EXPECTED["region"][as_of]
    with at(3, 16):
        missing = {u.pk for u in rollup(world.org("committee"), AS_OF_1, campaign)["missing"]}
    assert world.org("commerce").pk in missing  # a new week began on 03-16


def test_reminders_are_idempotent_per_unit_per_week(world, scen):
    from core.models import Notification

    with at(3, 16, 13):
        n1 = cs.remind_missing(world.user("committee"), committee=world.org("committee"), campaign=scen["campaign"])
        n2 = cs.remind_missing(world.user("committee"), committee=world.org("committee"), campaign=scen["campaign"])
    newly = lambda lines: sum(1 for line in lines if line["newly"])  # noqa: E731
    assert newly(n1) > 0 and newly(n2) == 0
    assert all("本周已提醒过" in line["how"] for line in n2 if line["users"])
    assert Notification.objects.filter(recipient=world.user("commerce"), kind="dispatch_reminder").count() == 1
    with pytest.raises(NotPermitted):
        cs.remind_missing(world.user("commerce"), committee=world.org("committee"), campaign=scen["campaign"])


def test_section_one_is_one_query(world, scen, django_assert_num_queries):
    unit = world.org("township0")
    qs = D.unit_hazards(unit)
    with django_assert_num_queries(1):
        D.section_one(qs, D.start_datetime(scen["campaign"].start), AS_OF_1, departments_rows=False)


def test_penalties_feed_section_three(world, scen):
    pytest.importorskip("enforcement.dispatch")
    from enforcement import services as es
    from enforcement.models import CaseParty, PenaltyArticle
    from enforcement.tests.helpers import order_to_correct

    art = PenaltyArticle.objects.filter(article=101, item="(五)逾期").first()
    if art is None:
        pytest.skip("penalty catalogue not loaded")
    commerce = world.user("commerce")
    with at(3, 11):
        # filed before its correction order (a decision is never dated before its case)
        case = es.open_case(commerce, enterprise=world.ent_commerce, title="逾期未整改", facts="检查发现",
                            opened_on=timezone.localdate() - datetime.timedelta(days=80))
        es.advance(commerce, case, "investigate")
        es.advance(commerce, case, "notify")
        # 逾期未改正 presupposes the 责令限期改正 (with its fine) — made before the campaign
        order_to_correct(world, case, 101, "(五)", ordered=-80, deadline=-60)
        es.decide_penalty(commerce, case, party=case.parties.get(kind=CaseParty.Kind.ENTITY), article=art, amount=150000)
        es.decide_penalty(commerce, case, party=case.parties.get(role=CaseParty.Role.PRINCIPAL), article=art, amount=30000)
    v1 = unit_table(world.org("commerce"), AS_OF_1, scen["campaign"]).values
    assert v1["3.3"] == 2 and v1["3.3_amount"] == "18.0000" and v1["3.4"] == 1
    v0 = unit_table(world.org("commerce"), datetime.datetime(2026, 3, 10, 12, tzinfo=AS_OF_1.tzinfo), scen["campaign"]).values
    assert v0["3.3"] == 0
    assert unit_table(world.org("housing"), AS_OF_1, scen["campaign"]).values["3.3"] == 0
    with at(3, 15, 13):
        sub = cs.submit(commerce, unit=world.org("commerce"), campaign=scen["campaign"], as_of=AS_OF_1)
    assert sub.values["3.3_amount"] == "18.0000"
