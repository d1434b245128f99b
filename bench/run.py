#!/usr/bin/env python
"""Benchmarks B1–B7 against floors measured in the same run. Prints figure, floor, ratio;
writes JSON to bench/results/. Not a test: numbers are reported, never asserted.

    python bench/run.py --profile county        (make bench: SQLite, < 5 minutes)
    DATABASE_URL=postgres://… python bench/run.py --profile province   (make bench-province)

The province generation takes about an hour on 2 cores; it can be done once and recorded
(``--setup-only``), then measured by later runs on that database (``--skip-setup``, which migrates
first and reports the recorded generation). ``--only B4,B5`` re-runs a subset (a "partial re-run").
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


def setup_db(profile: str, seed: int) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0)
    from bench.generator import generate

    result = generate(profile, seed, stdout=sys.stdout)
    print("dataset:", result)
    return {**result, "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")}


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def machine() -> dict:
    # what else ran on the machine is not something the bench can know: the operator may say it
    # (BENCH_MACHINE_NOTE); the load average at the start and end of every benchmark is always recorded
    info = {"cpus": os.cpu_count(), "loadavg_start": loadavg(), "python": sys.version.split()[0],
            "shared": os.environ.get("BENCH_MACHINE_NOTE", "")}
    try:
        info["memory_gb"] = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError):
        pass
    return info


#: the PostgreSQL settings a reader needs to compare runs (what the bench's figures depend on)
SERVER_SETTINGS = ("server_version", "shared_buffers", "effective_cache_size", "work_mem", "random_page_cost",
                   "max_parallel_workers_per_gather", "jit", "synchronous_commit")


def database_server() -> dict:
    """The database the run measured: its vendor and version, and on PostgreSQL the settings its
    figures depend on, as the bench's own connection sees them (so a jit=off set per connection
    shows as off)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        import sqlite3

        return {"vendor": connection.vendor, "version": sqlite3.sqlite_version}
    with connection.cursor() as cur:
        cur.execute("SELECT name, setting, unit FROM pg_settings WHERE name = ANY(%s)", [list(SERVER_SETTINGS)])
        found = {name: _setting(setting, unit) for name, setting, unit in cur.fetchall()}
        cur.execute("SELECT setting::bigint * 8192 FROM pg_settings WHERE name = 'shared_buffers'")
        buffers = cur.fetchone()[0]
    out = {"vendor": "postgresql", **{name: found.get(name) for name in SERVER_SETTINGS}}
    memory = machine().get("memory_gb")
    if memory and connection.settings_dict.get("HOST") in ("", "localhost", "127.0.0.1", "::1"):
        # docs/operations.md: a quarter of a dedicated database host's memory (here the bench's own machine)
        out["shared_buffers_share_of_memory"] = round(buffers / (memory * 2**30), 2)
    return out


def _setting(value: str, unit: str | None) -> str:
    """pg_settings' value in its unit ("16384" × "8kB" → "128 MB")."""
    factors = {"8kB": 8 * 1024, "kB": 1024, "MB": 1024 ** 2}
    if unit in factors and value.lstrip("-").isdigit():
        size = int(value) * factors[unit]
        return f"{size / 1024 ** 3:g} GB" if size >= 1024 ** 3 and size % 1024 ** 3 == 0 else f"{size / 1024 ** 2:g} MB"
    return value


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
    parser.add_argument("--setup-only", action="store_true",
                        help="generate the dataset and record it, run nothing (a later --skip-setup run reports it)")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ.setdefault("SQLITE_NAME", f"bench-{args.profile}.sqlite3")
    import django

    django.setup()
    from django.db import connection

    out = ROOT / "bench" / "results" / f"{args.profile}-{connection.vendor}.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    started_machine = machine()
    if args.setup_only:
        generated = {**setup_db(args.profile, args.seed), "machine": started_machine,
                     "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                              text=True).stdout.strip(), "loadavg_end": loadavg()}
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps({"generated": generated}, ensure_ascii=False, indent=2, default=str))
        print("generated; written", out)
        return
    if args.skip_setup:  # the database may predate a migration added since it was generated
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    generated = setup_db(args.profile, args.seed) if not args.skip_setup else (
        previous.get("generated") or ({"by_run_at": previous.get("date"), "commit": previous.get("commit"),
                                       "rows_at_that_run_start": previous.get("dataset_at_start")} if previous else None)
        or os.environ.get("BENCH_DATASET_NOTE"))  # how the database was made when no run recorded it
    git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()  # noqa: E731
    results = {"profile": args.profile, "database": connection.vendor,
               "database_name": str(connection.settings_dict.get("NAME")).rsplit("/", 1)[-1],
               "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
               "commit": git("rev-parse", "--short", "HEAD"), "dirty": bool(git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results", ":!docs/performance.md")),
               "machine": started_machine, "server": database_server(), "generated": generated,
               "dataset_at_start": dataset_counts()}
    from bench.actors import ensure_actors
    from bench.alerts import bench_b5_alerts, bench_b5b_alerts_after_import
    from bench.b3_import import bench_b3_import
    from bench.b4_http import bench_b4_http
    from bench.explain import bench_explain
    from bench.pages import bench_b2_personas, bench_b6_pages, bench_b7_export
    from bench.reads import bench_b1_dispatch, bench_b2_ledger

    actors = ensure_actors(args.profile)
    print(f"bench county {actors.county.code} {actors.county.name}; department {actors.department.name}; "
          f"township {actors.township.name}")
    # reads first (on the generated data), then the benchmarks that write: B4's loop (a few thousand
    # hazards), then B3's 100k-row import last, followed by the alert pass over what it imported
    benches = {"B1_dispatch": bench_b1_dispatch, "B2_ledger": bench_b2_ledger, "B2b_personas": bench_b2_personas,
               "B6_pages": bench_b6_pages, "EXPLAIN": bench_explain, "B5_alerts": bench_b5_alerts,
               "B7_export": bench_b7_export, "B4_http": bench_b4_http, "B3_import": bench_b3_import,
               "B5b_alerts": bench_b5b_alerts_after_import}
    only = set(args.only.split(",")) if args.only else None
    for name, fn in benches.items():
        if only and name.split("_")[0] not in only:
            continue
        t = time.perf_counter()
        load_before = loadavg()
        try:
            results[name] = fn(args.profile, actors)
        except Exception as exc:  # a benchmark that cannot run reports why
            results[name] = {"error": repr(exc)}
        results[name]["elapsed_s"] = round(time.perf_counter() - t, 1)
        results[name]["loadavg"] = {"start": load_before, "end": loadavg()}
        results[name]["at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        report(name, results[name])
    results["dataset"] = dataset_counts()
    results["machine"]["loadavg_end"] = loadavg()
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out.parent.mkdir(exist_ok=True)
    if only and previous:  # a partial re-run updates the benchmarks it ran (each keeps its own loadavg)
        earlier = {k: previous.get(k) for k in ("date", "commit", "machine", "dataset_at_start", "dataset") if k in previous}
        results = {**previous, **results, "partial_rerun": sorted(only),
                   "earlier_runs": [*previous.get("earlier_runs", []), earlier]}
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str))  # Decimal sums of the activity generator
    print("written", out)
    from bench.report import write

    print("written", write(results))


if __name__ == "__main__":
    main()
