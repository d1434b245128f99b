#!/usr/bin/env python
"""Where B4's per-request time goes, in-process: the five API calls of the 重大 loop through
Django's test client (the whole middleware stack, DRF, token auth, throttles, serializers, the
services), each step timed, its queries counted (CaptureQueriesContext) and, with --cprofile,
profiled with cProfile (cumulative time of the components named below).

    SQLITE_NAME=/tmp/copy.sqlite3 python bench/b4_profile.py [--loops 30] [--cprofile]

Writes to the database it is pointed at (hazards, events, tokens): use a copy of the bench file.
Not a benchmark: a diagnostic for bench/b4_http.py."""

import argparse
import cProfile
import datetime
import os
import pstats
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("QINGLING_DEV", "1")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("SQLITE_NAME", "bench-county.sqlite3")

#: component → (file fragment, function name) whose cumulative time cProfile reports
COMPONENTS = {
    "token auth (knox)": ("knox/auth.py", "authenticate"),
    "throttles": ("rest_framework/views.py", "check_throttles"),
    "idempotency/initial": ("core/api_http.py", "initial"),
    "parse body": ("rest_framework/request.py", "_parse"),
    "get_object (scoped)": ("rest_framework/generics.py", "get_object"),
    "available_for": ("hazards/actions.py", "available_for"),
    "actor_kind": ("hazards/services.py", "actor_kind"),
    "compute_scope": ("accounts/scope.py", "compute_scope"),
    "input serializer is_valid": ("rest_framework/serializers.py", "is_valid"),
    "output serializer .data": ("rest_framework/serializers.py", "data"),
    "register_hazard": ("hazards/services.py", "register_hazard"),
    "run_action": ("hazards/services.py", "run_action"),
    "check_upload": ("hazards/evidence.py", "check_upload"),
    "add_attachment": ("hazards/services.py", "add_attachment"),
    "record event": ("core/events.py", "record"),
    "multipart parse": ("rest_framework/parsers.py", "parse"),
    "csp middleware": ("csp/middleware.py", "__call__"),
    "session middleware": ("sessions/middleware.py", "process_response"),
    "csrf middleware": ("middleware/csrf.py", "process_view"),
    "view dispatch": ("rest_framework/views.py", "dispatch"),
    "refresh_from_db": ("db/models/base.py", "refresh_from_db"),
    "JSON render": ("rest_framework/renderers.py", "render"),
}


