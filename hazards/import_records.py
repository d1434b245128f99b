"""Which ledger files were already imported: the SHA-256 of every committed import's bytes, kept
per importing scope (the importer's unit), so that importing the same file again — which would
duplicate every hazard in it — is noticed: a dry run warns (``duplicate_warning``), a real run is
refused unless the user confirms (仍要导入 on the page; ``confirm_duplicate`` in the job's params).

A writer of ``hazards.services`` (listed in its SERVICE_MODULES): ``record_import`` runs inside the
transaction that writes the hazards, with its event. One query per file, none per row. The import's
jobs start here too: ``start_import`` (an uploaded file) and ``import_checked`` (正式导入 of the file
a passed dry run checked, from its job page — the file is not uploaded again)."""

import hashlib

from django.urls import reverse
from django.utils import timezone

from accounts.permissions import actor_org, can_write, is_government
from core.events import actor_fields, record
from core.services import NotPermitted, ServiceError

from .models import LedgerImport


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def scope_key(user) -> str:
    """The importing scope: the unit the user acts for (colleagues of one unit share it), else the
    user alone (a superuser without a unit, the system)."""
    org = actor_org(user) if user is not None else None
    if org is not None:
        return f"org:{org.pk}"
    return f"user:{user.pk}" if user is not None and user.pk else "system"


def earlier_import(actor, sha256: str) -> LedgerImport | None:
    """The latest committed import of a file with these bytes in the actor's scope, or None."""
    qs = LedgerImport.objects.filter(sha256=sha256)
    qs = qs.visible_to(actor).filter(scope=scope_key(actor)) if actor is not None else qs.filter(scope="system")
    return qs.select_related("organisation").order_by("-committed_at", "-id").first()


def recheck(actor, sha256: str) -> LedgerImport | None:
    """``earlier_import`` again, inside the transaction about to write: the imports of these bytes
    in the actor's scope are serialised (PostgreSQL: a transaction-scoped advisory lock, released at
    commit; SQLite writes one transaction at a time anyway), so that of two runs of one file that
    both checked before either committed, the second sees the first's record here."""
    from django.db import connection

    if connection.vendor == "postgresql":
        key = hashlib.sha256(f"hazards.import:{scope_key(actor)}:{sha256}".encode()).digest()[:8]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s::bigint)", [int.from_bytes(key, "big", signed=True)])
    return earlier_import(actor, sha256)


def describe(earlier: LedgerImport) -> dict:
    """What the warning says about an earlier import (JSON-safe: a job's summary keeps it)."""
    at = timezone.localtime(earlier.committed_at).strftime("%Y-%m-%d %H:%M")
    who = earlier.actor_name or "系统"
    if earlier.organisation is not None:
        who = f"{who}（{earlier.organisation.name}）"
    return {"record": earlier.pk, "job": earlier.job_id, "at": at, "by": who, "file_name": earlier.file_name,
            "created": earlier.created}


def duplicate_warning(info: dict) -> str:
    """``此文件已于 2026-05-01 09:30 由 张三（某某局）导入（导入记录 #3，任务 #12，导入 120 条）``."""
    refs = [f"导入记录 #{info['record']}"] + ([f"任务 #{info['job']}"] if info.get("job") else [])
    return (f"此文件已于 {info['at']} 由 {info['by']} 导入（{'，'.join(refs)}，导入 {info['created']} 条）。"
            "再次导入会重复登记其中的每一条隐患")


def refusal(info: dict) -> str:
    return f"{duplicate_warning(info)}；如确需再次导入，请勾选“仍要导入”。"


