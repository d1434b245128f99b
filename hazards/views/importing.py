"""The ledger import page: upload an xlsx (dry run first, then import); the work runs as a job."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from accounts.permissions import can_write, is_government
from core.services import ServiceError
from core.views import service_error_to_form

from .. import import_records
from ..forms import ImportForm
from ..importing import COLUMNS, read_rows


def import_page(request):
    if not (is_government(request.user) and can_write(request.user)):
        raise PermissionDenied("只有政府部门可以导入隐患台账。")
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid() and _readable(form, request.user):
            from hazards.services import start_import

            job = start_import(request.user, form.cleaned_data["file"], form.cleaned_data["dry_run"],
                               confirm_duplicate=form.cleaned_data["confirm_duplicate"])
            return redirect("jobs:detail", pk=job.pk)
        status = 400
    else:
        form = ImportForm()
    return render(request, "hazards/import.html", {"form": form, "columns": COLUMNS}, status=status)


def _readable(form, user) -> bool:
    """Check the file opens and has the required header before queueing it (answer at once); the
    rows read are remembered for the job (importing.read_rows). A real run of a file already
    imported in the user's scope is refused here unless 仍要导入 is ticked (the job checks again)."""
    upload = form.cleaned_data["file"]
    try:
        data = upload.read()
        sha256 = import_records.digest(data)
        read_rows(data, sha256)
    except ServiceError as exc:
        service_error_to_form(form, exc)
        return False
    finally:
        upload.seek(0)
    if not form.cleaned_data["dry_run"] and not form.cleaned_data["confirm_duplicate"]:
        earlier = import_records.earlier_import(user, sha256)
        if earlier is not None:
            form.add_error("confirm_duplicate", import_records.refusal(import_records.describe(earlier)))
            return False
    return True
