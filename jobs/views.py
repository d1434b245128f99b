"""My jobs: list, one job's progress (htmx polling), its result download — owner only."""

from django.http import FileResponse, Http404
from django.shortcuts import render

from core.models import SecurityLog
from core.security import log_security

from .models import Job
from .progress import read_side


def own_job(user, pk) -> Job:
    """The user's own job; anyone else's (even a superuser's view of it) is 404."""
    job = Job.objects.filter(pk=pk, owner=user).first()
    if job is None:
        raise Http404("不存在或无权查看")
    return job


def live(job: Job) -> Job:
    """Overlay the side-file progress of a job working inside one transaction."""
    if job.status == Job.Status.RUNNING:
        side = read_side(job.pk)
        if side and side.get("done", 0) >= job.done:
            job.done, job.total = side["done"], side.get("total") or job.total
    return job


def job_list(request):
    jobs = Job.objects.filter(owner=request.user)[:50]
    return render(request, "jobs/list.html", {"jobs": jobs})


def job_detail(request, pk: int):
    job = live(own_job(request.user, pk))
    template = "jobs/_job.html" if request.htmx else "jobs/job.html"
    return render(request, template, {"job": job})


def job_download(request, pk: int):
    job = own_job(request.user, pk)
    if job.status != Job.Status.DONE or not job.result:
        raise Http404("没有可下载的结果")
    log_security(SecurityLog.Kind.DOWNLOAD, request=request, user=request.user, what=f"jobs.result:{job.kind}",
                 job=job.pk)
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name or job.result.name,
                        content_type=job.result_type or "application/octet-stream")
