"""B4: hazard workflow transitions over HTTP — gunicorn (2 sync workers, config.wsgi, DEBUG off)
on 127.0.0.1 at a free port, loaded by locust (headless, 20 users, bounded duration); then a
check that the hazard events written equal the successful state-changing calls (0 lost).
Floor: the same two service calls (register_hazard + close_now) in-process, no HTTP."""

import csv
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
USERS = 20
STATE_CHANGING = ("register", "close_now")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def officers(actors, n: int) -> list:
    """n officers of the bench commerce bureau, each with an API token (created beforehand)."""
    from django.contrib.auth import get_user_model

    from accounts import services as accounts
    from accounts.models import Membership
    from bench.actors import PASSWORD
    from core.api_auth import issue

    User = get_user_model()
    users = []
    for i in range(1, n + 1):
        name = f"bench_commerce_{i:02d}"
        user = User.objects.filter(username=name).first() or accounts.create_user(
            None, username=name, password=PASSWORD, organisation=actors.department, role=Membership.Role.OFFICER)
        users.append(user)
    return [(u, issue(u)["token"]) for u in users]


def service_floor(actors, n: int) -> dict:
    """register_hazard + close_now in-process, n times: transitions per second without HTTP."""
    from accounts.models import Sector
    from enterprises.models import Enterprise
    from hazards import services

    sector = Sector.objects.get(code="commerce")
    ents = list(Enterprise.objects.visible_to(actors.department_user).filter(sectors=sector)[:50])
    t = time.perf_counter()
    for i in range(n):
        h = services.register_hazard(actors.department_user, enterprise=ents[i % len(ents)], sector=sector,
                                     description="基准测试（进程内）", grade="general", location="仓库")
        services.close_now(actors.department_user, h, evidence_note="现场已整改")
    secs = time.perf_counter() - t
    return {"transitions": 2 * n, "seconds": round(secs, 2), "transitions_per_s": round(2 * n / secs, 1)}


def _wait_up(url: str, proc, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not come up")


def _stats(prefix: str) -> dict:
    out = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["Name"]] = {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                                "p50_ms": row["50%"], "p95_ms": row["95%"]}
    return out


def bench_b4_http(profile, actors) -> dict:
    from accounts.models import Sector
    from core.models import Event
    from enterprises.models import Enterprise

    duration = 20 if profile == "county" else 60
    people = officers(actors, USERS)
    sector = Sector.objects.get(code="commerce")
    ent_ids = list(Enterprise.objects.visible_to(actors.department_user).filter(sectors=sector)
                   .order_by("id").values_list("id", flat=True)[:2000])
    floor = service_floor(actors, 100)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DEBUG": "0", "QINGLING_DEV": "1"}
    user_ids = [u.pk for u, _ in people]
    before = Event.objects.filter(object_type="hazards.hazard", actor_id__in=user_ids).count()
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "config.json"
        counts_file = Path(tmp) / "counts.json"
        cfg.write_text(json.dumps({"tokens": [k for _, k in people], "enterprises": ent_ids, "sector": "commerce",
                                   "counts_file": str(counts_file)}))
        gunicorn = subprocess.Popen([str(VENV_BIN / "gunicorn"), "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                                     "--log-level", "warning", "--timeout", "60"], cwd=ROOT, env=env,
                                    stdout=subprocess.DEVNULL, stderr=open(Path(tmp) / "gunicorn.log", "w"))
        try:
            _wait_up(f"{host}/healthz", gunicorn)
            prefix = str(Path(tmp) / "b4")
            t = time.perf_counter()
            locust = subprocess.run([str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                                     "-u", str(USERS), "-r", "10", "-t", f"{duration}s", "--host", host, "--csv", prefix,
                                     "--only-summary", "--stop-timeout", "30"],
                                    cwd=ROOT, env={**env, "BENCH_LOCUST_CONFIG": str(cfg)}, capture_output=True, text=True,
                                    timeout=duration + 120)
            wall = time.perf_counter() - t
            stats = _stats(prefix)
            done = json.loads(counts_file.read_text()) if counts_file.exists() else {}
        finally:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        gunicorn_errors = (Path(tmp) / "gunicorn.log").read_text()[-1000:]
    after = Event.objects.filter(object_type="hazards.hazard", actor_id__in=user_ids).count()
    ok = sum(done.get(n, 0) for n in STATE_CHANGING)
    seen = done.pop("seen", None)
    # errors from every response (the locustfile's request listener); the CSV only if that is missing
    errors = seen["failures"] if seen else sum(s["failures"] for name, s in stats.items() if name != "Aggregated")
    rate = round(ok / wall, 1)
    events = after - before
    return {"figure": f"{rate} transitions/s, {errors} errors", "floor": f"in-process services {floor['transitions_per_s']} transitions/s",
            "ratio": round(floor["transitions_per_s"] / max(rate, 0.001), 2), "transitions_per_s": rate,
            "successful_state_changes": ok, "by_action": done, "errors": errors, "hazard_events_written": events, "lost_events": ok - events,
            "duration_s": duration, "locust_wall_s": round(wall, 1), "locust_exit": locust.returncode, "stats": stats,
            "service_floor": floor, "gunicorn_log_tail": gunicorn_errors.strip()[-500:], "responses": seen,
            "verdict": "met" if (seen is not None and errors == 0 and ok == events
                                 and floor["transitions_per_s"] / max(rate, 0.001) <= 2) else "not met",
            "note": "ratio = in-process floor ÷ HTTP rate; 20 locust users share the 2 cores with gunicorn's 2 workers"
                    + ("; SQLite serialises writes (one writer at a time)" if _vendor() == "sqlite" else "")}


def _vendor() -> str:
    from django.db import connection

    return connection.vendor
