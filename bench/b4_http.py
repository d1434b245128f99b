"""B4: the whole 重大 hazard loop over HTTP — register (with its basis), the six-element governance
plan, an evidence photo upload, the completion, the department's acceptance (销号) — through
gunicorn (2 sync workers, config.wsgi, DEBUG off) on 127.0.0.1 at a free port, loaded by locust
(headless, 20 users, bounded duration). Errors are counted from every response (locust's request
event hook in bench/locustfile.py, not its CSV); then the hazard events written are checked against
the successful calls, step by step (0 lost). Floor: the same service calls in-process (no HTTP),
measured in the same run."""

import csv
import io
import json
import os
import random
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
STEPS = ("register", "submit_plan", "upload_evidence", "submit_completion", "accept")
VERBS = {"register": "hazard.registered", "submit_plan": "hazard.submit_plan", "upload_evidence": "hazard.attachment_added",
         "submit_completion": "hazard.submit_completion", "accept": "hazard.accept"}
DEADLINE_DAYS = 30
PLAN = {"goal_tasks": "清除违规气瓶，改用管道燃气", "measures": "停用气瓶、改造管线、设置报警器",
        "funds_materials": "企业自筹，物资已落实", "funds_amount": "3.50", "responsible": "安全管理部，张三",
        "safety_emergency": "整改期间停用后厨，配备灭火器，应急预案已演练"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def officers(actors, n: int) -> list:
    """n officers of the bench commerce bureau, each with an API token (created beforehand)."""
    from django.contrib.auth import get_user_model

    from accounts import services as accounts
    from accounts.models import Membership
    from core.api_auth import issue

    User = get_user_model()
    users = []
    for i in range(1, n + 1):
        name = f"bench_commerce_{i:02d}"
        user = User.objects.filter(username=name).first() or accounts.create_user(
            None, username=name, password=None, organisation=actors.department, role=Membership.Role.OFFICER)  # API token only
        users.append(user)
    return [(u, issue(u)["token"]) for u in users]


def enterprise_staff(actors, n: int) -> list:
    """n commerce enterprises of the bench county (inside the bench department's scope), each with a
    safety manager (enterprise login, write role) and an API token: (enterprise, user, token)."""
    from django.contrib.auth import get_user_model

    from accounts import services as accounts
    from accounts.models import Membership, Sector
    from core.api_auth import issue
    from enterprises import services as ent_services
    from enterprises.models import Enterprise

    User = get_user_model()
    commerce = Sector.objects.get(code="commerce")
    ents = list(Enterprise.objects.visible_to(actors.department_user).filter(sectors=commerce, name__startswith="GEN")
                .order_by("id")[:n])
    out = []
    for i, ent in enumerate(ents, 1):
        org = ent_services.ensure_enterprise_organisation(None, ent)
        name = f"bench_ent_{actors.county.code}_{i:02d}"
        user = User.objects.filter(username=name).first() or accounts.create_user(
            None, username=name, password=None, organisation=org, role=Membership.Role.SAFETY_MANAGER)  # API token only
        out.append((ent, user, issue(user)["token"]))
    return out


def evidence_png(rng) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (32, 24), tuple(rng.randrange(256) for _ in range(3)))
    image.putpixel((rng.randrange(32), rng.randrange(24)), tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def service_floor(actors, staff: list, department_users: list, n: int) -> dict:
    """The same loop in-process, n times: the service calls the API views make (register_hazard,
    run_action submit_plan, check_upload + add_attachment, run_action submit_completion, run_action
    accept) — state-changing calls per second without HTTP, serialisers or auth."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import Sector
    from hazards import services
    from hazards.evidence import check_upload
    from hazards.models import Attachment

    sector = Sector.objects.get(code="commerce")
    rng = random.Random(4)
    deadline = datetime.date.today() + datetime.timedelta(days=DEADLINE_DAYS)
    t = time.perf_counter()
    for i in range(n):
        ent, user, _ = staff[i % len(staff)]
        dept = department_users[i % len(department_users)]
        h = services.register_hazard(user, enterprise=ent, sector=sector, grade="major", location="后厨",
                                     description="基准测试（进程内）：液化气瓶违规存放于人员密集场所",
                                     basis_reason="依据行业判定标准，人员密集场所违规存放液化气瓶", deadline=deadline)
        services.run_action(user, h, "submit_plan", {**PLAN, "deadline": deadline, "note": ""})
        h.refresh_from_db()
        services.add_attachment(user, h, check_upload(SimpleUploadedFile("整改后.png", evidence_png(rng), "image/png")),
                                original_name="整改后.png", kind=Attachment.Kind.EVIDENCE)
        services.run_action(user, h, "submit_completion", {"evidence_note": "气瓶已清除，照片已上传", "assessment_report": ""})
        h.refresh_from_db()
        services.run_action(dept, h, "accept", {"mode": "on_site", "opinion": "现场验收合格"})
    secs = time.perf_counter() - t
    calls = len(STEPS) * n
    return {"loops": n, "calls": calls, "seconds": round(secs, 2), "calls_per_s": round(calls / secs, 1),
            "loops_per_s": round(n / secs, 2)}


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

    duration = 30 if profile == "county" else 60
    officers_ = officers(actors, USERS)
    staff = enterprise_staff(actors, USERS)
    if len(staff) < USERS:
        return {"error": f"only {len(staff)} commerce enterprises in the bench department's scope"}
    Sector.objects.get(code="commerce")
    floor = service_floor(actors, staff, [u for u, _ in officers_], 30 if profile == "province" else 50)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    user_ids = [u.pk for u, _ in officers_] + [u.pk for _, u, _ in staff]
    verbs = list(VERBS.values())

    def event_counts() -> dict:
        rows = (Event.objects.filter(object_type="hazards.hazard", actor_id__in=user_ids, verb__in=verbs)
                .values_list("verb"))
        counts = {v: 0 for v in verbs}
        for (v,) in rows.iterator():
            counts[v] += 1
        return counts

    before = event_counts()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DEBUG": "0", "QINGLING_DEV": "1", "MEDIA_ROOT": str(Path(tmp) / "media")}
        cfg = Path(tmp) / "config.json"
        counts_file = Path(tmp) / "counts.json"
        cfg.write_text(json.dumps({"pairs": [{"enterprise_token": tok, "department_token": officers_[i][1], "enterprise": ent.pk}
                                             for i, (ent, _, tok) in enumerate(staff)],
                                   "sector": "commerce", "counts_file": str(counts_file)}))
        gunicorn = subprocess.Popen([str(VENV_BIN / "gunicorn"), "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                                     "--log-level", "warning", "--timeout", "60"], cwd=ROOT, env=env,
                                    stdout=subprocess.DEVNULL, stderr=open(Path(tmp) / "gunicorn.log", "w"))
        try:
            _wait_up(f"{host}/healthz", gunicorn)
            prefix = str(Path(tmp) / "b4")
            t = time.perf_counter()
            locust = subprocess.run([str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                                     "-u", str(USERS), "-r", "10", "-t", f"{duration}s", "--host", host, "--csv", prefix,
                                     "--only-summary", "--stop-timeout", "60"],
                                    cwd=ROOT, env={**env, "BENCH_LOCUST_CONFIG": str(cfg)}, capture_output=True, text=True,
                                    timeout=duration + 180)
            wall = time.perf_counter() - t
            stats = _stats(prefix) if Path(f"{prefix}_stats.csv").exists() else {}
            counts = json.loads(counts_file.read_text()) if counts_file.exists() else {}
        finally:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        gunicorn_errors = (Path(tmp) / "gunicorn.log").read_text()[-1000:]
    after = event_counts()
    done = counts.get("done", {})
    seen = counts.get("seen")
    written = {step: after[VERBS[step]] - before[VERBS[step]] for step in STEPS}
    lost = {step: done.get(step, 0) - written[step] for step in STEPS}
    ok = sum(done.get(s, 0) for s in STEPS)
    # errors from every response (the locustfile's request listener); if it never wrote, the run failed
    errors = seen["failures"] if seen else None
    rate = round(ok / wall, 1)
    ratio = round(floor["calls_per_s"] / max(rate, 0.001), 2)
    lost_total = sum(abs(v) for v in lost.values())
    return {"figure": f"{rate} calls/s ({counts.get('loops', {}).get('completed', 0)} whole loops in {round(wall)} s), "
                      f"{errors} errors, {lost_total} lost events",
            "floor": f"in-process services {floor['calls_per_s']} calls/s", "ratio": ratio, "calls_per_s": rate,
            "successful_calls": ok, "by_step": done, "loops": counts.get("loops"), "errors": errors,
            "hazard_events_written": written, "lost_events": lost, "duration_s": duration, "locust_wall_s": round(wall, 1),
            "locust_exit": locust.returncode, "locust_stderr_tail": locust.stderr.strip()[-600:] if not seen else "",
            "csv_stats": stats, "service_floor": floor, "gunicorn_log_tail": gunicorn_errors.strip()[-500:], "responses": seen,
            "verdict": "met" if (seen is not None and errors == 0 and lost_total == 0 and ratio <= 2) else "not met",
            "note": "one call = one state-changing request (register, submit_plan, evidence upload, submit_completion, "
                    "accept); ratio = in-process floor ÷ HTTP rate; errors = every locust response marked failed "
                    "(request event hook, not the CSV); lost = successful calls − hazard events of that verb written by "
                    "the bench users. 20 locust users and gunicorn's 2 workers share the machine's 2 cores (locust's "
                    "own CPU counts against the figure)"
                    + ("; SQLite serialises writes (one writer at a time)" if _vendor() == "sqlite" else "")}


def _vendor() -> str:
    from django.db import connection

    return connection.vendor
