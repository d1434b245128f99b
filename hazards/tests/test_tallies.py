"""The hazard tallies equal a GROUP BY over the hazards table, whatever wrote the hazards: a random
corpus through the services (register, transitions, extension, merge, void, reopen, import), the
bulk paths (import, the benchmark generator's COPY path, the demo loader), and after a rebuild.

The oracle below recounts the keys in Python from the hazard rows with its own date arithmetic
(zoneinfo, weekday()), independent of the triggers' and the rebuild's SQL: an open hazard whose
deadline lies before the cutoff stored in ``HazardTallyCutoff`` (state, read as a plain row) is
keyed ``PAST_DEADLINE``; the county tally is the same counts without the township."""

import datetime
import io
import random
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from openpyxl import Workbook

from accounts.models import Sector
from hazards import services as hs
from hazards import tallies, workflow
from hazards.models import (
    NO_DEADLINE,
    PAST_DEADLINE,
    Hazard,
    HazardCityTally,
    HazardCityWeekTally,
    HazardCountyTally,
    HazardTally,
    HazardTallyCutoff,
    HazardWeekTally,
)

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
OPEN = ("registered", "rectifying", "pending_acceptance")
CODES = ("county_code", "township_code", "province_code", "city_code")


def _monday(day):
    return day - datetime.timedelta(days=day.weekday())


def stored_cutoff():
    row = HazardTallyCutoff.objects.filter(pk=1).first()
    return row.past_before if row else None


def _without_township(counter: Counter) -> Counter:
    out = Counter()
    for key, n in counter.items():
        out[key[:1] + key[2:]] += n  # CODES[1] is the township
    return out


def oracle() -> tuple[Counter, Counter]:
    main, weekly = Counter(), Counter()
    cut = stored_cutoff()
    for h in Hazard.objects.values(*CODES, "sector_id", "channel", "grade", "status", "deadline", "closed_at",
                                   "first_reported_at"):
        codes = tuple(h[c] for c in CODES)
        if h["status"] in OPEN and h["deadline"]:
            dw = PAST_DEADLINE if cut is not None and h["deadline"] < cut else _monday(h["deadline"])
        else:
            dw = NO_DEADLINE
        on_time = bool(h["status"] == "closed" and h["deadline"] and h["closed_at"]
                       and h["closed_at"].astimezone(TZ).date() <= h["deadline"])
        main[codes + (h["sector_id"], h["channel"], h["grade"], h["status"], dw, on_time)] += 1
        week = _monday(h["first_reported_at"].astimezone(TZ).date())
        weekly[codes + (h["sector_id"], h["grade"], h["status"], week)] += 1
    return main, weekly


def kept() -> tuple[Counter, Counter]:
    main, weekly = Counter(), Counter()
    for r in HazardTally.objects.filter(n__gt=0).values(*CODES, "sector_id", "channel", "grade", "status",
                                                         "deadline_week", "on_time", "n"):
        main[tuple(r[c] for c in CODES) + (r["sector_id"], r["channel"], r["grade"], r["status"], r["deadline_week"],
                                            bool(r["on_time"]))] += r["n"]
    for r in HazardWeekTally.objects.filter(n__gt=0).values(*CODES, "sector_id", "grade", "status", "week", "n"):
        weekly[tuple(r[c] for c in CODES) + (r["sector_id"], r["grade"], r["status"], r["week"])] += r["n"]
    assert not HazardTally.objects.filter(n__lt=0).exists() and not HazardWeekTally.objects.filter(n__lt=0).exists()
    return main, weekly


def _city(counter: Counter) -> Counter:
    """(county, township, province, city, *rest) → (province, city, *rest)"""
    out = Counter()
    for key, n in counter.items():
        out[key[2:]] += n
    return out


def kept_city() -> tuple[Counter, Counter]:
    main, weekly = Counter(), Counter()
    for r in HazardCityTally.objects.filter(n__gt=0).values("province_code", "city_code", "sector_id", "channel", "grade",
                                                             "status", "deadline_week", "on_time", "n"):
        main[(r["province_code"], r["city_code"], r["sector_id"], r["channel"], r["grade"], r["status"], r["deadline_week"],
              bool(r["on_time"]))] += r["n"]
    for r in HazardCityWeekTally.objects.filter(n__gt=0).values("province_code", "city_code", "sector_id", "grade", "status",
                                                                 "week", "n"):
        weekly[(r["province_code"], r["city_code"], r["sector_id"], r["grade"], r["status"], r["week"])] += r["n"]
    assert not HazardCityTally.objects.filter(n__lt=0).exists() and not HazardCityWeekTally.objects.filter(n__lt=0).exists()
    return main, weekly


