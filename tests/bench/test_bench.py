"""The benchmark harness measures the right thing: the floors compute the app's numbers, the B3
file imports cleanly with one event per transition. (Timing is never asserted.)"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from bench.actors import ensure_actors
from bench.b3_import import write_file
from bench.dispatch_sql import section_one_sql
from bench.generator import generate
from core.models import Event
from regions.loader import TEST_FILE, load_regions


@pytest.fixture
def actors(db):
    load_regions(TEST_FILE)
    generate("tiny", seed=3)
    return ensure_actors("tiny")


def test_section_one_floor_matches_the_dispatch_table(actors):
    from django.db import connection

    from campaigns import dispatch as D

    as_of = timezone.now() - datetime.timedelta(days=30)  # a past cut-off: state rebuilt from events
    start = as_of - datetime.timedelta(days=3 * 365)
    for values, (level, code, sectors) in [
        (D.region_table(actors.county, start, as_of), ("county", actors.county.code, None)),
        (D.unit_table(actors.department, start, as_of), ("county", actors.county.code, actors.department.lead_sector_ids())),
    ]:
        sql, params = section_one_sql(level, code, sectors, start, as_of)
        with connection.cursor() as cur:
            cur.execute(sql, params)
            floor = [int(v) for v in cur.fetchone()]
        assert [values["1.1"], values["1.2"], values["1.3"], values["1.4"]] == floor
    assert floor[0] + floor[2] > 0  # the tiny dataset has major hazards in the window


def test_both_section_three_floors_equal_the_dispatch_numbers_for_a_unit_and_a_region(actors):
    """B1's section 三 floor takes the faster of two hand-written forms; each must give the app's
    3.3–3.10 for the department's own page and for the county's roll-up, on generated cases."""
    from decimal import Decimal

    from django.db import connection

    from bench.dispatch_sql import section_three_one_scan_sql, section_three_sql
    from campaigns import dispatch as D

    as_of = timezone.now()
    start = as_of - datetime.timedelta(days=3 * 365)
    keys = ["3.3", "3.3_amount", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "3.8_dangerous_ops"]
    county, unit = actors.county, actors.department.pk
    cases = [(D.region_table(county, start, as_of), dict(unit=None)), (D.unit_table(actors.department, start, as_of), dict(unit=unit))]
    seen = 0
    for values, kw in cases:
        app = [values.get(k) or 0 for k in keys]
        app[1] = Decimal(str(app[1]))
        for build in (section_three_sql, section_three_one_scan_sql):
            sql, params = build("county", county.code, start, as_of, **kw)
            with connection.cursor() as cur:
                cur.execute(sql, params)
                row = list(cur.fetchone())
            row = [row[0] or 0, Decimal(str(row[1] or 0)) / 10000, *[v or 0 for v in row[2:]]]
            assert [Decimal(str(v)) for v in row] == [Decimal(str(v)) for v in app], (build.__name__, kw)
        seen += sum(1 for v in app if v)
    assert seen > 0  # the tiny dataset has enforcement facts in the window


def test_b3_file_imports_with_an_event_per_transition(actors, tmp_path):
    from hazards.importing import import_hazards

    path = tmp_path / "ledger.xlsx"
    write_file(path, actors.county.code, 40)
    before = Event.objects.filter(object_type="hazards.hazard").count()
    result = import_hazards(actors.emergency_user, path.read_bytes(), dry_run=False)
    assert result["errors"] == [] and result["committed"] and result["created"] == 40
    events = Event.objects.filter(object_type="hazards.hazard").count() - before
    assert events == result["created"] + result["closed"]


def test_b3_page_path_uploads_a_dry_run_and_imports_it_from_its_job_page(actors, tmp_path, settings, monkeypatch):
    """B3's child with the jobs inline (in-process here): each file uploaded as a dry run, then
    正式导入 from that dry run's job page — two jobs per file, the second on the first's stored file."""
    from bench.b3_import import child
    from hazards.models import Hazard
    from jobs.models import Job

    settings.QINGLING_JOBS_INLINE = True  # what the child's environment sets before django.setup()
    monkeypatch.setenv("QINGLING_JOBS_INLINE", "1")  # the child sets it in os.environ: restored after the test
    monkeypatch.setenv("BENCH_B3_WORKERS", "0")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    write_file(tmp_path / "ledger-000000030.xlsx", actors.county.code, 30, seed=11)
    write_file(tmp_path / "ledger-000000055.xlsx", actors.county.code, 25, seed=12, offset=30)
    before = Hazard.objects.count()
    result = child("import", str(tmp_path), actors.emergency_user.username)
    assert result["failures"] == [] and result["rows"] == 55 and result["created"] == 55 and result["files"] == 2
    assert len(result["dry_run_job_s"]) == len(result["import_job_s"]) == 2 and result["workers"] == 0
    assert result["imported_files"] == ["ledger-000000030.xlsx", "ledger-000000055.xlsx"]
    assert Hazard.objects.count() - before == 55
    jobs = list(Job.objects.filter(kind="hazards.import").order_by("pk"))
    assert [j.params["dry_run"] for j in jobs] == [True, False, True, False]
    for dry, real in zip(jobs[::2], jobs[1::2], strict=True):
        assert real.params["checked"] == dry.pk and real.params["file"] == dry.params["file"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(300)
def test_b3_page_path_with_the_worker_imports_every_file_and_stops_the_worker(tmp_path, settings, monkeypatch):
    """B3 as the bench runs it: the jobs run by a real worker (bench.b3_worker, two processes) on
    this database; every file committed, the worker's processes measured and gone afterwards."""
    import os

    from bench.actors import ensure_actors
    from bench.b3_import import child
    from hazards.models import Hazard
    from jobs.models import Job

    load_regions(TEST_FILE)
    generate("tiny", seed=3)
    actors = ensure_actors("tiny")
    db = settings.DATABASES["default"]
    monkeypatch.setenv("DATABASE_URL", f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}")
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "media"))
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings")  # the worker's (the test settings pick their own media)
    monkeypatch.setenv("QINGLING_DEV", "1")
    monkeypatch.setenv("BENCH_B3_WORKERS", "2")
    monkeypatch.delenv("QINGLING_JOBS_INLINE", raising=False)
    settings.QINGLING_JOBS_INLINE = False
    settings.MEDIA_ROOT = str(tmp_path / "media")
    for i in range(3):
        write_file(tmp_path / f"ledger-{20 * (i + 1):09d}.xlsx", actors.county.code, 20, seed=20 + i, offset=20 * i)
    from django_q.models import OrmQ
    from django_q.tasks import async_task

    async_task("math.floor", 1.5, task_name="earlier work")  # queued before B3: held back, then put back
    earlier = sorted(OrmQ.objects.values_list("id", "payload"))
    before = Hazard.objects.count()
    result = child("import", str(tmp_path), actors.emergency_user.username)
    # put back as it was, and nothing of B3's own left queued (the alerts' delivery its imports queued ran)
    assert result["held_back"] == ["earlier work"] and sorted(OrmQ.objects.values_list("id", "payload")) == earlier
    assert result["failures"] == [] and result["created"] == result["rows"] == 60 and result["files"] == 3
    assert Hazard.objects.count() - before == 60
    assert result["workers"] == 2 and len(result["worker_processes_rss_mb"]) >= 3  # the cluster and its two workers
    assert all(0 < mb < 1000 for mb in result["worker_processes_rss_mb"])
    assert set(Job.objects.filter(kind="hazards.import").values_list("status", flat=True)) == {"done"}
    left = [d for d in os.listdir("/proc") if d.isdigit() and _in_group(d, result["worker_pgid"])]
    assert left == []  # the worker and everything it started stopped


