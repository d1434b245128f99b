#!/usr/bin/env python
"""Benchmarks B1–B5 against floors measured in the same run. Prints figure, floor, ratio;
writes JSON to bench/results/. Not a test: numbers are reported, never asserted.

    python bench/run.py --profile county        (make bench: SQLite, < 5 minutes)
    DATABASE_URL=postgres://… python bench/run.py --profile province   (make bench-province)
"""

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("QINGLING_DEV", "1")


def setup_db(profile: str, seed: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0)
    from bench.generator import generate

    result = generate(profile, seed, stdout=sys.stdout)
    print("dataset:", result)


def timed(fn, repeat: int):
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
            "n": repeat}


def bench_b2_ledger(profile) -> dict:
    """B2: ledger list filtered by region + sector + status + overdue, sorted, 50 rows."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import Sector
    from hazards.models import Hazard

    User = get_user_model()
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("bench", "b@x.invalid", "bench-pass-123")
    client = Client()
    client.force_login(admin)
    county = Hazard.objects.values_list("county_code", flat=True).first()
    sector = Sector.objects.get(code="commerce")
    url = f"/hazards/?county={county}&sector={sector.pk}&status=rectifying&overdue=true&ordering=deadline"
    first = client.get(url)
    if first.status_code != 200:
        return {"error": f"ledger page answered {first.status_code}"}
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    page = timed(lambda: client.get(url), 200)
    today = timezone.localdate()
    sql = ("SELECT h.id, h.description, h.grade, h.status, h.deadline, e.name FROM hazards_hazard h "
           "JOIN enterprises_enterprise e ON e.id = h.enterprise_id WHERE h.county_code = %s AND h.sector_id = %s "
           "AND h.status = 'rectifying' AND h.deadline < %s ORDER BY h.deadline, h.id LIMIT 50")

    def floor():
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM hazards_hazard h WHERE h.county_code = %s AND h.sector_id = %s "
                        "AND h.status = 'rectifying' AND h.deadline < %s", [county, sector.pk, today])
            cur.fetchall()
            cur.execute(sql, [county, sector.pk, today])
            cur.fetchall()

    fl = timed(floor, 200)
    return {"page": page, "queries": len(ctx.captured_queries), "floor": fl,
            "ratio_p50": round(page["p50_ms"] / max(fl["p50_ms"], 0.001), 1)}


def bench_b5_alerts(profile) -> dict:
    """B5: one send_hazard_alerts pass, then a second pass that must send nothing."""
    from django.core.management import call_command, get_commands

    from core.models import OutboxMessage

    if "send_hazard_alerts" not in get_commands():
        return {"error": "send_hazard_alerts not available"}
    before = OutboxMessage.objects.count()
    t = time.perf_counter()
    call_command("send_hazard_alerts", verbosity=0)
    first = time.perf_counter() - t
    mid = OutboxMessage.objects.count()
    t = time.perf_counter()
    call_command("send_hazard_alerts", verbosity=0)
    second = time.perf_counter() - t
    after = OutboxMessage.objects.count()
    return {"first_pass_s": round(first, 2), "messages": mid - before, "second_pass_s": round(second, 2),
            "second_pass_messages": after - mid}


def bench_b1_dispatch(profile) -> dict:
    """B1: dispatch table section 一 for the county committee office vs hand-written SQL."""
    try:
        from campaigns import dispatch as d  # noqa: F401
    except ImportError:
        return {"error": "campaigns.dispatch not available"}
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Organisation

    unit = Organisation.objects.filter(kind="committee", region__level="county").first()
    compute = getattr(d, "compute_table", None) or getattr(d, "compute", None)
    if compute is None:
        return {"error": "no compute function in campaigns.dispatch"}
    start = timezone.now() - datetime.timedelta(days=365 * 3)
    as_of = timezone.now()
    try:
        page = timed(lambda: compute(unit, start, as_of), 20)
    except TypeError as exc:
        return {"error": f"compute signature: {exc}"}
    sql = ("SELECT SUM(CASE WHEN channel IN ('self_check','enterprise_third_party') THEN 1 ELSE 0 END), "
           "SUM(CASE WHEN channel IN ('self_check','enterprise_third_party') AND status='closed' THEN 1 ELSE 0 END), "
           "SUM(CASE WHEN channel NOT IN ('self_check','enterprise_third_party') THEN 1 ELSE 0 END), "
           "SUM(CASE WHEN channel NOT IN ('self_check','enterprise_third_party') AND status='closed' THEN 1 ELSE 0 END) "
           "FROM hazards_hazard WHERE county_code = %s AND grade = 'major' AND status NOT IN ('merged','void') "
           "AND first_reported_at BETWEEN %s AND %s")

    def floor():
        with connection.cursor() as cur:
            cur.execute(sql, [unit.county_code, start, as_of])
            cur.fetchall()

    fl = timed(floor, 20)
    return {"table": page, "floor_section1": fl, "ratio_p50": round(page["p50_ms"] / max(fl["p50_ms"], 0.001), 1),
            "note": "floor covers section 一 only with the current status; the table reconstructs state as of as_of"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default="county", choices=["county", "province"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-setup", action="store_true")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ.setdefault("SQLITE_NAME", f"bench-{args.profile}.sqlite3")
    import django

    django.setup()
    from django.db import connection

    if not args.skip_setup:
        setup_db(args.profile, args.seed)
    results = {"profile": args.profile, "database": connection.vendor, "date": datetime.datetime.now().isoformat(timespec="seconds"),
               "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()}
    for name, fn in (("B1_dispatch", bench_b1_dispatch), ("B2_ledger", bench_b2_ledger), ("B5_alerts", bench_b5_alerts)):
        t = time.perf_counter()
        try:
            results[name] = fn(args.profile)
        except Exception as exc:  # a benchmark that cannot run reports why
            results[name] = {"error": repr(exc)}
        print(f"{name}: {json.dumps(results[name], ensure_ascii=False)}  ({time.perf_counter() - t:.1f}s)")
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out = ROOT / "bench" / "results" / f"{args.profile}-{connection.vendor}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print("written", out)


if __name__ == "__main__":
    main()
