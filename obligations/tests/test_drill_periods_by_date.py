"""A sector's 应急演练周期 is a versioned rule (rule table "sector-drills"): an enterprise's drill
status for a day is judged with the period in force **that day**, not with today's.

Periods: 应急预案管理办法 art. 33 (as amended 2019, in force 2019-09-01) — 建筑施工 at least every
half-year (6 months); seed 001 asks quarterly (3 months) for 建筑施工 during the campaign, the revision
used here. Status (obligations.rules.periodic_status, docs/obligations-and-risks.md): ok = a drill in
the current calendar period, due = none yet this period but one in the previous period, overdue =
none in the previous period either. Half-years are Jan–Jun / Jul–Dec, quarters Jan–Mar / Apr–Jun /
Jul–Sep / Oct–Dec. Every expected status below is worked out by hand from those periods."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Sector
from core import ruletables
from core.services import ServiceError
from obligations import services
from obligations.summary import obligation_summaries, obligation_summary

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=TZ), tick=False)


def _drill(ent, held_on):
    services.add_drill(None, ent, plan="综合应急预案", held_on=held_on, scenario="火灾疏散", participants=20)


def _drills(ent, on) -> tuple[int, str]:
    """(period in months, status) of the 应急演练 item on ``on``, as the summary computes it."""
    facts = obligation_summary(ent, on)
    item = next(i for i in facts["items"] if i["key"] == "drills")
    return facts["drill_months"], item["status"]


def _construction_only(world):
    ent = world.ent_construction
    assert set(ent.sectors.values_list("code", flat=True)) == {"construction"}  # the premise of the dates
    return ent, Sector.objects.get(code="construction")


def _revise(world, sector, months, effective_from, persona="committee"):
    return ruletables.revise_row(world.user(persona), ruletables.table("sector-drills"), sector, {"drill_months": months},
                                 effective_from=effective_from, note="seed 001：专项整治期间每季度至少一次")


def test_a_future_revision_leaves_today_alone_and_applies_from_its_date(world):
    """Revised on 2025-06-02 to quarterly from 2025-07-01; one drill on 2025-03-10.
    2025-06-02 and 2025-06-30 (half-yearly, H1 holds the drill): ok — quarterly would say due (Q2 empty,
    Q1 holds it). 2025-07-01 and 2025-10-01 (quarterly: the quarter and the one before empty): overdue —
    half-yearly would say due (H2 empty, H1 holds it)."""
    ent, sector = _construction_only(world)
    _drill(ent, D(2025, 3, 10))
    with at(D(2025, 6, 2)):
        _revise(world, sector, 3, D(2025, 7, 1))
        assert Sector.objects.get(pk=sector.pk).drill_months == 6  # not in force yet: the live row is today's
        assert _drills(ent, D(2025, 6, 2)) == (6, "ok")
        assert services.drill_months_for(ent) == 6
    assert _drills(ent, D(2025, 6, 30)) == (6, "ok")
    assert _drills(ent, D(2025, 7, 1)) == (3, "overdue")  # Q3 and Q2 empty (half-yearly: due, H1 holds it)
    assert _drills(ent, D(2025, 10, 1)) == (3, "overdue")
    assert services.drill_months_for(ent, D(2025, 6, 30)) == 6
    assert services.drill_months_for(ent, D(2025, 7, 1)) == 3

    with at(D(2025, 7, 1)):  # the daily pass brings the live row to the version in force
        assert ruletables.apply_due() >= 1
        assert services.drill_months_for(ent) == 3
    assert Sector.objects.get(pk=sector.pk).drill_months == 3
    # a past period is still judged with the period of its day, not with today's live value
    assert _drills(ent, D(2025, 6, 30)) == (6, "ok")
    assert services.drill_months_for(ent, D(2025, 6, 30)) == 6


def test_a_backdated_revision_by_a_designated_admin_changes_only_the_days_from_its_date(world):
    """On 2025-06-02 an admin corrects 建筑施工 to quarterly from 2025-04-01; one drill on 2024-08-01.
    2025-03-31 (half-yearly: H1 2025 empty, H2 2024 holds it): due — quarterly would say overdue (Q1
    and Q4 empty). 2025-05-15 (quarterly: Q2 and Q1 empty): overdue — half-yearly would say due."""
    ent, sector = _construction_only(world)
    _drill(ent, D(2024, 8, 1))
    with at(D(2025, 6, 2)):
        with pytest.raises(ServiceError) as refused:  # the committee office may not backdate
            _revise(world, sector, 3, D(2025, 4, 1))
        assert refused.value.field == "effective_from"
        assert _drills(ent, D(2025, 5, 15)) == (6, "due")
        _revise(world, sector, 3, D(2025, 4, 1), persona="admin")
        assert Sector.objects.get(pk=sector.pk).drill_months == 3  # in force today: applied at once
    assert _drills(ent, D(2025, 3, 31)) == (6, "due")
    assert _drills(ent, D(2025, 4, 1)) == (3, "overdue")
    assert _drills(ent, D(2025, 5, 15)) == (3, "overdue")
    assert services.drill_months_for(ent, D(2025, 3, 31)) == 6
    assert services.drill_months_for(ent, D(2025, 4, 1)) == 3


def test_an_enterprise_drills_as_often_as_its_strictest_sector_on_that_day(world):
    """商贸 (half-yearly) revised to yearly from 2025-07-01: an enterprise in 商贸 alone drills yearly
    from that day; one also in 建筑施工 (half-yearly) keeps half-yearly — the stricter sector."""
    from enterprises.models import Enterprise

    commerce = Sector.objects.get(code="commerce")
    assert set(world.ent_commerce.sectors.values_list("code", flat=True)) == {"commerce"}
    with at(D(2025, 6, 2)):
        _revise(world, commerce, 12, D(2025, 7, 1))
    both = Enterprise.objects.get(pk=world.ent_commerce.pk)
    assert services.drill_months_for(both, D(2025, 6, 30)) == 6
    assert services.drill_months_for(both, D(2025, 7, 1)) == 12
    assert obligation_summary(both, D(2025, 6, 30))["drill_months"] == 6
    assert obligation_summary(both, D(2025, 7, 1))["drill_months"] == 12
    both.sectors.add(Sector.objects.get(code="construction"))
    assert services.drill_months_for(both, D(2025, 6, 30)) == 6
    assert services.drill_months_for(both, D(2025, 7, 1)) == 6
    summaries = obligation_summaries([world.ent_commerce, world.ent_construction], D(2025, 7, 1))
    assert summaries[world.ent_commerce.pk]["drill_months"] == 6
    assert summaries[world.ent_construction.pk]["drill_months"] == 6


def test_a_sector_that_did_not_exist_on_a_day_does_not_set_that_days_period(world):
    """A sector added (with its version 1) on 2025-06-02 is not in force on 2025-06-01: an enterprise
    in it alone drills by the default rule then (应急演练周期缺省值 12 months) and by the sector from
    its first day."""
    from core.models import RuleVersion

    ent, _ = _construction_only(world)
    new = Sector.objects.create(code="trial_drills", name="试验行业", drill_months=3)
    with at(D(2025, 6, 2)):
        ruletables.note_live_change(None, "sector-drills", [new])
    assert RuleVersion.objects.get(table="sector-drills", row_id=new.pk).effective_from == D(2025, 6, 2)
    ent.sectors.set([new])
    assert services.drill_months_for(ent, D(2025, 6, 1)) == 12
    assert services.drill_months_for(ent, D(2025, 6, 2)) == 3
    assert obligation_summary(ent, D(2025, 6, 1))["drill_months"] == 12
    assert obligation_summary(ent, D(2025, 6, 2))["drill_months"] == 3


def test_the_summaries_read_the_periods_in_a_constant_number_of_queries(world):
    """The /obligations/ list computes every enterprise's summary at once: the periods in force are
    read for all sectors together, not per enterprise."""
    with at(D(2025, 6, 2)):
        _revise(world, Sector.objects.get(code="construction"), 3, D(2025, 7, 1))
    few = world.enterprises[:2]
    many = list(world.enterprises)
    assert len(many) > len(few) + 5
    obligation_summaries(many, D(2025, 7, 1))  # the defaults are created once, outside the count
    with CaptureQueriesContext(connection) as small:
        obligation_summaries(few, D(2025, 7, 1))
    with CaptureQueriesContext(connection) as large:
        result = obligation_summaries(many, D(2025, 7, 1))
    assert len(large.captured_queries) == len(small.captured_queries)
    assert result[world.ent_construction.pk]["drill_months"] == 3


def test_a_day_before_version_one_is_judged_with_version_one(world):
    """The platform holds no text older than 2019-09-01 (version 1 of every sector, data migration
    accounts/0004; core.ruletables ``since``): a 2018 drill status uses it — 建筑施工 half-yearly —
    rather than treating the sector as absent (default 12 months)."""
    ent, _ = _construction_only(world)
    assert ruletables.table("sector-drills").since == D(2019, 9, 1)
    assert services.drill_months_for(ent, D(2018, 1, 1)) == 6
    assert obligation_summary(ent, D(2018, 1, 1))["drill_months"] == 6