def _in_group(pid: str, pgid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[2]) == pgid
    except (OSError, ValueError, IndexError):
        return False


def test_b3_write_floor_writes_what_the_import_wrote_and_leaves_nothing_behind(actors, tmp_path):
    """The write floor copies exactly the imported rows (hazards, their events, their alert
    schedules, their sources) and rolls every copy back, tallies included."""
    from bench.b3_import import write_floor
    from hazards import tallies
    from hazards.importing import import_hazards
    from hazards.models import AlertSchedule, Hazard, HazardSource, HazardTally

    path = tmp_path / "ledger.xlsx"
    write_file(path, actors.county.code, 25, seed=5)
    assert import_hazards(actors.emergency_user, path.read_bytes(), dry_run=False)["created"] == 25
    counts = (Hazard.objects.count(), Event.objects.count(), AlertSchedule.objects.count(), HazardSource.objects.count(),
              sorted(HazardTally.objects.values_list("id", "n")))
    seen, statements = {}, []

    def spy(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        statements.append(sql)
        if sql.startswith("INSERT INTO") and " SELECT " in sql:
            seen[sql.split()[2]] = context["cursor"].rowcount
        return result

    from django.db import connection

    with connection.execute_wrapper(spy):
        floor = write_floor(actors.county.code, 25, repeat=1)
    assert floor["rows"] == 25 and floor["rows_per_s"] > 0
    assert seen[Hazard._meta.db_table] == 25 and seen[AlertSchedule._meta.db_table] == 25
    assert seen[HazardSource._meta.db_table] == 25
    # PostgreSQL checks the foreign keys at commit, which the rollback skips: the floor fires them
    assert ("SET CONSTRAINTS ALL IMMEDIATE" in statements) == (connection.vendor == "postgresql")
    assert seen[Event._meta.db_table] >= 25  # one registration event per hazard at least
    after = (Hazard.objects.count(), Event.objects.count(), AlertSchedule.objects.count(), HazardSource.objects.count(),
             sorted(HazardTally.objects.values_list("id", "n")))
    assert after == counts and tallies.differences() == []


def test_b3_file_rows_are_all_open_and_past_their_deadline(actors, tmp_path):
    """B5b alerts on an imported ledger of overdue hazards: every row B3 writes is 已登记 with a
    deadline before today (the importer's own parsing, not the writer, is the oracle)."""
    from hazards.importing import import_hazards
    from hazards.models import Hazard

    path = tmp_path / "ledger.xlsx"
    write_file(path, actors.county.code, 30, seed=3)
    before = set(Hazard.objects.values_list("pk", flat=True))
    result = import_hazards(actors.emergency_user, path.read_bytes(), dry_run=False)
    assert result["created"] == 30 and result["closed"] == 0
    new = Hazard.objects.exclude(pk__in=before)
    today = timezone.localdate()
    assert new.count() == 30
    assert all(h.status == "registered" and h.deadline < today for h in new)


def test_b4_service_floor_walks_the_whole_major_loop_with_an_event_per_step(actors):
    """The in-process floor of B4 registers a 重大 hazard, submits the plan, uploads evidence,
    submits the completion and has the department accept: the hazard ends closed with one event
    per step, in that order — once per loop of every pass; the floor is the fastest pass."""
    from bench.b4_http import VERBS, enterprise_staff, officers, service_floor
    from hazards.models import Hazard

    staff = enterprise_staff(actors, 2)
    depts = [u for u, _ in officers(actors, 1)]
    before = Hazard.objects.count()
    result = service_floor(actors, staff, depts, 1, passes=2)
    assert result["calls"] == 5 and len(result["pass_calls_per_s"]) == 2
    assert result["calls_per_s"] == max(result["pass_calls_per_s"])
    hazard = Hazard.objects.order_by("-pk").first()
    assert Hazard.objects.count() == before + 2
    assert hazard.grade == "major" and hazard.status == "closed"
    verbs = list(Event.objects.filter(object_type="hazards.hazard", object_id=hazard.pk).order_by("created_at", "id")
                 .values_list("verb", flat=True))
    assert [v for v in verbs if v in VERBS.values()] == list(VERBS.values())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(300)
def test_b4_floor_in_two_processes_runs_every_loop_once_split_between_them():
    """B4's floor as the bench runs it, in as many forked processes as gunicorn's workers: four loops,
    two per process with disjoint users, every hazard closed with its five events; the pass is timed
    from the processes' common start (the floor is not a single process against the site's two)."""
    from bench.b4_http import VERBS, enterprise_staff, officers, service_floor
    from hazards.models import Hazard

    load_regions(TEST_FILE)
    generate("tiny", seed=3)
    actors = ensure_actors("tiny")
    staff = enterprise_staff(actors, 2)
    depts = [u for u, _ in officers(actors, 2)]
    before = set(Hazard.objects.values_list("pk", flat=True))
    result = service_floor(actors, staff, depts, 4, passes=1, processes=2)
    assert (result["calls"], result["processes"], result["pass_calls_per_s"]) == (20, 2, [result["calls_per_s"]])
    new = Hazard.objects.exclude(pk__in=before)
    assert sorted(new.values_list("status", flat=True)) == ["closed"] * 4
    # loop i went to process i mod 2: each enterprise's user registered two, each officer accepted two
    assert sorted(new.values_list("enterprise_id", flat=True)) == sorted([ent.pk for ent, _, _ in staff] * 2)
    accepted_by = Event.objects.filter(verb="hazard.accept", object_id__in=new.values("pk")).values_list("actor_id", flat=True)
    assert sorted(accepted_by) == sorted([u.pk for u in depts] * 2)
    for pk in new.values_list("pk", flat=True):
        verbs = list(Event.objects.filter(object_type="hazards.hazard", object_id=pk).order_by("created_at", "id")
                     .values_list("verb", flat=True))
        assert [v for v in verbs if v in VERBS.values()] == list(VERBS.values())


def test_report_renders_the_county_and_the_province_sections_with_their_load():
    from bench import report

    def results(profile, load):
        return {"profile": profile, "database": "x", "date": "2026-12-01T11:00:00+00:00", "commit": "abc1234",
                "machine": {"cpus": 2, "loadavg_start": load, "loadavg_end": load},
                "B5_alerts": {"figure": "first pass 1.0 s", "floor": "scan", "ratio": 2.0, "verdict": "met"}}

    text = report.render({"county": results("county", [1.5, 1.0, 0.5]), "province": results("province", [9.0, 8.0, 7.0])})
    assert "## county profile" in text and "## province profile" in text
    assert "1.5/1.0/0.5" in text and "9.0/8.0/7.0" in text and "`abc1234`" in text
    assert text.count("**met**") == 2
    assert "| B7_export | ledger export as a job | not run |" in text


def test_b1_times_the_lightest_page_and_the_best_ratio_it_leaves_every_case(actors, client):
    """B1 reports, beside each page, the lightest page the same user can get (a 404 inside the app,
    rendered with the base template) and the best ratio a page could reach on top of it; the
    numbers of every case still equal the floor's."""
    from bench.reads import STACK_FLOOR_URL, bench_b1_dispatch

    client.force_login(actors.department_user)
    lightest = client.get(STACK_FLOOR_URL)
    assert lightest.status_code == 404 and "页面不存在" in lightest.content.decode()  # a real page, not a bare status
    r = bench_b1_dispatch("tiny", actors)
    assert set(r["cases"]) == {"department page", "township page", "county committee roll-up page"}
    for name, c in r["cases"].items():
        assert "error" not in c, name
        assert all(v for k, v in c.items() if k.endswith("matches")), name
        assert c["stack_floor"]["url"] == STACK_FLOOR_URL and c["stack_floor"]["n"] == 5
        # the report rounds the floor to 2 places and computes the ratio from the unrounded sum: the
        # ratio lies between those the rounded floor's two ends give (a floor under a millisecond on
        # the tiny data moves the second place of the ratio)
        floor, stack = c["floor_total_p50_ms"], c["stack_floor"]["p50_ms"]
        ends = [(stack + f) / f for f in (floor - 0.005, floor + 0.005)]
        assert round(min(ends), 2) - 0.01 <= c["best_possible_ratio"] <= round(max(ends), 2) + 0.01
        assert f"lightest page {c['stack_floor']['p50_ms']} ms" in r["figure"]
        # the four sections as one statement give the same numbers, and the floor is the faster form
        one = c["floor_sections_one_statement"]
        apart = sum(c[k]["p50_ms"] for k in ("floor_section1", "floor_section2", "floor_section3", "floor_section4"))
        assert one["same_numbers"] and c["floor_sections_form"] == ("one statement" if one["p50_ms"] < apart else "four statements")
        assert all(c[k]["n"] == 5 for k in ("page", "page_fixed_cost", "floor_section1", "floor_sections_one_statement"))


def test_timed_together_alternates_the_callables_round_by_round():
    from bench.reads import timed_together

    calls = []
    times = timed_together({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, 3)
    assert calls == ["a", "b"] * 4  # one warm-up round, then three timed rounds, never a run of one
    assert set(times) == {"a", "b"} and times["a"]["n"] == 3


def test_the_run_records_the_database_server_and_the_settings_its_figures_depend_on(db):
    """The report names the server it measured: on PostgreSQL its version and the settings as the
    bench's own connection sees them (each equal to what SHOW prints, jit off as the app sets it);
    on SQLite the library version."""
    from django.db import connection

    from bench import report
    from bench.run import SERVER_SETTINGS, database_server

    server = database_server()
    assert server["vendor"] == connection.vendor
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for name in SERVER_SETTINGS:
                cur.execute(f"SHOW {name}")
                shown = cur.fetchone()[0]
                assert server[name].replace(" ", "") == shown.replace(" ", ""), name
        assert server["jit"] == "off"
        line = report._server(server)
        assert line.startswith(f"PostgreSQL {server['server_version']} (") and f"`shared_buffers` {server['shared_buffers']}" in line
        # the share of the machine's memory the operations guide's 25 % is read against (the server is local here)
        import os

        with connection.cursor() as cur:
            cur.execute("SELECT pg_size_bytes(current_setting('shared_buffers'))")
            share = cur.fetchone()[0] / (os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
        assert abs(server["shared_buffers_share_of_memory"] - share) <= 0.01
        assert f"is {server['shared_buffers_share_of_memory']:.0%} of this machine's memory" in line
        assert ("less cache than the guide" in line) == (server["shared_buffers_share_of_memory"] < 0.2)
    else:
        import sqlite3

        assert server["version"] == sqlite3.sqlite_version
        assert report._server(server) == f"sqlite {sqlite3.sqlite_version}"
    text = report.render({"province": {"profile": "province", "database": connection.vendor, "server": server,
                                       "machine": {"cpus": 2}}})
    assert f"* Database server: {report._server(server)}." in text


def _section_three_floors_equal_the_app(world, start, as_of, units=("commerce", "committee")):
    """Both hand-written forms of section 三 give the app's 3.3–3.10 for the district and each unit."""
    from decimal import Decimal

    from django.db import connection

    from bench.dispatch_sql import section_three_one_scan_sql, section_three_sql
    from enforcement import dispatch

    keys = ["3.3", "3.3_amount", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "3.8_dangerous_ops"]
    district = world.district
    sets = [(dispatch.region_rows(district, start, as_of), dict(unit=None))]
    sets += [(dispatch.unit_rows(world.org(u), start, as_of), dict(unit=world.org(u).pk)) for u in units]
    for values, kw in sets:
        app = [Decimal(str(values[k] or 0)) for k in keys]
        for build in (section_three_sql, section_three_one_scan_sql):
            sql, params = build(district.level, district.code, start, as_of, **kw)
            with connection.cursor() as cur:
                cur.execute(sql, params)
                row = list(cur.fetchone())
            row = [row[0] or 0, (Decimal(str(row[1] or 0)) / 10000).quantize(Decimal("0.0001")), *[v or 0 for v in row[2:]]]
            assert [Decimal(str(v)) for v in row] == app, (build.__name__, kw)


def test_section_three_floors_stop_a_daily_fine_on_its_cases_closing_day(world):
    """A case closed (before closing required the correction) with its 按日连续处罚 never corrected:
    the accrual stops on the closing day in the app and in both floors. Hand count: 10,000 a day from
    day -19 to the closing day -2 = 18 days → 180,000 + the original 10,000 = 19 万元."""
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from enforcement import dispatch
    from enforcement.models import Case
    from enforcement.tests.helpers import refused_correction

    day = lambda n: timezone.localdate() + datetime.timedelta(days=n)  # noqa: E731
    case, _ = refused_correction(world)
    Case.objects.filter(pk=case.pk).update(stage="closed", closed_on=day(-2))
    as_of = datetime.datetime.combine(day(0), datetime.time(12), tzinfo=ZoneInfo("Asia/Shanghai"))
    start = as_of - datetime.timedelta(days=30)
    assert dispatch.unit_rows(world.org("commerce"), start, as_of)["3.3_amount"] == Decimal("19.0000")
    _section_three_floors_equal_the_app(world, start, as_of, units=("commerce",))


def test_section_three_floors_follow_the_row_definitions_on_daily_fines_clauses_and_persons(world):
    """The cases the generated data never makes: a 按日连续处罚 (counted with its party, its accrual to
    the cut-off in the amount), two clauses on one party of a case (one penalised party), one official
    held accountable twice and a principal transferred in two cases (one person each). Both
    hand-written forms give the app's 3.3–3.10 for the unit and the district; the hand counts: 3.3 =
    1 (the unit) + 1 (another case) = 2; amount 10,000 + 20 × 10,000 + 20,000 + 30,000 = 260,000 = 26
    万元; 3.5 = 1; 3.9 = 1 (committee)."""
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from enforcement import dispatch, services
    from enforcement.tests.helpers import article, entity, notified_case, principal, refused_correction

    day = lambda n: timezone.localdate() + datetime.timedelta(days=n)  # noqa: E731
    com = world.user("commerce")
    case, _ = refused_correction(world)
    other = notified_case(world, title="另案")
    services.decide_penalty(com, other, party=entity(other), article=article(97, "(五)"), amount=20000)
    services.decide_penalty(com, other, party=entity(other), article=article(101, "(五)"), amount=30000)
    for measure in ("诫勉谈话", "党内警告"):
        services.record_accountability(world.user("committee"), person_name="赵某", measure=measure)
    for c in (case, other):  # the principal transferred in both cases: one person
        services.transfer(com, c, party=principal(c), reason="涉嫌危险作业罪", dangerous_ops=True, transfer_to="天津市公安局河北分局")
    as_of = datetime.datetime.combine(day(0), datetime.time(12), tzinfo=ZoneInfo("Asia/Shanghai"))
    start = as_of - datetime.timedelta(days=30)
    unit_values = dispatch.unit_rows(world.org("commerce"), start, as_of)
    assert (unit_values["3.3"], unit_values["3.3_amount"], unit_values["3.5"]) == (2, Decimal("26.0000"), 1)
    assert dispatch.unit_rows(world.org("committee"), start, as_of)["3.9"] == 1
    _section_three_floors_equal_the_app(world, start, as_of)


def test_a_benchmark_child_reports_its_own_peak_memory_not_its_parents():
    """B3's and B7's children report their peak memory (bench.memory.peak_rss_mb): a child started
    by a process holding 300 MB reports its own few MB — ``ru_maxrss`` would report the parent's,
    Linux keeping it across execve."""
    import subprocess
    import sys

    from django.conf import settings

    parent = ("import subprocess, sys\n"
              "held = bytearray(300 * 2**20)\n"
              "for i in range(0, len(held), 4096): held[i] = 1\n"
              "child = 'from bench.memory import peak_rss_mb; print(peak_rss_mb())'\n"
              "print(subprocess.run([sys.executable, '-c', child], capture_output=True, text=True, check=True).stdout)\n")
    out = subprocess.run([sys.executable, "-c", parent], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True)
    assert 1 < float(out.stdout.strip()) < 100, out.stdout


def test_section_three_counts_a_suspended_unit_with_its_principal_fined_as_one_double_penalty(world):
    """一案双罚 (3.4) is the unit and its 主要负责人 each under an administrative penalty of one case; a
    责令停产停业整顿 is one (行政处罚法 第九条). Hand count: case A — the unit suspended, its principal fined → 1;
    case B — only the principal fined → 0; case C — the principal fined, the unit's suspension revoked → 0;
    case D (another unit) — the unit fined and suspended → 0. The app and both hand-written floors give 1.
    3.3 counts the penalised parties of each case, whatever the kinds (so 一案双罚 is two of them): A 2 (the
    suspended unit, the principal), B 1, C 1 (the revoked suspension is no penalty), D 1 (one party, two kinds)
    → 5; the amount the fines only: the three principals' 2 万元 and D's 1 万元 = 7 万元."""
    from zoneinfo import ZoneInfo

    from enforcement import dispatch, services
    from enforcement.tests.helpers import article, entity, notified_case, principal, suspension_article

    day = lambda n: timezone.localdate() + datetime.timedelta(days=n)  # noqa: E731
    com = world.user("commerce")
    a, b, c = (notified_case(world, title=t) for t in ("甲案", "乙案", "丙案"))
    d = notified_case(world, ent=world.ent_commerce2, title="丁案")  # another unit (one suspension at a time)
    revoked = services.order_suspension(com, c, article=suspension_article(), reason="情节严重", decided_on=day(-3))
    services.revoke_decision(com, revoked, reason="复议撤销")  # the unit operates again
    services.order_suspension(com, a, article=suspension_article(), reason="情节严重", decided_on=day(-3))
    for case in (a, b, c):
        services.decide_penalty(com, case, party=principal(case), article=article(94), amount=20000)
    services.decide_penalty(com, d, party=entity(d), article=article(102), amount=10000)
    services.order_suspension(com, d, article=suspension_article(), reason="情节严重", decided_on=day(-2))
    assert [services.is_double_penalty(x) for x in (a, b, c, d)] == [True, False, False, False]
    as_of = datetime.datetime.combine(day(0), datetime.time(12), tzinfo=ZoneInfo("Asia/Shanghai"))
    start = as_of - datetime.timedelta(days=30)
    for rows in (dispatch.unit_rows(world.org("commerce"), start, as_of), dispatch.region_rows(world.district, start, as_of)):
        assert (rows["3.3"], rows["3.3_amount"], rows["3.4"]) == (5, Decimal("7"), 1)
    _section_three_floors_equal_the_app(world, start, as_of, units=("commerce",))


def test_section_three_floors_count_a_withdrawn_typical_case_only_before_its_withdrawal(world):
    """A typical case published on day -4 and withdrawn on day -1 (its penalty revoked): 3.8 and its 危险作业罪
    其中 count it at a cut-off on day -2 (1) and not on day 0 (0), in the app and both floors."""
    from zoneinfo import ZoneInfo

    from enforcement import dispatch, services
    from enforcement.models import TypicalCase
    from enforcement.tests.helpers import article, entity, notified_case

    day = lambda n: timezone.localdate() + datetime.timedelta(days=n)  # noqa: E731
    com = world.user("commerce")
    case = notified_case(world, filed=-30)
    services.decide_penalty(com, case, party=entity(case), article=article(102), amount=20000, decided_on=day(-20))
    services.advance(com, case, "decide")
    services.advance(com, case, "close")
    typical = services.publish_typical(com, case, title="案例", summary="……", dangerous_ops=True)
    TypicalCase.objects.filter(pk=typical.pk).update(published_on=day(-4), withdrawn_on=day(-1))  # the dates set up
    for n, expected in ((-2, 1), (0, 0)):
        as_of = datetime.datetime.combine(day(n), datetime.time(12), tzinfo=ZoneInfo("Asia/Shanghai"))
        start = as_of - datetime.timedelta(days=10)
        assert dispatch.unit_rows(world.org("commerce"), start, as_of)["3.8_dangerous_ops"] == expected
        _section_three_floors_equal_the_app(world, start, as_of, units=("commerce",))


def test_b4_floor_timed_before_and_after_the_load_is_its_fastest_pass_with_every_pass_reported():
    from bench.b4_http import fastest_floor

    before = {"loops": 30, "passes": 3, "processes": 2, "calls": 150, "seconds": 1.63, "calls_per_s": 92.0,
              "pass_calls_per_s": [84.0, 73.7, 92.0], "loops_per_s": 18.4, "cpu_ms_per_call": 9.1}
    after = {"loops": 30, "passes": 3, "processes": 2, "calls": 150, "seconds": 1.0, "calls_per_s": 150.0,
             "pass_calls_per_s": [150.0, 120.0, 131.0], "loops_per_s": 30.0, "cpu_ms_per_call": 7.6}
    for first, second in ((before, after), (after, before)):
        floor = fastest_floor(first, second)
        assert floor["calls_per_s"] == 150.0 and floor["seconds"] == 1.0 and floor["cpu_ms_per_call"] == 7.6
        assert floor["passes"] == 6 and sorted(floor["pass_calls_per_s"]) == [73.7, 84.0, 92.0, 120.0, 131.0, 150.0]
    assert fastest_floor(before, after)["pass_calls_per_s"][:3] == [84.0, 73.7, 92.0]  # in the order run
