"""Open hazards whose deadline fell in a past week are counted under one past key (``PAST_DEADLINE``)
of the tallies, not one key per week: the weekly fold moves the cutoff and folds the weeks that
became past, the triggers key new writes by the cutoff in force, and the figures read from the
tallies (overdue, open, due this week) stay those of the hazards themselves — counted here
directly, and the tally rows against the Python oracle of test_tallies (which reads the cutoff as
a plain stored row and collapses by itself). Runs on SQLite and PostgreSQL (the trigger paths)."""

import datetime
import importlib
import random

import pytest
from django.apps import apps as django_apps
from django.db import connection

from hazards import tallies
from hazards.models import (
    PAST_DEADLINE,
    Hazard,
    HazardCityTally,
    HazardCityWeekTally,
    HazardCountyTally,
    HazardTally,
    HazardTallyCutoff,
    HazardWeekTally,
)
from hazards.tests.test_tallies import _register, _step, assert_tally_is_exact, oracle, travel

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 3, 2)


def _open_overdue_direct(user, today):
    qs = Hazard.objects.visible_to(user)
    return {"open": qs.open().count(), "open_major": qs.open().major().count(), "overdue": qs.overdue(today).count()}


def _corpus(world, seed, first_day, days):
    rng = random.Random(seed)
    made = []
    day = first_day
    for _ in range(days):
        with travel(day, hour=rng.choice([1, 10, 23])):
            for _ in range(rng.randint(2, 4)):
                made.append(_register(world, rng, day))
            for h in rng.sample(made, min(len(made), 3)):
                _step(rng, h, day)
        day += datetime.timedelta(days=1)
    return rng, made


def test_a_week_that_becomes_past_is_folded_into_the_past_key_and_every_figure_stays_equal(world):
    rng, made = _corpus(world, 21, MONDAY - datetime.timedelta(days=14), 16)  # two weeks back to this Tuesday
    wednesday = MONDAY + datetime.timedelta(days=2)
    with travel(wednesday):
        assert tallies.fold()["cutoff"] == MONDAY
        assert HazardTallyCutoff.objects.get(pk=1).past_before == MONDAY
        assert_tally_is_exact()
        weeks = set(HazardTally.objects.filter(n__gt=0, status__in=tallies.workflow.OPEN_STATES)
                    .values_list("deadline_week", flat=True))
        assert PAST_DEADLINE in weeks and all(w >= MONDAY for w in weeks - {PAST_DEADLINE})
        assert tallies.fold()["folded"] == 0  # idempotent within the week
        for persona in ("committee", "commerce", "township", "admin"):
            user = world.user(persona)
            assert tallies.open_figures(user, Hazard.objects.visible_to(user), wednesday) == _open_overdue_direct(user, wednesday)
    # next week, before the fold has run: the figures are already right (the readers sum every
    # key before this week), the tally still holds last week's key
    next_tuesday = MONDAY + datetime.timedelta(days=8)
    with travel(next_tuesday):
        for h in rng.sample(made, 6):
            _step(rng, h, next_tuesday)
        assert_tally_is_exact()  # keys by the cutoff in force (still MONDAY)
        stale = HazardTally.objects.filter(n__gt=0, deadline_week=MONDAY, status__in=tallies.workflow.OPEN_STATES).count()
        for persona in ("committee", "commerce", "township", "admin"):
            user = world.user(persona)
            assert tallies.open_figures(user, Hazard.objects.visible_to(user), next_tuesday) == _open_overdue_direct(user, next_tuesday)
        result = tallies.fold()
        assert result["cutoff"] == MONDAY + datetime.timedelta(days=7) and (result["folded"] > 0 or stale == 0)
        assert not HazardTally.objects.filter(deadline_week=MONDAY).exists()
        assert not HazardCountyTally.objects.filter(deadline_week=MONDAY).exists()
        assert not HazardCityTally.objects.filter(deadline_week=MONDAY).exists()
        assert_tally_is_exact()
        for persona in ("committee", "commerce", "township", "admin"):
            user = world.user(persona)
            assert tallies.open_figures(user, Hazard.objects.visible_to(user), next_tuesday) == _open_overdue_direct(user, next_tuesday)
        # the triggers after the fold: transitions of hazards counted under the past key move them out of it
        for h in Hazard.objects.filter(status__in=tallies.workflow.OPEN_STATES, deadline__lt=result["cutoff"])[:5]:
            _step(rng, h, next_tuesday)
        made.append(_register(world, rng, next_tuesday))
        h = made[-1]
        Hazard.objects.filter(pk=h.pk).update(deadline=MONDAY - datetime.timedelta(days=20))  # straight into the past key
        assert_tally_is_exact()


