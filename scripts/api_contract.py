"""The API as a contract, checked by clients nobody here wrote (issue 18):

1. builds a throw-away database with the personas world — SQLite, or with ``DATABASE_URL`` pointing
   at PostgreSQL a database of its own on that server (created and dropped here): PostgreSQL
   refuses what SQLite stores (an integer beyond its column is a ``DataError``, a 500), so CI runs
   the check on both — and starts the app on 127.0.0.1;
2. runs schemathesis against /api/schema/ for three personas (committee office, commerce
   department, enterprise) with the checks not_a_server_error, status_code_conformance,
   content_type_conformance, response_schema_conformance;
3. generates a client with openapi-python-client, imports every module, checks that every enum
   member of the generated models has an ASCII name (``x-enum-varnames``), and drives the 重大
   hazard loop with it: register → six-element plan → evidence upload → submit → reject →
   resubmit → accept → ledger export (202: an export job, because the demo server's
   ``API_EXPORT_SYNC_MAX_ROWS`` is 0) → job status → job download (xlsx) → the hazard's official
   document (重大事故隐患报告表, docx).

The demo server runs jobs inline (``QINGLING_JOBS_INLINE``, a single-process demo without a worker).
Prints ``cases run``, ``failures`` and ``loop steps n/11``; exits non-zero on any failure.
Usage: QINGLING_DEV=1 python scripts/api_contract.py [--max-examples N] [--keep]
"""

import argparse
import base64
import datetime
import importlib
import io
import json
import os
import pkgutil
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PERSONAS = {"committee": "hb_anweiban", "commerce": "hb_shangwu", "enterprise": "qy_xinlong"}
PHASES = os.environ.get("API_CONTRACT_PHASES", "examples,fuzzing")  # "coverage" too: slower, deeper
LOOP_STEPS = 11  # register, plan, evidence, submit, reject, resubmit, accept, export job, job status, download, document
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
SEED = """
import json
from core.testing import build_world
from core.api_auth import issue
from django.contrib.auth import get_user_model
w = build_world()
User = get_user_model()
names = %r
print("TOKENS=" + json.dumps({n: issue(User.objects.get(username=n))["token"] for n in names}))
print("ENTERPRISE=%%d" %% w.ent_commerce.pk)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, env, **kw):
    return subprocess.run(cmd, env=env, cwd=ROOT, text=True, capture_output=True, **kw)


def throwaway_postgres() -> tuple[str | None, object]:
    """With DATABASE_URL on PostgreSQL: a new empty database on that server for this run (its URL)
    and a function that drops it; else (None, a no-op)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None, lambda: None
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = f"qingling_api_contract_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))

    def execute(sql):
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql)

    execute(f'DROP DATABASE IF EXISTS "{name}"')
    execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), lambda: execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup(tmp: Path, database_url: str | None) -> tuple[dict, dict, int]:
    env = {**os.environ, "QINGLING_DEV": "1", "DATABASE_URL": database_url or f"sqlite:///{tmp / 'api.sqlite3'}",
           "MEDIA_ROOT": str(tmp / "media"), "API_THROTTLE_USER": "1000000/min",
           "API_THROTTLE_ADDRESS": "1000000/min", "API_THROTTLE_ANON": "1000000/min",
           "API_EXPORT_SYNC_MAX_ROWS": "0", "QINGLING_JOBS_INLINE": "1"}
    out = run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
    if out.returncode:
        sys.exit(out.stderr)
    names = list(PERSONAS.values()) + ["hb_shangwu_lead"]
    out = run([sys.executable, "manage.py", "shell", "-v0", "-c", SEED % names], env)
    if out.returncode:
        sys.exit(out.stderr)
    tokens = json.loads(re.search(r"TOKENS=(.*)", out.stdout).group(1))
    enterprise = int(re.search(r"ENTERPRISE=(\d+)", out.stdout).group(1))
    return env, tokens, enterprise


def start_server(env, port):
    log = open(Path(env["MEDIA_ROOT"]).parent / "server.log", "w")  # never a pipe: a full pipe blocks the server
    proc = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return proc
        except OSError:
            time.sleep(1)
    proc.kill()
    log.close()
    tail = (Path(env["MEDIA_ROOT"]).parent / "server.log").read_text(errors="replace")[-3000:]
    sys.exit(f"server did not start; its log ends:\n{tail}")


