"""What the queue's worker executes: ``run(job_id)`` (one attempt) and ``sweep()`` (periodic)."""

import logging

from core.services import ServiceError

from . import registry, services
from .progress import Heartbeat, Progress

log = logging.getLogger("qingling.jobs")


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
    services.complete(job, outcome)
    return "done"


def sweep() -> dict:
    return services.sweep()
