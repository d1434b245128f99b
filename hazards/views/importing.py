"""The ledger import page: upload an xlsx (dry run first, then import); the work runs as a job.
A passed dry run's job page offers 正式导入 of the same file (``import_run``)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import can_write, is_government
from core.services import ServiceError
from core.views import form_status, press, submit_form

from .. import import_records
from ..forms import ImportForm
from ..importing import COLUMNS
from ..parsed_rows import read_rows


def import_page(request):
    if not (is_government(request.user) and can_write(request.user)):
        raise PermissionDenied(import_records.IMPORTER_ONLY)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    answered = submit_form(request, form, lambda **data: _start(request.user, **data), None,
                           lambda job: redirect("jobs:detail", pk=job.pk), forbid=False)
    if answered is not None:
        return answered
    return render(request, "hazards/import.html", {"form": form, "columns": COLUMNS}, status=form_status(form))


def _start(user, file, dry_run: bool, confirm_duplicate: bool):
    """Check the file opens and has the required header before queueing it (answer at once); the
    rows read are kept for the job, which may run in another process (hazards.parsed_rows). A real run of a file already
    imported in the user's scope is refused here unless 仍要导入 is ticked (the job checks again). Then queue it."""
    from hazards.services import start_import

    try:
        data = file.read()
        sha256 = import_records.digest(data)
        read_rows(data, sha256, keep=True)
    finally:
        file.seek(0)
    if not dry_run and not confirm_duplicate:
        earlier = import_records.earlier_import(user, sha256)
        if earlier is not None:
            raise ServiceError(import_records.refusal(import_records.describe(earlier)), "confirm_duplicate")
    return start_import(user, file, dry_run, confirm_duplicate=confirm_duplicate)


@require_POST
def import_run(request, pk: int):
    """正式导入 of the file a passed dry run (the user's own job ``pk``) checked: a new job, or the
    one already started from it. Anyone else's job, or no job, is 404; not a passed dry run, 409."""
    from hazards.services import import_checked
    from jobs.views import job_page, live, own_job

    if not (is_government(request.user) and can_write(request.user)):
        raise PermissionDenied(import_records.IMPORTER_ONLY)
    checked = own_job(request.user, pk)
    if checked.kind != import_records.KIND:
        raise Http404("不存在或无权查看")
    return press(request, lambda: import_checked(request.user, checked,
                                                 confirm_duplicate=request.POST.get("confirm_duplicate") == "on"),
                 None, lambda job: reverse("jobs:detail", args=[job.pk]),
                 lambda exc, status: job_page(request, live(checked), error=exc.message, status=status), forbid=False)
