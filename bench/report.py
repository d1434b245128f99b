"""Write docs/performance.md from the results of bench runs (never edited by hand): one section per
profile found in bench/results/ (county on SQLite from `make bench`, province on PostgreSQL from
`make bench-province`), each with its commit, date, machine load and dataset."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PROFILE_FILES = (("county", "county-sqlite.json"), ("province", "province-postgresql.json"))

TARGETS = {
    "B1_dispatch": "≤ 1.5× the fastest hand-written SQL (every case)",
    "B2_ledger": "p95 ≤ 150 ms",
    "B2b_personas": "p95 ≤ 150 ms; with search ≤ 300 ms",
    "B3_import": "≥ 5,000 rows/s; ≤ 3× the openpyxl read floor; < 300 MB RSS",
    "B4_http": "≤ 2× the in-process floor; 0 errors; 0 lost events",
    "B5_alerts": "≤ 2 s steady state; second pass sends nothing",
    "B5b_alerts": "≤ 30 s after importing 100k overdue hazards; second pass sends nothing",
    "B6_pages": "p95 ≤ 300 ms",
    "B7_export": "< 200 MB; ≥ 20,000 rows/s",
}
TITLES = {
    "B1_dispatch": "dispatch unit and roll-up pages", "B2_ledger": "ledger page (filtered, county committee; province-wide)",
    "B2b_personas": "ledger page of every persona, plain and with text search", "B3_import": "xlsx import, page path (dry run + 正式导入), jobs run by the worker",
    "B4_http": "whole 重大 loop over HTTP", "B5_alerts": "alert pass (steady state)",
    "B5b_alerts": "alert pass after B3's import", "B6_pages": "statistics, board, home",
    "B7_export": "ledger export as a job",
}


def _cell(value) -> str:
    return "—" if value in (None, "") else str(value).replace("|", "\\|").replace("\n", " ")


def _load(value) -> str:
    return "/".join(str(x) for x in value) if isinstance(value, list) else _cell(value)


def _summary_rows(results: dict) -> list[str]:
    lines = ["| bench | what | figure | floor (same run) | ratio | target | verdict | loadavg start → end |",
             "|---|---|---|---|---|---|---|---|"]
    for key, title in TITLES.items():
        r = results.get(key)
        if r is None:
            lines.append(f"| {key} | {title} | not run | | | {TARGETS[key]} | not run | |")
            continue
        load = r.get("loadavg") or {}
        loads = f"{_load(load.get('start'))} → {_load(load.get('end'))}" if load else "—"
        if "error" in r:
            lines.append(f"| {key} | {title} | error: {_cell(r['error'])[:300]} | | | {TARGETS[key]} | error | {loads} |")
        else:
            lines.append(f"| {key} | {title} | {_cell(r.get('figure'))} | {_cell(r.get('floor'))} | "
                         f"{_cell(r.get('ratio'))} | {TARGETS[key]} | **{_cell(r.get('verdict', 'see details'))}** | {loads} |")
    return lines


def _b1_table(r: dict) -> list[str]:
    lines = ["| case | page p50 / p95 ms | queries | floor p50 ms (一–四 as) | ratio | fixed cost ms | lightest page ms | "
             "best possible ratio | numbers equal |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, c in (r.get("cases") or {}).items():
        if "error" in c:
            lines.append(f"| {name} | {c['error']} | | | | | | | |")
            continue
        eq = all(v for k, v in c.items() if k.endswith("matches")) and c.get("floor_sections_one_statement", {}).get("same_numbers", True)
        stack = c.get("stack_floor", {}).get("p50_ms", "—")
        lines.append(f"| {name} | {c['page']['p50_ms']} / {c['page']['p95_ms']} | {c['queries']} | {c['floor_total_p50_ms']} ({c.get('floor_sections_form', '—')}) | "
                     f"{c['ratio_p50']} | {c['page_fixed_cost']['p50_ms']} | {stack} | {c.get('best_possible_ratio', '—')} | "
                     f"{'yes' if eq else 'NO'} |")
    lines += ["", "*Best possible ratio* = (lightest page + floor) ÷ floor: a page that ran nothing but the floor's "
                  "statements on top of the lightest page this user can get (the 404 page: session, user, menu, base "
                  "template), both timed in this run. Where it is above 1.5, no page on this stack can meet the target. "
                  "Every figure of a case is timed in alternation (each round: the page, its fixed cost, the lightest "
                  "page, every floor statement); the floor's sections 一–四 are the faster of their four statements "
                  "and the same four as one statement."]
    return lines


def _b2b_table(r: dict) -> list[str]:
    lines = ["| persona | plain p50 / p95 ms | search p50 / p95 ms |", "|---|---|---|"]
    for name, row in (r.get("personas") or {}).items():
        cells = []
        for kind in ("plain", "search"):
            x = row.get(kind, {})
            cells.append(x.get("error") or f"{x.get('p50_ms')} / {x.get('p95_ms')}")
        lines.append(f"| {name} | {cells[0]} | {cells[1]} |")
    return lines


def _b6_table(r: dict) -> list[str]:
    lines = ["| persona | page | p50 / p95 ms |", "|---|---|---|"]
    for name, pages in (r.get("pages") or {}).items():
        for url, x in pages.items():
            lines.append(f"| {name} | `{url}` | {x.get('error') or str(x.get('p50_ms')) + ' / ' + str(x.get('p95_ms'))} |")
    return lines


def _explain_section(r: dict) -> list[str]:
    lines = ["### EXPLAIN (ANALYZE, BUFFERS) of the ledger, list, statistics and home statements", ""]
    if r.get("note"):
        lines += [r["note"] + ".", ""]
    if r.get("flagged"):
        lines += ["Plans with many filter-removed rows:", ""] + [f"* {f}" for f in r["flagged"]] + [""]
    for p in r.get("plans", []):
        lines += [f"**{p['persona']} `{p['url']}`** — {p['ms_in_page']} ms in the page, {p['execution_ms']} ms under "
                  f"EXPLAIN ANALYZE, {p['rows_removed_by_filter']} rows removed by filter", "",
                  "```sql", p["sql"], "```", "", "```", p["plan"][:4000], "```", ""]
    return lines


def _generated(gen) -> str:
    if isinstance(gen, dict) and "by_run_at" in gen:  # set up by an earlier run of the bench (--skip-setup here)
        return f"by an earlier `bench/run.py` on the same database (run at {gen['by_run_at']}, commit `{gen.get('commit')}`)"
    return _cell(gen)


def _server(server: dict) -> str:
    """The run's database server: vendor, version and (PostgreSQL) the settings the figures depend on."""
    if server.get("vendor") != "postgresql":
        return f"{server.get('vendor')} {server.get('version')}"
    share = server.get("shared_buffers_share_of_memory")
    settings = ", ".join(f"`{k}` {_cell(v)}" for k, v in server.items()
                         if k not in ("vendor", "server_version", "shared_buffers_share_of_memory"))
    guide = ("" if share is None else
             f"; `shared_buffers` is {share:.0%} of this machine's memory — docs/operations.md asks for about 25 % "
             f"on a dedicated database host{'' if share >= 0.2 else ', so this run had less cache than the guide'}")
    return f"PostgreSQL {server.get('server_version')} ({settings}){guide}"


