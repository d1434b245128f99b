"""Import page: upload (dry run or real), job status (htmx polling), run a checked file, template."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.models import SecurityLog
from core.security import log_security

from .. import permissions as perms
from ..forms import ImportForm
from ..importing import COLUMNS
from ..jobs import start_job
from ..models import ImportJob
from ..spreadsheets import XLSX_TYPE, template_workbook


def _require_importer(user):
    if not perms.can_register(user):
        raise PermissionDenied


def _own_job(request, pk) -> ImportJob:
    qs = ImportJob.objects.all() if request.user.is_superuser else ImportJob.objects.filter(created_by=request.user)
    job = qs.filter(pk=pk).first()
    if job is None:
        raise Http404("不存在或无权查看")
    return job


def import_page(request):
    _require_importer(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, initial={"dry_run": True})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob(created_by=request.user, file_name=upload.name[:200], dry_run=form.cleaned_data["dry_run"])
        job.file.save(upload.name, upload, save=False)
        job.save()
        start_job(job)
        return redirect("enterprises:import_job", pk=job.pk)
    jobs = ImportJob.objects.filter(created_by=request.user)[:10]
    return render(request, "enterprises/import.html", {"form": form, "jobs": jobs, "columns": COLUMNS},
                  status=400 if form.errors else 200)


def import_job(request, pk: int):
    _require_importer(request.user)
    job = _own_job(request, pk)
    template = "enterprises/_import_job.html" if request.htmx else "enterprises/import_job.html"
    errors = job.errors[:1000]
    return render(request, template, {"job": job, "errors": errors, "more_errors": len(job.errors) - len(errors)})


@require_POST
def import_run(request, pk: int):
    """Import the file of a finished dry run for real (only its good rows)."""
    _require_importer(request.user)
    checked = _own_job(request, pk)
    if not checked.dry_run or checked.status != ImportJob.Status.DONE:
        return HttpResponse("只能对已完成的试运行执行正式导入。", status=409)
    job = ImportJob.objects.create(created_by=request.user, file=checked.file.name, file_name=checked.file_name,
                                   dry_run=False, parent=checked)
    start_job(job)
    return redirect("enterprises:import_job", pk=job.pk)


def import_template(request):
    _require_importer(request.user)
    log_security(SecurityLog.Kind.DOWNLOAD, request=request, user=request.user, what="enterprise_import_template")
    response = HttpResponse(template_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="enterprise-import-template.xlsx"'
    return response
