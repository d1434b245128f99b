"""Job kinds: ``@register("hazards.export")`` on a function ``handler(job, progress) -> Outcome | None``.

A handler reads ``job.params``, reports ``progress(done, total)`` at least once per chunk and
returns an ``Outcome`` (a result file to download and/or a summary line). It raises
``core.services.ServiceError`` for a problem of the input (the job fails with that message, no
retry); any other exception is treated as transient and retried with back-off."""

from dataclasses import dataclass, field

_HANDLERS: dict = {}


@dataclass
class Outcome:
    message: str = ""
    path: str = ""            # a file written by the handler (moved into the job's result)
    content: bytes | None = None
    name: str = ""            # file name offered to the user
    content_type: str = "application/octet-stream"
    data: dict = field(default_factory=dict)


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