def render_profile(results: dict) -> list[str]:
    m = results.get("machine") or {}
    gen = results.get("generated")
    lines = [
        f"## {results.get('profile')} profile ({results.get('database')})", "",
        f"* Run: `bench/run.py --profile {results.get('profile')}` at {results.get('date')} (UTC), commit "
        f"`{results.get('commit')}`{' (with uncommitted changes)' if results.get('dirty') else ''}, database "
        f"`{results.get('database_name')}`" + (f"; partial re-run of {', '.join(results['partial_rerun'])}"
                                              if results.get("partial_rerun") else "") + ".",
        f"* Machine: {_cell(m.get('cpus'))} CPUs, {_cell(m.get('memory_gb'))} GB, Python {_cell(m.get('python'))}; "
        f"load average (1/5/15 min) {_load(m.get('loadavg_start'))} at the start, {_load(m.get('loadavg_end'))} at the end"
        + (f". {m['shared'].rstrip('.')}." if m.get("shared") else "."),
        *([f"* Database server: {_server(results['server'])}."] if results.get("server") else []),
        f"* Dataset generated: {_generated(gen)}.",
        *[f"* Earlier part of this run (the benchmarks not re-run last): {_cell(e.get('date'))}, commit "
          f"`{_cell(e.get('commit'))}`, load average {_load((e.get('machine') or {}).get('loadavg_start'))} → "
          f"{_load((e.get('machine') or {}).get('loadavg_end'))}, rows at its start {_cell(e.get('dataset_at_start'))}."
          for e in results.get("earlier_runs", [])],
        f"* Rows at the start: {_cell(results.get('dataset_at_start'))}; at the end (after B4's loop and B3's import): "
        f"{_cell(results.get('dataset'))}. Peak RSS of the bench process: {_cell(results.get('peak_rss_mb'))} MB.",
        "",
    ] + _summary_rows(results) + [""]
    if isinstance(results.get("B1_dispatch"), dict) and "cases" in results["B1_dispatch"]:
        lines += ["### B1 — every case", ""] + _b1_table(results["B1_dispatch"]) + [""]
    if isinstance(results.get("B2b_personas"), dict) and "personas" in results["B2b_personas"]:
        lines += ["### B2 — every persona", ""] + _b2b_table(results["B2b_personas"]) + [""]
    if isinstance(results.get("B6_pages"), dict) and "pages" in results["B6_pages"]:
        lines += ["### B6 — every page", ""] + _b6_table(results["B6_pages"]) + [""]
    lines += ["### Details", ""]
    for key in TITLES:
        r = results.get(key)
        if r is None:
            continue
        lines += [f"#### {key}", ""]
        if r.get("note"):
            lines += [r["note"], ""]
        lines += ["```json", json.dumps({k: v for k, v in r.items() if k != "note"}, ensure_ascii=False, indent=1)[:5000],
                  "```", ""]
    if isinstance(results.get("EXPLAIN"), dict) and results["EXPLAIN"].get("plans"):
        lines += _explain_section(results["EXPLAIN"])
    return lines