def schemathesis(schema: Path, base: str, token: str, max_examples: int, report: Path) -> tuple[int, int, str]:
    cmd = [str(BIN / "schemathesis"), "run", str(schema), "--url", base, "-H", f"Authorization: Token {token}",
           "--checks", CHECKS, "--max-examples", str(max_examples), "--phases", PHASES, "--workers", "1",
           "--request-timeout", "120",  # a PDF (LibreOffice) takes seconds on a loaded machine
           "--exclude-path-regex", "/auth/token/(refresh|revoke)/", "--no-shrink", "--seed", "18",
           "--report", "ndjson", "--report-ndjson-path", str(report)]
    out = subprocess.run(cmd, text=True, capture_output=True)
    report.with_suffix(".txt").write_text(out.stdout + out.stderr)  # whole, beside the report (--keep keeps it)
    cases = failures = 0
    for line in report.read_text().splitlines() if report.exists() else []:
        event = json.loads(line)
        if "ScenarioFinished" in event:
            recorder = event["ScenarioFinished"].get("recorder", {})
            cases += len(recorder.get("cases", {}))
            failures += sum(1 for checks in recorder.get("checks", {}).values()
                            for c in checks if c.get("status") not in ("success", "skip", "skipped"))
    if out.returncode and not failures:
        failures = 1  # a crash or an error counts
    return cases, failures, out.stdout[-4000:]


def _text(b64: str, limit: int = 1500) -> str:
    return base64.b64decode(b64).decode("utf-8", "replace")[:limit] if b64 else ""


def failed_cases(report: Path) -> list[str]:
    """Each failing case of a schemathesis report in one line: the request (body included) and the answer,
    so that a CI log names what failed, not only how many."""
    lines = []
    for line in report.read_text().splitlines() if report.exists() else []:
        recorder = json.loads(line).get("ScenarioFinished", {}).get("recorder", {})
        for case_id, checks in recorder.get("checks", {}).items():
            failed = [c["name"] for c in checks if c.get("status") not in ("success", "skip", "skipped")]
            if not failed:
                continue
            case = recorder.get("cases", {}).get(case_id, {}).get("value", {})
            interaction = recorder.get("interactions", {}).get(case_id) or {}
            request, response = interaction.get("request") or {}, interaction.get("response") or {}
            body = (request.get("body") or {}).get("$base64", "")
            answer = (response.get("content") or {}).get("$base64", "")
            request_id = (response.get("headers") or {}).get("x-request-id", [""])[0]
            lines.append(f"{', '.join(failed)}: {request.get('method', case.get('method'))} "
                         f"{request.get('uri', case.get('path'))} → {response.get('status_code')} "
                         f"(request id {request_id})\n      body: {_text(body)!r}\n      answer: {_text(answer)!r}")
    return lines


def server_tracebacks(log: Path, limit: int = 4000) -> str:
    """The server's error reports in its log — from a line saying "Internal Server Error" (the django.request
    logger's, after its time stamp) or a bare "Traceback", through the traceback, to the next log line (one
    starting with a time stamp) — each shortened to what names the fault (``_compact``: its first line, the
    project's own frames, the exception), the same report once with how many times it came, the last
    ``limit`` characters of them."""
    stamped = re.compile(r"^(\d{4}-\d{2}-\d{2} |\[)")
    blocks, current = [], None
    for line in (log.read_text(errors="replace") if log.exists() else "").splitlines():
        starts = "Internal Server Error" in line or line.startswith("Traceback")
        if current is not None and (stamped.match(line) or starts) and not line.startswith("Traceback"):
            blocks.append(current)
            current = None
        if current is None and starts:
            current = [line]
        elif current is not None:
            current.append(line)
    if current:
        blocks.append(current)
    counted: dict[str, int] = {}
    for block in blocks:
        text = _compact(block)
        counted[text] = counted.get(text, 0) + 1
    return "\n".join(text if n == 1 else f"{text}\n  (×{n})" for text, n in counted.items())[-limit:]


