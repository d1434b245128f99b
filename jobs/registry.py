"""Job kinds: ``@register("hazards.export")`` on a function ``handler(job, progress) -> Outcome | None``.

A handler reads ``job.params``, reports ``progress(done, total)`` at least once per chunk and
returns an ``Outcome`` (a result file to download and/or a summary line). A long handler may do a
bounded share of its work and return ``Outcome(resume=True)``: the job goes back to the end of the
queue (``services.requeue``), so that jobs submitted meanwhile run first, and the handler is
called again later to go on — it must be resumable (skip what an earlier share did). It raises
``core.services.ServiceError`` for a problem of the input (the job fails with that message, no
retry); any other exception is treated as transient and retried with back-off."""

import time
from dataclasses import dataclass, field

from django.conf import settings

_HANDLERS: dict = {}


@dataclass
class Outcome:
    message: str = ""
    path: str = ""            # a file written by the handler (moved into the job's result)
    content: bytes | None = None
    name: str = ""            # file name offered to the user
    content_type: str = "application/octet-stream"
    data: dict = field(default_factory=dict)
    #: not finished: run again after the jobs queued meanwhile (``data`` is kept as ``job.summary``)
    resume: bool = False


def share_until() -> float:
    """The ``time.monotonic()`` instant at which a resumable handler started now ends its share
    (``QINGLING_JOB_SHARE_SECONDS``, 60 s): long enough to make headway, short enough that a job
    submitted meanwhile waits at most that long for a worker the long job holds."""
    return time.monotonic() + settings.QINGLING_JOB_SHARE_SECONDS


_ON_FAIL: dict = {}
_LINKS: dict = {}
_FOLLOW_UPS: dict = {}


def register(kind: str, *, on_fail=None, link=None, follow_up=None):
    """``on_fail(job, message)`` runs (in the failing transaction) when a job of this kind fails
    for good, e.g. to mark a domain record that mirrors the job. ``link(job)`` → ``(label, url)``
    or None: where a finished job's result is seen when it is a page rather than a file (the
    job page offers it; e.g. the computed assessment results). ``follow_up(job)`` →
    ``{"label", "url", "duplicate"}`` or None: a next step the job page offers its owner as a
    POST form (e.g. 正式导入 under a passed dry run; ``duplicate``, when not empty, is a warning
    shown with a 仍要导入 checkbox)."""
    def wrap(fn):
        _HANDLERS[kind] = fn
        if on_fail:
            _ON_FAIL[kind] = on_fail
        if link:
            _LINKS[kind] = link
        if follow_up:
            _FOLLOW_UPS[kind] = follow_up
        return fn
    return wrap


def link_for(job):
    """``(label, url)`` of the page showing ``job``'s result, or None (``register(link=…)``)."""
    fn = _LINKS.get(job.kind)
    return fn(job) if fn else None


def follow_up_for(job):
    """The next step the job page offers (``register(follow_up=…)``), or None."""
    fn = _FOLLOW_UPS.get(job.kind)
    return fn(job) if fn else None


def handler_for(kind: str):
    return _HANDLERS.get(kind)


def on_fail_for(kind: str):
    return _ON_FAIL.get(kind)


def kinds() -> list[str]:
    return sorted(_HANDLERS)
