#!/usr/bin/env python
"""Benchmarks B1–B7 against floors measured in the same run. Prints figure, floor, ratio;
writes JSON to bench/results/. Not a test: numbers are reported, never asserted.

    python bench/run.py --profile county        (make bench: SQLite, < 5 minutes)
    DATABASE_URL=postgres://… python bench/run.py --profile province   (make bench-province)
"""

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("QINGLING_DEV", "1")
os.environ.setdefault("DEBUG", "0")  # no query log, no debug pages: measure what production runs
# Alerts are delivered to in-memory mail and a logging SMS adapter: B5 measures the platform's
# work (scan, recipients, outbox, delivery bookkeeping), not a console printing thousands of mails.
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def setup_db(profile: str, seed: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0)
    from bench.generator import generate

    result = generate(profile, seed, stdout=sys.stdout)
    print("dataset:", result)


def report(name: str, result: dict) -> None:
    if "error" in result:
        print(f"{name}: ERROR {result['error']}")
        return
    print(f"{name}  figure: {result['figure']}")
    print(f"{name}  floor:  {result['floor']}")
    print(f"{name}  ratio:  {result['ratio']}  ({result['elapsed_s']} s)")
    sys.stdout.flush()


def dataset_counts() -> dict:
    from core.models import Event
    from enterprises.models import Enterprise
    from hazards.models import Hazard

    return {"enterprises": Enterprise.objects.count(), "hazards": Hazard.objects.count(), "events": Event.objects.count()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default="county", choices=["county", "province"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-setup", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated subset, e.g. B1,B3")
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
    from bench.actors import ensure_actors
    from bench.b3_import import bench_b3_import
    from bench.b4_http import bench_b4_http
    from bench.pages import bench_b2_personas, bench_b6_pages, bench_b7_export
    from bench.reads import bench_b1_dispatch, bench_b2_ledger, bench_b5_alerts, bench_b5b_alerts_after_import

    actors = ensure_actors(args.profile)
    print(f"bench county {actors.county.code} {actors.county.name}; department {actors.department.name}; "
          f"township {actors.township.name}")
    # reads first (on the generated data), then the benchmarks that write
    benches = {"B1_dispatch": bench_b1_dispatch, "B2_ledger": bench_b2_ledger, "B2b_personas": bench_b2_personas,
               "B6_pages": bench_b6_pages, "B5_alerts": bench_b5_alerts, "B7_export": bench_b7_export,
               "B3_import": bench_b3_import, "B5b_alerts": bench_b5b_alerts_after_import, "B4_http": bench_b4_http}
    only = set(args.only.split(",")) if args.only else None
    for name, fn in benches.items():
        if only and name.split("_")[0] not in only:
            continue
        t = time.perf_counter()
        try:
            results[name] = fn(args.profile, actors)
        except Exception as exc:  # a benchmark that cannot run reports why
            results[name] = {"error": repr(exc)}
        results[name]["elapsed_s"] = round(time.perf_counter() - t, 1)
        report(name, results[name])
    results["dataset"] = dataset_counts()
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out = ROOT / "bench" / "results" / f"{args.profile}-{connection.vendor}.json"
    out.parent.mkdir(exist_ok=True)
    if only and out.exists():  # a partial re-run updates the benchmarks it ran
        results = {**json.loads(out.read_text()), **results}
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print("written", out)
    from bench.report import write

    print("written", write(results))


if __name__ == "__main__":
    main()