def _compact(block: list[str]) -> str:
    """An error report without its time stamp and its library frames: the first line, each frame of the
    project (neither under site-packages nor the standard library) with its source line, and the exception line(s) of the chain."""
    first = re.sub(r"^\d{4}-\d{2}-\d{2} [\d:,.]+ ", "", block[0])
    kept = [first] if first != "Traceback (most recent call last):" else []
    for i, line in enumerate(block[1:], 1):
        if line.lstrip().startswith('File "'):
            if "site-packages" not in line and "/lib/python3." not in line:  # neither a library nor the stdlib
                kept.append(line)
                if i + 1 < len(block) and block[i + 1].startswith("    ") and not block[i + 1].lstrip().startswith("File"):
                    kept.append(block[i + 1])
        elif line and not line.startswith((" ", "Traceback", "During handling", "The above exception")):
            kept.append(line)  # an exception of the chain ("DataError: …")
    return "\n".join(kept)


def generate_client(schema: Path, tmp: Path):
    config = tmp / "client-config.json"
    config.write_text(json.dumps({"content_type_overrides": {  # files: bytes for the client
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "application/octet-stream",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "application/octet-stream",
        "application/pdf": "application/octet-stream", "text/csv": "application/octet-stream",
        "application/zip": "application/octet-stream"}}))
    out = subprocess.run([str(BIN / "openapi-python-client"), "generate", "--path", str(schema), "--output-path",
                          str(tmp / "qingling_client"), "--meta", "none", "--config", str(config)],
                         text=True, capture_output=True)
    if not (tmp / "qingling_client" / "client.py").exists():
        sys.exit("client generation failed:\n" + out.stdout + out.stderr)
    sys.path.insert(0, str(tmp))
    package = importlib.import_module("qingling_client")
    modules = [m.name for m in pkgutil.walk_packages(package.__path__, "qingling_client.")]
    broken = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - report every module that fails to import
            broken.append(f"{name}: {exc}")
    return package, len(modules), broken


def enum_members() -> tuple[int, list[str]]:
    """Every member of every Enum class of the generated models: (count, non-ASCII names)."""
    import enum

    from qingling_client import models

    count, bad = 0, []
    for name in dir(models):
        cls = getattr(models, name)
        if isinstance(cls, type) and issubclass(cls, enum.Enum):
            for member in cls:
                count += 1
                if not (member.name.isascii() and member.name.isidentifier()):
                    bad.append(f"{name}.{member.name}")
    return count, bad


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