def timed_components():
    """Wrap the components with CPU-time accumulators (inclusive times, nested ones overlap):
    {name: [seconds, calls]}. Much cheaper than cProfile, so the milliseconds are realistic."""
    import functools

    from django.db.models import Model
    from knox.auth import TokenAuthentication
    from rest_framework import generics, renderers, request, serializers, views

    from accounts import scope
    from hazards import api, api_detail, services

    acc = {}

    def wrap(owner, attr, name, prop=False):
        original = owner.__dict__[attr] if isinstance(owner, type) else getattr(owner, attr)
        fn = original.fget if prop else original
        acc[name] = [0.0, 0]

        @functools.wraps(fn)
        def inner(*a, **k):
            t = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                acc[name][0] += time.process_time() - t
                acc[name][1] += 1

        setattr(owner, attr, property(inner) if prop else inner)

    wrap(views.APIView, "dispatch", "DRF view dispatch (all below)")
    wrap(TokenAuthentication, "authenticate", "token auth (knox)")
    wrap(views.APIView, "check_throttles", "throttles")
    wrap(views.APIView, "check_permissions", "permissions")
    wrap(request.Request, "_parse", "parse body (JSON / multipart)")
    wrap(generics.GenericAPIView, "get_object", "get_object (scoped lookup)")
    wrap(generics.GenericAPIView, "filter_queryset", "FilterSet on the lookup")
    wrap(scope, "compute_scope", "compute_scope (per request)")
    wrap(services, "actor_kind", "actor_kind (visible_to exists)")
    wrap(serializers.BaseSerializer, "is_valid", "input serializer is_valid")
    wrap(serializers.Serializer, "data", "output serializer .data", prop=True)
    wrap(services, "register_hazard", "service register_hazard")
    wrap(services, "run_action", "service run_action")
    wrap(api, "run_action", "service run_action (api)")
    wrap(api_detail, "check_upload", "check_upload (Pillow verify, EXIF)")
    wrap(api_detail, "add_attachment", "service add_attachment")
    wrap(Model, "refresh_from_db", "refresh_from_db")
    wrap(renderers.JSONRenderer, "render", "JSON render")
    return acc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--loops", type=int, default=30)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--top", type=int, default=0, help="print the top N functions by own time")
    parser.add_argument("--floor", action="store_true", help="also time bench/b4_http.py's in-process service floor")
    parser.add_argument("--dump", default="", help="write the cProfile stats to this file (pstats)")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.actors import ensure_actors
    from bench.b4_http import PLAN, USERS, enterprise_staff, evidence_png, officers, revoke_tokens, service_floor

    actors = ensure_actors("county")
    officers_ = officers(actors, USERS)
    staff = enterprise_staff(actors, USERS)
    client = Client(SERVER_NAME="127.0.0.1")
    rng = random.Random(7)
    deadline = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    times = defaultdict(list)
    queries = defaultdict(list)
    dbtime = defaultdict(list)

    class Timer:
        def __init__(self):
            self.total = 0.0

        def __call__(self, execute, sql, params, many, context):
            t = time.process_time()
            try:
                return execute(sql, params, many, context)
            finally:
                self.total += time.process_time() - t

    def call(step, path, token, **kw):
        timer = Timer()
        with CaptureQueriesContext(connection) as q, connection.execute_wrapper(timer):
            t = time.process_time()
            r = client.post(path, HTTP_AUTHORIZATION=f"Token {token}", **kw)
            times[step].append(time.process_time() - t)
        queries[step].append(len(q.captured_queries))
        dbtime[step].append(timer.total)
        assert r.status_code in (200, 201), (step, r.status_code, r.content[:300])
        if args.top < 0:
            for x in q.captured_queries:
                print(step, x["sql"][:200])
        return r

    def loop(i):
        ent, _, etok = staff[i % len(staff)]
        dtok = officers_[i % len(officers_)][1]
        r = call("register", "/api/v1/hazards/", etok, content_type="application/json", data={
            "enterprise": ent.pk, "sector": "commerce", "grade": "major", "description": "剖析：液化气瓶违规存放",
            "location": "后厨", "basis_reason": "依据行业判定标准，人员密集场所违规存放液化气瓶", "deadline": deadline})
        base = f"/api/v1/hazards/{r.json()['id']}/"
        call("submit_plan", base + "actions/submit_plan/", etok, content_type="application/json",
             data={**PLAN, "deadline": deadline})
        from django.core.files.uploadedfile import SimpleUploadedFile

        call("upload_evidence", base + "attachments/", etok,
             data={"evidence": SimpleUploadedFile("整改后.png", evidence_png(rng), "image/png"), "kind": "evidence"})
        call("submit_completion", base + "actions/submit_completion/", etok, content_type="application/json",
             data={"evidence_note": "气瓶已清除"})
        call("accept", base + "actions/accept/", dtok, content_type="application/json",
             data={"mode": "on_site", "opinion": "现场验收合格"})

    acc = timed_components() if not args.cprofile else None
    cpu = time.process_time()
    loop(0)  # warm-up (imports, first connection)
    print(f"first loop (cold): {1000 * (time.process_time() - cpu):.0f} ms CPU")
    times.clear(), queries.clear(), dbtime.clear()
    for v in (acc or {}).values():
        v[:] = [0.0, 0]
    prof = cProfile.Profile(time.process_time) if args.cprofile else None
    if prof:
        prof.enable()
    t = time.perf_counter()
    cpu = time.process_time()
    for i in range(1, args.loops + 1):
        loop(i)
    wall = time.perf_counter() - t
    print(f"steady loops: {1000 * (time.process_time() - cpu) / args.loops:.0f} ms CPU per loop")
    if prof:
        prof.disable()
    n = args.loops
    if args.floor:
        floor = service_floor(actors, staff, [u for u, _ in officers_], n)
        print(f"floor (same services in-process, same process): {floor['calls_per_s']} calls/s "
              f"= {1000 / floor['calls_per_s']:.1f} ms per call")
    print(f"{n} loops, {5 * n / wall:.1f} calls/s in-process through the test client")
    print(f"{'step':20s} {'cpu ms':>8s} {'db cpu':>7s} {'queries':>8s}")
    for step in times:
        print(f"{step:20s} {1000 * sum(times[step]) / n:8.1f} {1000 * sum(dbtime[step]) / n:7.1f} "
              f"{sum(queries[step]) / n:8.1f}")
    if acc:
        calls = 5 * n
        total = sum(sum(v) for v in times.values())
        print(f"\ncomponent (CPU ms per request, averaged over all {calls} requests; inclusive, nested ones overlap)")
        print(f"  {'whole request (test client)':34s} {1000 * total / calls:7.2f}")
        print(f"  {'middleware + URL + handler':34s} {1000 * (total - acc['DRF view dispatch (all below)'][0]) / calls:7.2f}")
        for name, (secs, k) in acc.items():
            print(f"  {name:34s} {1000 * secs / calls:7.2f}   ({k / calls:.1f} calls/request)")
        print(f"  {'database (execute)':34s} {1000 * sum(sum(v) for v in dbtime.values()) / calls:7.2f}")
    if prof:
        stats = pstats.Stats(prof)
        calls = 5 * n
        print(f"\ncomponent (cumulative, ms per request averaged over all {calls} requests)")
        for name, (frag, fn) in COMPONENTS.items():
            cum = sum(v[3] for k, v in stats.stats.items() if k[0].endswith(frag) and k[2] == fn)
            print(f"  {name:28s} {1000 * cum / calls:7.2f}")
        if args.dump:
            stats.dump_stats(args.dump)
        if args.top > 0:
            stats.sort_stats("tottime").print_stats(args.top)
    revoke_tokens([u for u, _ in officers_] + [u for _, u, _ in staff])


if __name__ == "__main__":
    main()