def render(all_results: dict) -> str:
    lines = [
        "# Performance", "",
        "Generated by `bench/report.py` from `bench/results/*.json`, which `bench/run.py` writes (`make bench`: county "
        "profile on SQLite; `make bench-province`: province profile on PostgreSQL). Do not edit: re-run the bench. "
        "Every figure and its floor are measured in the same run on the database that run generated; nothing is "
        "copied by hand. Targets are those of issue 15; a verdict is “met” only when every part of the target is.", "",
        "Each section records the load average at the start and end of the run and of every benchmark: on a "
        "2-core machine anything else running shows there. Read the ratios (figure ÷ floor measured side by side) "
        "before the absolute times.", "",
        "Order of a run: the reads first on the generated data (B1, B2, B6, EXPLAIN), then B5, B7, B4 (its loop adds a "
        "few hundred hazards to the bench county), then B3 last (its import goes into the bench county) and B5b over "
        "what B3 imported. A benchmark re-run later (\u201cpartial re-run\u201d) keeps its own load average and time in its "
        "details; the earlier parts of the run are listed under each profile.", "",
    ]
    for profile, _ in PROFILE_FILES:
        results = all_results.get(profile)
        if results is None:
            lines += [f"## {profile} profile", "", "Not run yet.", ""]
        else:
            lines += render_profile(results)
    return "\n".join(lines) + "\n"


def load_all(current: dict | None = None) -> dict:
    out = {}
    for profile, name in PROFILE_FILES:
        path = RESULTS / name
        if path.exists():
            out[profile] = json.loads(path.read_text())
    if current is not None:
        out[current.get("profile")] = current
    return out


def write(results: dict | None = None, path: Path | None = None) -> Path:
    path = path or ROOT / "docs" / "performance.md"
    path.write_text(render(load_all(results)))
    return path


if __name__ == "__main__":  # re-render from the results files: python bench/report.py
    print(write())