def test_the_cutoff_never_moves_back_and_an_empty_cutoff_collapses_nothing(world):
    with travel(MONDAY):
        h = _register(world, random.Random(3), MONDAY)
        Hazard.objects.filter(pk=h.pk).update(deadline=MONDAY - datetime.timedelta(days=30), status="registered")
        assert not HazardTallyCutoff.objects.exists()
        assert HazardTally.objects.get(n=1).deadline_week == datetime.date(2026, 1, 26)  # Saturday 31 January's Monday
        tallies.fold()
        assert HazardTally.objects.get(n=1).deadline_week == PAST_DEADLINE
        assert tallies.fold(MONDAY - datetime.timedelta(days=7))["cutoff"] == MONDAY
        assert_tally_is_exact()


def test_rebuild_reconcile_and_the_fold_job_give_the_collapsed_form(world):
    from jobs.periodic import run_system
    from jobs.schedules import PERIODIC

    _corpus(world, 22, MONDAY - datetime.timedelta(days=10), 8)
    assert any(p.name == "tallies.fold" and p.schedule_type == "D" for p in PERIODIC)
    with travel(MONDAY + datetime.timedelta(days=1)):
        run_system("tallies.fold")
        assert HazardTallyCutoff.objects.get(pk=1).past_before == MONDAY
        assert_tally_is_exact()
        HazardTally.objects.all().delete()
        HazardCountyTally.objects.all().delete()
        HazardCityTally.objects.all().delete()
        HazardCityWeekTally.objects.update(n=3)
        tallies.rebuild()
        assert_tally_is_exact()
        HazardCountyTally.objects.update(n=7)
        assert tallies.reconcile()["differences"]
        assert_tally_is_exact()
    with travel(MONDAY + datetime.timedelta(days=9)):  # a week on, the fold job missed: reconcile folds too
        assert tallies.reconcile()["folded"] >= 0
        assert HazardTallyCutoff.objects.get(pk=1).past_before == MONDAY + datetime.timedelta(days=7)
        assert_tally_is_exact()


class _Editor:
    connection = connection


def test_the_migration_converts_an_existing_tally_and_reverses_to_the_weekly_form(world):
    migration = importlib.import_module("hazards.migrations.0013_tally_overdue_bucket_county_city_tallies")
    tallies.uninstall()
    tallies.install(legacy=True)  # the database as 0012 left it
    with travel(MONDAY + datetime.timedelta(days=3)):
        _corpus(world, 23, MONDAY - datetime.timedelta(days=12), 14)
        assert not HazardTallyCutoff.objects.exists() and not HazardCountyTally.objects.exists()
        assert not HazardCityTally.objects.exists() and not HazardCityWeekTally.objects.exists()
        legacy_main, _ = oracle()  # no cutoff stored: every deadline under its week
        assert any(k[-2] < MONDAY for k in legacy_main)
        assert {k: v for k, v in legacy_main.items()} == {
            tuple(r[:-1]): r[-1] for r in _main_rows()}
        migration.collapse(django_apps, _Editor())
        assert HazardTallyCutoff.objects.get(pk=1).past_before == MONDAY
        assert_tally_is_exact()  # collapsed, and the county tally summed
        _register(world, random.Random(5), MONDAY + datetime.timedelta(days=3))  # the new triggers count both tallies
        assert_tally_is_exact()
        migration.expand(django_apps, _Editor())
        HazardTallyCutoff.objects.all().delete()  # what reversing drops with its table
        legacy_main, _ = oracle()
        assert {tuple(r[:-1]): r[-1] for r in _main_rows()} == +legacy_main
        for model in (HazardCountyTally, HazardCityTally, HazardCityWeekTally):
            model.objects.all().delete()
        _register(world, random.Random(6), MONDAY + datetime.timedelta(days=3))  # the legacy triggers: main and week only
        assert not HazardCountyTally.objects.exists() and not HazardCityTally.objects.exists()
        assert not HazardCityWeekTally.objects.exists()
        legacy_main, _ = oracle()
        assert {tuple(r[:-1]): r[-1] for r in _main_rows()} == +legacy_main
    tallies.install()


