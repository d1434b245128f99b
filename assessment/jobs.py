"""The annual assessment's computation on the task queue (``jobs`` app, kind ``assessment.compute``).

``services.start_compute`` queues it (or answers the computation of the set already queued or
running); the worker calls ``services.compute`` as the user who asked — the same permission and
state checks again, the same single transaction with its events — reporting units done / total.
A refusal (no longer the reviewer, the set finalised meanwhile, the account deactivated) fails
the job at once with the Chinese reason; any other error is retried (the computation is one
transaction: an attempt that died wrote nothing)."""

from core.services import ServiceError
from jobs.registry import Outcome, register

from . import services
from .models import IndicatorSet

KIND = services.COMPUTE_KIND


def computation_for(user, s: IndicatorSet):
    """The set's latest computation job (its progress as it stands: ``jobs.views.live``), shown to
    whoever sees every result of the set (``overseen_by``; an assessed unit sees its own sheet only)
    — on the set's page and at the API's ``…/computation/``. None when not shown or never queued."""
    from jobs.models import Job
    from jobs.views import live

    if s.computation_id is None or not IndicatorSet.objects.overseen_by(user).filter(pk=s.pk).exists():
        return None
    job = Job.objects.filter(pk=s.computation_id).first()
    return live(job) if job else None


def _results(job):
    """The set's page: its ranked results (scoped there like every assessment page)."""
    return "查看考评结果", f"/assessment/{job.params.get('set')}/"


@register(KIND, link=_results)
def run_compute(job, progress) -> Outcome:
    owner = job.owner
    if owner is None or not owner.is_active:
        raise ServiceError("发起计算的账号已停用，未计算。", "owner")
    s = IndicatorSet.objects.visible_to(owner).filter(pk=job.params.get("set")).first()
    if s is None:
        raise ServiceError("考评指标体系不存在，或您已无权查看，未计算。", "set")

    def step(done, total):  # the first and the last report are always written (the bar reaches total)
        progress(done, total, force=done in (0, total))

    assessed = services.compute(owner, s, progress=step)
    return Outcome(message=f"已计算 {len(assessed)} 个被考评单位的得分、等次和排名。",
                   data={"set": s.pk, "units": len(assessed)})
