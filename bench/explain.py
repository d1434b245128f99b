"""EXPLAIN (ANALYZE, BUFFERS) of the statements the ledger, list, statistics and home pages really
run (captured through the test client), PostgreSQL only. For each page: every statement is timed
once, and the slowest ones are explained; plan lines that read many rows only to throw them away
("Rows Removed by Filter" over a threshold) are listed, because they are the places where a
composite or covering index helps."""

import re
import time

from django.db import connection

from bench.pages import SEARCH_TERM, _client, _personas

SLOWEST = 3
REMOVED_FLAG = 10_000


class Capture:
    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if not many and sql.lstrip().upper().startswith("SELECT"):
                self.statements.append(((time.perf_counter() - t) * 1000, sql, params))


def _explain(sql, params, analyze: bool = True) -> str:
    """EXPLAIN (ANALYZE, BUFFERS); a statement that took over 10 s in the page is explained without
    running it again (plan and estimates only, said in the plan's first line)."""
    with connection.cursor() as cur:
        cur.execute(("EXPLAIN (ANALYZE, BUFFERS) " if analyze else "EXPLAIN ") + sql, params)
        if not analyze:
            return "-- not re-run under ANALYZE (over 10 s in the page): estimated plan\n" + "\n".join(r[0] for r in cur.fetchall())
        return "\n".join(r[0] for r in cur.fetchall())


def bench_explain(profile, actors) -> dict:
    if connection.vendor != "postgresql":
        return {"figure": "PostgreSQL only", "floor": "—", "ratio": None, "verdict": "not applicable", "plans": []}
    people = _personas(actors, profile)
    pages = [("county committee", "/hazards/?sort=deadline"),
             ("county committee", f"/hazards/?region={actors.county.code}&sector=commerce&status=rectifying&overdue=true&sort=deadline"),
             ("department", "/hazards/"),
             ("county committee", f"/hazards/?q={SEARCH_TERM}"),
             ("county committee", "/campaigns/stats/"),
             ("county committee", "/"),
             ("department", "/campaigns/board/")]
    if "province-wide (superuser)" in people:
        pages += [("province-wide (superuser)", "/hazards/"), ("province-wide (superuser)", f"/hazards/?q={SEARCH_TERM}"),
                  ("province committee office", "/campaigns/stats/"), ("province committee office", "/")]
    plans, flagged = [], []
    for persona, url in pages:
        client = _client(people[persona])
        cap = Capture()  # no warm-up load: province-wide statistics take minutes per load
        with connection.execute_wrapper(cap):
            status = client.get(url).status_code
        for ms, sql, params in sorted(cap.statements, key=lambda s: -s[0])[:SLOWEST]:
            if ms < 2:
                continue
            plan = _explain(sql, params, analyze=ms < 10_000)
            removed = [int(n) for n in re.findall(r"Rows Removed by Filter: (\d+)", plan)]
            total = re.search(r"Execution Time: ([\d.]+) ms", plan)
            entry = {"persona": persona, "url": url, "status": status, "ms_in_page": round(ms, 1),
                     "execution_ms": float(total.group(1)) if total else None,
                     "rows_removed_by_filter": sum(removed), "sql": sql[:1500], "plan": plan[:6000]}
            plans.append(entry)
            if sum(removed) >= REMOVED_FLAG:
                flagged.append(f"{persona} {url}: {sum(removed)} rows removed by filter ({entry['execution_ms']} ms)")
    worst = max((p["execution_ms"] or 0 for p in plans), default=0)
    return {"figure": f"{len(plans)} statements explained; slowest {worst} ms; {len(flagged)} with ≥ {REMOVED_FLAG} "
                      "filter-removed rows", "floor": "—", "ratio": None, "verdict": "see plans",
            "flagged": flagged, "plans": plans,
            "note": f"the {SLOWEST} slowest statements (≥ 2 ms) of each page, as the page ran them (one load, no "
                    "warm-up), re-run under EXPLAIN (ANALYZE, BUFFERS) — except statements over 10 s, explained "
                    "without ANALYZE"}
