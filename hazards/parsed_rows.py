"""The rows of a ledger file, parsed once per file across processes.

An upload is read three times: the page checks it before queueing the dry run, the dry run's job
checks every row, and 正式导入's job checks them again — under a worker, each in its own process.
The rows are a pure function of the file's bytes (and of the parser: ``FORMAT``), so they are
remembered by the bytes' SHA-256: for the last few files in this process (``_MEMO``) and, for the
jobs that follow in other processes, in a file under ``MEDIA_ROOT/jobs/parsed/`` written by those
that will be followed (``keep=True``: the page's check, a dry run's job). A kept file is signed
with the project's secret key, bound to its file's digest, and read back only when the signature
holds; anything else (absent, cut short, edited, an old format) is parsed again. The files are
deleted with the jobs' temporary files (``jobs.services.cleanup``).
"""

import collections
import datetime
import hashlib
import hmac
import json
import logging
import threading
from pathlib import Path

from django.conf import settings
from django.utils.crypto import salted_hmac

from jobs.progress import write_whole

log = logging.getLogger(__name__)

#: bump when ``importing.iter_rows`` returns something else for the same bytes: rows kept by an
#: older parser are then never read
FORMAT = 1
FOLDER = ("jobs", "parsed")
_MEMO: "collections.OrderedDict[bytes, tuple]" = collections.OrderedDict()
_MEMO_SIZE, _LOCK = 2, threading.Lock()
_TAGS = {"$d": datetime.date.fromisoformat, "$t": datetime.datetime.fromisoformat, "$h": datetime.time.fromisoformat,
         "$s": lambda seconds: datetime.timedelta(seconds=seconds)}


def read_rows(data: bytes, sha256: str = "", keep: bool = False) -> tuple[dict, ...]:
    """``importing.iter_rows`` of ``data`` as a tuple: remembered in this process, else the rows
    a process kept for these bytes, else parsed (and kept for the next process when ``keep``).
    Callers must not change the rows. A file that fails to parse raises each time (nothing kept).
    ``sha256``: the bytes' hex digest when the caller has it already."""
    from . import importing  # the parser (importing imports this module)

    digest = sha256 or hashlib.sha256(data).hexdigest()
    key = bytes.fromhex(digest)
    with _LOCK:
        hit = _MEMO.get(key)
        if hit is not None:
            _MEMO.move_to_end(key)
            return hit
    rows = _load(digest)
    if rows is None:
        rows = tuple(importing.iter_rows(data))
        if keep:
            _keep(digest, rows)
    with _LOCK:
        _MEMO[key] = rows
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
    return rows


def forget() -> None:
    """Forget the rows remembered in this process (the kept files stay)."""
    with _LOCK:
        _MEMO.clear()


def path(digest: str) -> Path:
    return Path(settings.MEDIA_ROOT, *FOLDER, f"{FORMAT}-{digest}.json")


def _signature(digest: str, payload: bytes) -> bytes:
    return salted_hmac(f"hazards.parsed_rows:{FORMAT}:{digest}", payload, algorithm="sha256").hexdigest().encode()


def _encode(value):
    if isinstance(value, datetime.datetime):
        return {"$t": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$d": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"$h": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"$s": value.total_seconds()}
    raise TypeError(type(value).__name__)


def _decode(obj: dict):
    if len(obj) == 1:
        (tag, value), = obj.items()
        convert = _TAGS.get(tag)
        if convert is not None:
            return convert(value)
    return obj


def _keep(digest: str, rows: tuple) -> None:
    try:
        payload = json.dumps(rows, default=_encode, ensure_ascii=False, separators=(",", ":")).encode()
    except (TypeError, ValueError) as exc:  # a value JSON cannot carry: the next process parses again
        log.info("parsed rows of %s not kept: %s", digest, exc)
        return
    try:
        write_whole(path(digest), _signature(digest, payload) + b"\n" + payload)
    except OSError as exc:
        log.warning("parsed rows of %s not kept: %s", digest, exc)


def _load(digest: str) -> tuple | None:
    try:
        signature, _, payload = path(digest).read_bytes().partition(b"\n")
    except OSError:
        return None
    if not hmac.compare_digest(signature, _signature(digest, payload)):
        log.warning("parsed rows of %s ignored: the signature does not match", digest)
        return None
    try:
        rows = tuple(json.loads(payload, object_hook=_decode))
    except ValueError:  # signed yet unreadable: only a changed secret key's clash; parsed again
        return None
    for row in rows:
        if "_errors" in row:  # pairs, as iter_rows gives them
            row["_errors"] = [tuple(pair) for pair in row["_errors"]]
    return rows
