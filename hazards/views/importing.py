"""The ledger import page: upload an xlsx (dry run first, then import); the work runs as a job."""

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render

from accounts.permissions import can_write, is_government
from core.services import ServiceError
from core.views import service_error_to_form

from ..forms import ImportForm
from ..importing import COLUMNS, iter_rows


def import_page(request):
    if not (is_government(request.user) and can_write(request.user)):
        raise PermissionDenied("只有政府部门可以导入隐患台账。")
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid() and _readable(form):
            from jobs.services import submit

            upload = form.cleaned_data["file"]
            stored = default_storage.save(f"imports/hazards/{request.user.pk}/{upload.name}", upload)
            dry_run = form.cleaned_data["dry_run"]
            job = submit(request.user, "hazards.import", f"隐患台账{'试运行' if dry_run else '导入'}：{upload.name}"[:200],
                         {"file": stored, "dry_run": dry_run})
            return redirect("jobs:detail", pk=job.pk)
        status = 400
    else:
        form = ImportForm()
    return render(request, "hazards/import.html", {"form": form, "columns": COLUMNS}, status=status)


def _readable(form) -> bool:
    """Check the file opens and has the required header before queueing it (answer at once)."""
    upload = form.cleaned_data["file"]
    try:
        next(iter_rows(upload.read()), None)
    except ServiceError as exc:
        service_error_to_form(form, exc)
        return False
    finally:
        upload.seek(0)
    return True
