"""What the queue's worker executes: ``run(job_id)`` (one attempt) and ``sweep()`` (periodic)."""

import logging

from core.services import ServiceError

from . import registry, services
from .progress import Heartbeat, Progress

log = logging.getLogger("qingling.jobs")


def warm() -> None:
    """Once per worker, before it takes jobs: import what every export job looks up (the list views,
    through the URLconf, ~0.7 s) so that no job pays for it. ``run_worker`` calls this before it
    starts the cluster, whose worker processes are forked from it and start with it loaded; the
    database connection opened meanwhile is closed first (a forked process must not share it).
    Last, every object alive now (Django, the project's modules) is moved out of the cyclic garbage
    collector's reach (``gc.freeze``, as the ``gc`` documentation advises before forking workers):
    a full collection during a job no longer walks ~170,000 objects that never become garbage
    (80 ms a time on the county bench's export), and the forked processes do not write to — and
    so copy — the memory pages holding them."""
    import gc

    from django.db import connections
    from django.urls import get_resolver

    from core.lists import load_registry

    load_registry()
    get_resolver().reverse_dict  # noqa: B018 - built on the first reverse() (an export job's list URL): ~0.1 s
    connections.close_all()
    gc.freeze()


def run(job_id: int) -> str:
    job = services.claim(job_id)
    if job is None:
        return "skipped"
    handler = registry.handler_for(job.kind)
    try:
        with Heartbeat(job.pk):  # alive however long a step runs without reporting progress
            outcome = handler(job, Progress(job))
    except ServiceError as exc:
        services.give_up(job, exc.message)
        return "failed"
    except Exception as exc:  # noqa: BLE001 - transient: retried with back-off, details to the log
        log.exception("job %s (%s) attempt %s failed", job.pk, job.kind, job.attempts)
        services.retry_later(job, f"内部错误（{type(exc).__name__}）")
        return "retry"
    if outcome is not None and outcome.resume:
        services.requeue(job, outcome)
        return "resumed"
    services.complete(job, outcome)
    return "done"


def sweep() -> dict:
    return services.sweep()
