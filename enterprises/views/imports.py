"""Import page: upload (dry run or real), job status (htmx polling), run a checked file, template,
and the list of one's own import jobs (list layer)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.lists import Column, ScopedListView
from core.models import SecurityLog
from core.security import log_security
from core.views import form_status, get_visible_or_404, posted, press, submit_form

from .. import permissions as perms
from .. import services
from ..filters import ImportJobFilter
from ..forms import ImportForm
from ..importing import COLUMNS
from ..models import ImportJob
from ..spreadsheets import XLSX_TYPE, template_workbook

RECENT = 5  # the import page shows the latest few and links to the full list


def _require_importer(user):
    if not perms.can_register(user):
        raise PermissionDenied(perms.REGISTRARS_ONLY)


def import_page(request):
    _require_importer(request.user)
    form = ImportForm(posted(request), request.FILES or None, initial={"dry_run": True})
    answered = submit_form(request, form,
                           lambda **d: services.start_import(request.user, upload=d["file"], dry_run=d["dry_run"]),
                           None, lambda job: f"/enterprises/import/{job.pk}/", forbid=False)
    if answered is not None:
        return answered
    mine = ImportJob.objects.visible_to(request.user).filter(created_by=request.user)
    return render(request, "enterprises/import.html", {"form": form, "jobs": mine[:RECENT], "jobs_total": mine.count(),
                                                       "columns": COLUMNS},
                  status=form_status(form))


class ImportJobList(ScopedListView):
    """All of one's own import jobs, newest first, paged with their total."""

    name = "enterprises.imports"
    url_name = "enterprises:import_jobs"
    title = "导入记录"
    model = ImportJob
    filterset_class = ImportJobFilter
    template_name = "enterprises/import_jobs.html"
    row_template = "enterprises/_import_job_row.html"
    columns = (Column("时间", "created_at"), Column("文件", "file_name"), Column("类型"), Column("状态", "get_status_display"),
               Column("新增/更新/未变/错误"))
    testid = "import-jobs"
    empty_text = "暂无导入记录。"

    def check_access(self, request):
        _require_importer(request.user)


import_jobs = ImportJobList.as_view()


def import_job(request, pk: int):
    _require_importer(request.user)
    return _import_job_page(request, get_visible_or_404(ImportJob.objects, request.user, pk=pk))


def _import_job_page(request, job: ImportJob, *, error: str = "", status: int = 200):
    """An import's page (its fragment for htmx's polling); ``error``: a refused 正式导入 said at its top."""
    template = "enterprises/_import_job.html" if request.htmx else "enterprises/import_job.html"
    errors = job.errors[:SHOWN_ERRORS]
    return render(request, template, {"job": job, "errors": errors, "more_errors": len(job.errors) - len(errors),
                                      "errors_download": _errors_download(request.user, job) if job.errors else None,
                                      "error": error}, status=status)


#: the import page lists this many row errors; every one is in the job's CSV (errors_download)
SHOWN_ERRORS = 1000


def _errors_download(user, job: ImportJob):
    """The queue job that ran this import and keeps its CSV of every row error (jobs:download), if
    the user can open it — the page lists the first SHOWN_ERRORS, the CSV has all of them."""
    from jobs.models import Job

    from ..jobs import KIND

    return (Job.objects.visible_to(user).filter(kind=KIND, params__import_job=job.pk, status=Job.Status.DONE)
            .exclude(result="").order_by("-pk").first())


@require_POST
def import_run(request, pk: int):
    """Import the file of a finished dry run for real (only its good rows)."""
    _require_importer(request.user)
    checked = get_visible_or_404(ImportJob.objects, request.user, pk=pk)
    return press(request, lambda: services.run_checked_import(request.user, checked), None,
                 lambda job: reverse("enterprises:import_job", args=[job.pk]),
                 lambda exc, status: _import_job_page(request, checked, error=exc.message, status=status))


def import_template(request):
    _require_importer(request.user)
    log_security(SecurityLog.Kind.DOWNLOAD, request=request, user=request.user, what="enterprise_import_template")
    response = HttpResponse(template_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="enterprise-import-template.xlsx"'
    return response