def record_import(actor, sha256: str, *, rows: int, created: int, job=None, file_name: str = "",
                  repeated: LedgerImport | None = None) -> LedgerImport:
    """Remember a committed import (inside its transaction) with its ``hazards.ledger_imported`` event."""
    info = actor_fields(actor)
    entry = LedgerImport.objects.create(
        sha256=sha256, scope=scope_key(actor), actor=info["actor"], actor_name=info["actor_name"][:150],
        organisation=info["actor_org"], job=job, file_name=file_name[:200], rows=rows, created=created,
        repeated=repeated)
    record(actor, "hazards.ledger_imported", entry,
           data={"sha256": sha256, "rows": rows, "created": created, "job": getattr(job, "pk", None),
                 "repeated": repeated.pk if repeated else None})
    return entry


KIND = "hazards.import"  # the job kind (jobs.handlers.hazards_import)
IMPORTER_ONLY = "只有政府部门可以导入隐患台账。"


def start_import(actor, upload, dry_run: bool, confirm_duplicate: bool = False):
    """Store an uploaded ledger file and queue its import (or dry run) as a job for ``actor``
    (the job and its ``job.submitted`` event in one transaction, jobs.services.submit).
    ``confirm_duplicate``: import it even if the same file was imported before."""
    from django.core.files.storage import default_storage

    from jobs.services import submit

    stored = default_storage.save(f"imports/hazards/{actor.pk}/{upload.name}", upload)
    return submit(actor, KIND, f"隐患台账{'试运行' if dry_run else '导入'}：{upload.name}"[:200],
                  {"file": stored, "dry_run": dry_run, "name": upload.name[:200], "confirm_duplicate": confirm_duplicate})


def passed_dry_run(job) -> bool:
    """A finished dry run of a ledger file that found no bad row and has rows to import."""
    summary = job.summary or {}
    return (job.kind == KIND and job.status == job.Status.DONE and bool(job.params.get("dry_run"))
            and not summary.get("errors") and bool(summary.get("created")))


def import_checked(actor, checked, confirm_duplicate: bool = False):
    """正式导入: import for real the file that ``checked`` — the actor's own passed dry run
    (``passed_dry_run``) — read, as a new job on the same stored file (the job checks every row
    again, and refuses a file imported before unless ``confirm_duplicate``). Asked again while that
    import is queued, running or done, it answers that job instead of queueing a second one."""
    from jobs.services import submit

    if not (is_government(actor) and can_write(actor)):
        raise NotPermitted(IMPORTER_ONLY)
    if checked.owner_id != actor.pk or not passed_dry_run(checked):
        raise ServiceError("只能对本人已通过的试运行执行正式导入。", "job", code="conflict")
    started = started_import(checked)
    if started is not None:
        return started
    name = checked.params.get("name", "")
    return submit(actor, KIND, f"隐患台账导入：{name}"[:200],
                  {"file": checked.params["file"], "dry_run": False, "name": name,
                   "confirm_duplicate": bool(confirm_duplicate), "checked": checked.pk})


def started_import(checked):
    """The import started from the dry run ``checked`` (by its owner) that is queued, running or
    committed — None when there is none, or it failed or was refused (nothing written)."""
    from jobs.models import Job

    started = (Job.objects.filter(kind=KIND, owner_id=checked.owner_id, params__checked=checked.pk)
               .exclude(status=Job.Status.FAILED).order_by("-pk").first())
    if started is not None and (started.status != Job.Status.DONE or (started.summary or {}).get("committed")):
        return started
    return None


def follow_up(job) -> dict | None:
    """The job page's 正式导入 form under a passed dry run (``jobs.registry``): where it posts, and
    the earlier import the dry run found (the form then asks for 仍要导入). Once its import is
    started, the same form leads to that import's job (``import_checked`` answers it)."""
    if not passed_dry_run(job):
        return None
    url = reverse("hazards:import_run", args=[job.pk])
    started = started_import(job)
    if started is not None:
        return {"label": f"查看正式导入（任务 #{started.pk}）", "url": url, "duplicate": ""}
    duplicate = (job.summary or {}).get("duplicate_of")
    return {"label": "正式导入", "url": url, "duplicate": duplicate_warning(duplicate) if duplicate else ""}