def _main_rows():
    from hazards.tests.test_tallies import CODES

    return [tuple(r[c] for c in CODES) + (r["sector_id"], r["channel"], r["grade"], r["status"], r["deadline_week"],
                                         bool(r["on_time"]), r["n"])
            for r in HazardTally.objects.filter(n__gt=0).values(*CODES, "sector_id", "channel", "grade", "status",
                                                                "deadline_week", "on_time", "n")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: the trigger reads the cutoff once per row")
def test_postgresql_trigger_function_reads_the_cutoff_and_keeps_the_county_tally():
    with connection.cursor() as cur:
        cur.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [f"{tallies.TRIGGER}_row"])
        src = cur.fetchone()[0]
    assert tallies.CUTOFF in src and tallies.COUNTY in src


def test_the_readers_pick_the_county_tally_unless_townships_are_needed(world):
    assert tallies.rows(world.user("committee")).model is HazardCountyTally  # a county's committee office
    assert tallies.rows(world.user("committee"), level="township").model is HazardTally
    assert tallies.rows(world.user("committee"), weekly=True).model is HazardWeekTally
    assert tallies.rows(world.user("township")).model is HazardTally
    for persona in ("province", "admin"):
        assert tallies.rows(world.user(persona)).model is HazardCityTally
        assert tallies.rows(world.user(persona), level="city").model is HazardCityTally
        assert tallies.rows(world.user(persona), level="county").model is HazardCountyTally
        assert tallies.rows(world.user(persona), weekly=True).model is HazardCityWeekTally


def test_a_cutoff_row_left_empty_by_hand_is_set_by_the_next_fold(world):
    with travel(MONDAY):
        h = _register(world, random.Random(5), MONDAY)
        Hazard.objects.filter(pk=h.pk).update(deadline=MONDAY - datetime.timedelta(days=30), status="registered")
        HazardTallyCutoff.objects.create(pk=1, past_before=None)  # e.g. cleared in a database console
        assert tallies.fold()["cutoff"] == MONDAY
        assert tallies.cutoff() == MONDAY and HazardTally.objects.get(n=1).deadline_week == PAST_DEADLINE
        assert_tally_is_exact()


def test_the_home_cards_read_their_counts_from_the_primary_database_as_the_overdue_count(world, monkeypatch):
    """Both halves of a card (the tally, this week's deadlines counted on the hazards) describe
    the same instant: a read database that lags (here: one that does not exist) is not used."""
    import core.routers
    from hazards.home import figures

    with travel(MONDAY):
        h = _register(world, random.Random(7), MONDAY)
        Hazard.objects.filter(pk=h.pk).update(deadline=MONDAY + datetime.timedelta(days=1), status="registered")
    with travel(MONDAY + datetime.timedelta(days=3)):
        monkeypatch.setattr(core.routers, "read_db", lambda: "no-such-replica")
        user = world.user("committee")
        assert figures(user) == _open_overdue_direct(user, MONDAY + datetime.timedelta(days=3))