def kept_county() -> Counter:
    out = Counter()
    codes = tuple(c for c in CODES if c != "township_code")
    for r in HazardCountyTally.objects.filter(n__gt=0).values(*codes, "sector_id", "channel", "grade", "status",
                                                               "deadline_week", "on_time", "n"):
        out[tuple(r[c] for c in codes) + (r["sector_id"], r["channel"], r["grade"], r["status"], r["deadline_week"],
                                          bool(r["on_time"]))] += r["n"]
    assert not HazardCountyTally.objects.filter(n__lt=0).exists()
    return out


def assert_tally_is_exact():
    truth, have = oracle(), kept()
    assert have[0] == truth[0]
    assert have[1] == truth[1]
    assert kept_county() == _without_township(truth[0])
    assert kept_city() == (_city(truth[0]), _city(truth[1]))
    assert tallies.differences() == []


def travel(day, hour=10):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ), tick=False)


PLAN = dict(goal_tasks="消除隐患", measures="整改", funds_materials="已落实", responsible="设备部",
            deadline=datetime.date(2031, 1, 31), safety_emergency="应急预案")


def _register(world, rng, day):
    ent, sector = rng.choice([(world.ent_commerce, "commerce"), (world.ent_commerce2, "commerce"),
                              (world.ent_construction, "construction"), (world.ent_hazchem, "hazchem")])
    grade = "major" if rng.random() < 0.3 else "general"
    deadline = day + datetime.timedelta(days=rng.choice([0, 3, 6, 10, 20])) if grade == "major" or rng.random() < 0.8 else None
    return hs.register_hazard(None, enterprise=ent, sector=Sector.objects.get(code=sector), description="随机隐患",
                              grade=grade, channel=rng.choice(["self_check", "inspection", "supervision", "tip"]),
                              deadline=deadline, basis_reason="可能导致群死群伤" if grade == "major" else "",
                              notify_people=False)


def _step(rng, h, day):
    """One service call that the hazard's state allows (actor None: the system, full authority)."""
    h.refresh_from_db()
    s = h.status
    if s == "registered":
        choice = rng.choice(["plan", "plan", "close", "void", "merge"])
        if choice == "close" and h.grade == "general":
            return hs.close_now(None, h, evidence_note="已整改")
        if choice == "void":
            return hs.void(None, h, reason="误报")
        if choice == "merge":
            into = next((c for c in Hazard.objects.filter(enterprise=h.enterprise, status__in=OPEN).exclude(pk=h.pk)
                         .order_by("pk") if hs.merge_refusal(h, c) is None), None)
            if into is not None:
                return hs.merge(None, h, into=into, reason="重复")
        return hs.submit_plan(None, h, plan=PLAN, deadline=day + datetime.timedelta(days=5))
    if s == "rectifying":
        choice = rng.choice(["complete", "complete", "extend"])
        if choice == "extend" and h.deadline and not h.extensions.filter(status="pending").exists():
            hs.request_extension(None, h, new_deadline=h.deadline + datetime.timedelta(days=rng.choice([3, 9])), reason="材料未到")
            return hs.decide_extension(None, Hazard.objects.get(pk=h.pk), approve=rng.random() < 0.7)
        return hs.submit_completion(None, h, evidence_note="已整改")
    if s == "pending_acceptance":
        if rng.random() < 0.3:
            return hs.reject(None, h, reason="未整改到位")
        return hs.accept(None, h, opinion="同意")
    if s == "closed" and rng.random() < 0.3:
        return hs.reopen(None, h, reason="再次发现", deadline=day + datetime.timedelta(days=rng.choice([2, 8])) if rng.random() < 0.5 else None)
    return h


