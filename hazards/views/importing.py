"""The ledger import page: upload an xlsx, dry run first, then import."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from accounts.permissions import can_write, is_government
from core.services import ServiceError
from core.views import service_error_to_form

from ..forms import ImportForm
from ..importing import COLUMNS, import_hazards


def import_page(request):
    if not (is_government(request.user) and can_write(request.user)):
        raise PermissionDenied("只有政府部门可以导入隐患台账。")
    result = None
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = import_hazards(request.user, form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"])
            except ServiceError as exc:
                service_error_to_form(form, exc)
                status = 400
            else:
                status = 200 if not result["errors"] else 400
        else:
            status = 400
    else:
        form = ImportForm()
    return render(request, "hazards/import.html", {"form": form, "result": result, "columns": COLUMNS}, status=status)