def loop(base: str, tokens: dict, enterprise: int) -> list[str]:
    """The 重大 hazard loop through the generated client; returns the steps that succeeded."""
    from qingling_client import AuthenticatedClient, models
    from qingling_client.api.hazards import (
        hazards_action,
        v1_hazards_attachments_create,
        v1_hazards_create,
        v1_hazards_documents_report_retrieve,
        v1_hazards_export_retrieve,
    )
    from qingling_client.api.jobs import v1_jobs_download_retrieve, v1_jobs_retrieve
    from qingling_client.types import File

    def as_(username):
        return AuthenticatedClient(base_url=base, token=tokens[username], prefix="Token", timeout=60)

    ent, dept, lead = as_("qy_xinlong"), as_("hb_shangwu"), as_("hb_shangwu_lead")
    done: list[str] = []

    def step(name, response, want, check=lambda r: True):
        ok = response.status_code == want and check(response)
        print(f"  {'✓' if ok else '✗'} {name}: {int(response.status_code)}")
        if not ok:
            print("    ", response.content[:400])
            raise SystemExit(1)
        done.append(name)
        return response.parsed

    def act(client, pk, action, body):
        return hazards_action.sync_detailed(pk, models.HazardsActionActionName(action), client=client, body=body)

    deadline = datetime.date.today() + datetime.timedelta(days=30)
    try:
        hazard = step("register", v1_hazards_create.sync_detailed(client=ent, body=models.HazardCreateRequest.from_dict({
            "enterprise": enterprise, "sector": "commerce", "description": "消防通道被占用，安全出口锁闭",
            "grade": "major", "basis_reason": "可能导致群死群伤", "deadline": deadline.isoformat()}),
            idempotency_key="loop-register"), 201)
        pk = hazard.id
        plan = models.PlanRequest.from_dict({
            "goal_tasks": "消除隐患", "measures": "拆除门锁、清理通道", "funds_materials": "5万元，已落实",
            "responsible": "设备部 张三", "deadline": deadline.isoformat(), "safety_emergency": "停用该区域，预案已修订"})
        step("plan", act(ent, pk, "submit_plan", plan), 200, lambda r: r.parsed.status.value == "rectifying")
        upload = models.UploadRequest(evidence=File(payload=io.BytesIO(png_bytes()), file_name="evidence.png",
                                                    mime_type="image/png"))
        step("evidence", v1_hazards_attachments_create.sync_detailed(pk, client=ent, body=upload), 201)
        completion = models.CompletionRequest.from_dict({"evidence_note": "门锁已拆除，通道已清理"})
        step("submit", act(ent, pk, "submit_completion", completion), 200,
             lambda r: r.parsed.status.value == "pending_acceptance")
        reject = models.RejectRequest.from_dict({"reason": "出口仍上锁", "next_steps": "拆除全部门锁"})
        step("reject", act(dept, pk, "reject", reject), 200, lambda r: r.parsed.status.value == "rectifying")
        step("resubmit", act(ent, pk, "submit_completion", models.CompletionRequest.from_dict(
            {"evidence_note": "全部门锁已拆除"})), 200, lambda r: r.parsed.status.value == "pending_acceptance")
        step("accept", act(lead, pk, "accept", models.AcceptRequest.from_dict({"mode": "on_site", "opinion": "合格"})),
             200, lambda r: r.parsed.status.value == "closed")
        job = step("export job", v1_hazards_export_retrieve.sync_detailed(client=dept, grade=models.V1HazardsExportRetrieveGrade.MAJOR),
                   202, lambda r: r.headers.get("location", "").endswith(f"/jobs/{r.parsed.id}/"))
        for _ in range(60):  # poll the job until it is finished (inline on the demo server: at once)
            status = v1_jobs_retrieve.sync_detailed(job.id, client=dept)
            if status.status_code != 200 or status.parsed.finished:
                break
            time.sleep(1)
        step("job status", status, 200, lambda r: r.parsed.status.value == "done" and bool(r.parsed.download))
        step("job download", v1_jobs_download_retrieve.sync_detailed(job.id, client=dept), 200,
             lambda r: r.content[:2] == b"PK" and "spreadsheetml" in r.headers.get("content-type", ""))
        step("document", v1_hazards_documents_report_retrieve.sync_detailed(pk, client=ent), 200,
             lambda r: r.content[:2] == b"PK" and "wordprocessingml" in r.headers.get("content-type", ""))
    except SystemExit:
        pass
    return done


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("API_CONTRACT_EXAMPLES", "4")))
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="qingling-api-"))
    started = time.time()
    database_url, drop_database = throwaway_postgres()
    print("database:", "PostgreSQL" if database_url else "SQLite")
    server = None
    try:
        env, tokens, enterprise = setup(tmp, database_url)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(env, port)
        schema = tmp / "schema.json"
        schema.write_bytes(urllib.request.urlopen(f"{base}/api/schema/?format=json", timeout=120).read())
        package, n_modules, broken = generate_client(schema, tmp)
        print(f"client modules imported: {n_modules - len(broken)}/{n_modules}")
        for line in broken:
            print("  ", line)
        n_members, non_ascii = enum_members() if not broken else (0, ["(client broken)"])
        print(f"client enum members with ASCII names: {n_members - len(non_ascii)}/{n_members}")
        for line in non_ascii:
            print("  ", line)
        print("loop (generated client):")
        steps = loop(base, tokens, enterprise)
        print(f"loop steps {len(steps)}/{LOOP_STEPS}")
        total_cases = total_failures = 0
        for persona, username in PERSONAS.items():
            cases, failures, tail = schemathesis(schema, base, tokens[username], args.max_examples,
                                                 tmp / f"st-{persona}.ndjson")
            print(f"schemathesis {persona}: cases run {cases}, failures {failures}")
            if failures:
                print(tail[-1500:])
            total_cases += cases
            total_failures += failures
        print(f"cases run {total_cases} / failures {total_failures} / loop steps {len(steps)}/{LOOP_STEPS} "
              f"/ client modules {n_modules - len(broken)}/{n_modules} "
              f"/ enum members ASCII {n_members - len(non_ascii)}/{n_members} ({time.time() - started:.0f}s)")
        if total_failures:  # last, so that the end of the output (what CI shows) names them
            print("failing cases:")
            for persona in PERSONAS:
                for line in failed_cases(tmp / f"st-{persona}.ndjson"):
                    print(f"  [{persona}] {line}")
            print("server tracebacks:\n" + (server_tracebacks(tmp / "server.log") or "  (none)"))
        ok = (total_failures == 0 and len(steps) == LOOP_STEPS and not broken and not non_ascii and n_members > 0
              and total_cases > 0)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        drop_database()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("kept", tmp)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