def _import_rows(world, n, day):
    from hazards.importing import COLUMNS

    wb = Workbook()
    wb.active.append(COLUMNS)
    for i in range(n):
        row = {"统一社会信用代码": world.ent_commerce2.credit_code, "隐患描述": f"导入隐患{i}", "隐患等级": "一般",
               "行业领域": "commerce", "发现渠道": "部门检查", "发现日期": day.isoformat(),
               "整改期限": (day + datetime.timedelta(days=i % 9)).isoformat(), "状态": "已销号" if i % 3 == 0 else "已登记"}
        wb.active.append([row.get(c) for c in COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("seed", [1, 2])
def test_a_random_corpus_through_the_services_keeps_the_tally_equal_to_a_group_by(world, seed):
    from hazards.importing import import_hazards

    rng = random.Random(seed)
    day = datetime.date(2026, 2, 23) + datetime.timedelta(days=seed)
    hazards = []
    for _ in range(16):  # sixteen days, crossing week boundaries and deadlines
        with travel(day, hour=rng.choice([1, 10, 23])):  # 01:00 and 23:00 Shanghai: other UTC days
            for _ in range(rng.randint(1, 3)):
                hazards.append(_register(world, rng, day))
            for h in rng.sample(hazards, min(len(hazards), 5)):
                _step(rng, h, day)
            if rng.random() < 0.2:
                result = import_hazards(world.user("commerce"), _import_rows(world, rng.randint(2, 5), day), dry_run=False)
                assert result["committed"], result["errors"]
        day += datetime.timedelta(days=1)
    statuses = set(Hazard.objects.values_list("status", flat=True))
    assert {"registered", "rectifying", "closed"} <= statuses and len(statuses) >= 4
    assert_tally_is_exact()


def test_direct_row_updates_and_deletes_are_counted_too(world):
    with travel(datetime.date(2026, 3, 2)):
        h = _register(world, random.Random(3), datetime.date(2026, 3, 2))
    Hazard.objects.filter(pk=h.pk).update(deadline=datetime.date(2026, 3, 1), township_code="120105999")
    assert_tally_is_exact()
    Hazard.objects.filter(pk=h.pk).update(location="二号车间")  # not a key: nothing to do
    assert_tally_is_exact()


def test_the_import_path_counts_every_committed_row_and_a_dry_run_nothing(world):
    from hazards.importing import import_hazards

    data = _import_rows(world, 12, datetime.date(2026, 3, 4))
    assert import_hazards(world.user("commerce"), data, dry_run=True)["committed"] is False
    assert HazardTally.objects.filter(n__gt=0).count() == 0
    assert import_hazards(world.user("commerce"), data, dry_run=False)["committed"]
    assert sum(HazardTally.objects.values_list("n", flat=True)) == 12
    assert_tally_is_exact()


def test_the_generator_copy_path_with_triggers_suspended_is_rebuilt(world):
    from bench.generator import generate

    generate("tiny", seed=5)
    assert Hazard.objects.count() >= 600
    assert tallies.installed()
    assert_tally_is_exact()


def test_the_demo_loader_is_counted(world):
    from hazards import demo

    demo.load(world.ctx)
    assert Hazard.objects.count() > 30
    assert_tally_is_exact()


def test_rebuild_and_reconcile_repair_a_damaged_tally(world):
    rng = random.Random(4)
    with travel(datetime.date(2026, 3, 3)):
        for _ in range(6):
            _register(world, rng, datetime.date(2026, 3, 3))
    HazardTally.objects.all().delete()
    HazardWeekTally.objects.filter(pk=HazardWeekTally.objects.first().pk).update(n=99)
    assert tallies.differences()
    tallies.rebuild(world.district)
    assert_tally_is_exact()
    tallies.uninstall()  # a bulk load that died with the triggers off
    with travel(datetime.date(2026, 3, 3)):
        _register(world, rng, datetime.date(2026, 3, 3))
    assert tallies.differences()
    result = tallies.reconcile()
    assert result["reinstalled"] and tallies.installed()
    assert_tally_is_exact()
    with travel(datetime.date(2026, 3, 3)):
        _register(world, rng, datetime.date(2026, 3, 3))
    assert_tally_is_exact()


def test_rebuild_tallies_command_and_the_periodic_reconcile_job(world):
    from jobs.schedules import PERIODIC

    with travel(datetime.date(2026, 3, 3)):
        _register(world, random.Random(6), datetime.date(2026, 3, 3))
    HazardTally.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_tallies", stdout=out)
    assert "重建" in out.getvalue()
    assert_tally_is_exact()
    call_command("rebuild_tallies", "--check", stdout=out)
    assert "一致" in out.getvalue()
    assert any(p.name == "tallies.reconcile" for p in PERIODIC)
    from jobs.periodic import run_system

    HazardTally.objects.all().delete()
    run_system("tallies.reconcile")
    assert_tally_is_exact()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks")
def test_postgresql_trigger_is_installed_as_a_row_trigger():
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_trigger WHERE tgname = %s", [tallies.TRIGGER])
        assert cur.fetchone()[0] == 1


def test_open_states_of_the_oracle_are_the_workflows():
    assert tuple(OPEN) == tuple(workflow.OPEN_STATES)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: the import defers its counting")
def test_a_postgresql_import_counts_its_rows_once_at_the_end_and_the_triggers_count_again_after(world):
    from django.db import transaction

    from hazards.importing import import_hazards

    with transaction.atomic():  # e.g. a job runner's transaction around the import
        assert import_hazards(world.user("commerce"), _import_rows(world, 9, datetime.date(2026, 3, 4)), dry_run=False)["committed"]
        assert sum(HazardTally.objects.values_list("n", flat=True)) == 9
        with travel(datetime.date(2026, 3, 4)):
            _register(world, random.Random(8), datetime.date(2026, 3, 4))  # same transaction: counted by the trigger
        assert sum(HazardTally.objects.values_list("n", flat=True)) == 10
        assert import_hazards(world.user("commerce"), _import_rows(world, 4, datetime.date(2026, 3, 4)), dry_run=True)["committed"] is False
        with travel(datetime.date(2026, 3, 4)):
            _register(world, random.Random(9), datetime.date(2026, 3, 4))  # after a dry run's rollback: still counted
    assert_tally_is_exact()
    assert sum(HazardTally.objects.values_list("n", flat=True)) == 11


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: the trigger's WHEN clause")
def test_a_deferred_transactions_rows_do_not_call_the_postgresql_trigger_at_all(world):
    """The row trigger's WHEN clause reads the deferral setting, so a deferred import queues no event."""
    with connection.cursor() as cur:
        cur.execute("SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = %s", [tallies.TRIGGER])
        definition = cur.fetchone()[0]
    assert f"WHEN ((current_setting('{tallies.DEFERRED}'::text, true) IS DISTINCT FROM 'on'::text))" in definition, definition


def test_counts_is_scoped_like_visible_to_and_none_for_enterprise_users(world):
    from django.db.models import Count

    rng = random.Random(11)
    with travel(datetime.date(2026, 3, 3)):
        for _ in range(10):
            _register(world, rng, datetime.date(2026, 3, 3))
    for persona in ("committee", "commerce", "housing", "township", "other_region", "admin"):
        user = world.user(persona)
        direct = {(r["township_code"], r["status"]): r["k"] for r in Hazard.objects.visible_to(user)
                  .values("township_code", "status").annotate(k=Count("pk")).order_by()}
        via = {(r["township_code"], r["status"]): r["n"] for r in tallies.counts(user, by=["township_code", "status"])}
        assert via == direct, persona
        assert tallies.counts(user)[0]["n"] == Hazard.objects.visible_to(user).count()
    assert tallies.counts(world.user("enterprise")) is None


def test_a_migration_that_drops_the_triggers_gets_them_back_after_migrate(world):
    from django.apps import apps

    from hazards.apps import _ensure_tally_triggers

    with travel(datetime.date(2026, 3, 3)):
        _register(world, random.Random(12), datetime.date(2026, 3, 3))
    tallies.uninstall()  # what a SQLite table remake does to them
    HazardTally.objects.all().delete()
    _ensure_tally_triggers(apps.get_app_config("hazards"))  # the post_migrate handler
    assert tallies.installed()
    assert_tally_is_exact()


@pytest.mark.postgres
def test_every_tally_table_keeps_room_on_its_pages_for_hot_updates_of_its_counts():
    """PostgreSQL: each tally table is stored with fillfactor 70 (migration hazards.0021), so the
    update of a count stays on its page (HOT) instead of adding an entry to each of its indexes."""
    from hazards.models import HazardCityTally, HazardCityWeekTally, HazardCountyTally, HazardWeekTally

    models = (HazardTally, HazardWeekTally, HazardCountyTally, HazardCityTally, HazardCityWeekTally)
    with connection.cursor() as cur:
        cur.execute("SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)", [[m._meta.db_table for m in models]])
        options = dict(cur.fetchall())
    assert options == {m._meta.db_table: ["fillfactor=70"] for m in models}
