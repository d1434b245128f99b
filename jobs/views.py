"""My jobs: list, one job's progress (htmx polling), its result download — owner only."""

from django.http import FileResponse, Http404
from django.shortcuts import render

from core.files import open_stored
from core.lists import Column, ScopedListView
from core.models import SecurityLog
from core.security import log_security

from .filters import JobFilter
from .models import RESULT_MISSING, Job
from .progress import read_side


def own_job(user, pk) -> Job:
    """The user's own job; anyone else's (even a superuser's view of it) is 404."""
    job = Job.objects.visible_to(user).filter(pk=pk).first()
    if job is None:
        raise Http404("不存在或无权查看")
    return job


def live(job: Job) -> Job:
    """Overlay the side-file progress of a job working inside one transaction."""
    if job.status == Job.Status.RUNNING:
        side = read_side(job.pk)  # a heartbeat alone (no progress reported yet) has no "done"
        if side and "done" in side and side["done"] >= job.done:
            job.done, job.total = side["done"], side.get("total") or job.total
    return job


class JobList(ScopedListView):
    """The user's own jobs, newest first, paged with their total."""

    name = "jobs.list"
    url_name = "jobs:list"
    title = "我的后台任务"
    model = Job
    filterset_class = JobFilter
    template_name = "jobs/list.html"
    row_template = "jobs/_job_row.html"
    columns = (Column("名称", "title"), Column("状态", "get_status_display"), Column("进度"),
               Column("提交时间", "created_at"), Column("开始时间", "first_start"), Column("结果"))
    testid = "job-list"
    empty_text = "暂无任务。"


job_list = JobList.as_view()


def job_detail(request, pk: int):
    return job_page(request, live(own_job(request.user, pk)))


def job_page(request, job: Job, *, error: str = "", status: int = 200):
    """A job's page (its fragment for htmx's polling); ``error``: a refused follow-up (正式导入) said at
    its top, answered with ``status``."""
    template = "jobs/_job.html" if request.htmx else "jobs/job.html"
    return render(request, template, {"job": job, "error": error}, status=status)


def job_download(request, pk: int):
    job = own_job(request.user, pk)
    if job.status != Job.Status.DONE or not job.result:
        raise Http404("没有可下载的结果")
    handle = open_stored(job.result, RESULT_MISSING)  # before the log: a file that is gone was not downloaded
    log_security(SecurityLog.Kind.DOWNLOAD, request=request, user=request.user, what=f"jobs.result:{job.kind}",
                 job=job.pk)
    return FileResponse(handle, as_attachment=True, filename=job.result_name or job.result.name,
                        content_type=job.result_type or "application/octet-stream")
