"""Registering a hazard from the ledger page."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from core.views import form_status, submit_form

from .. import services
from ..evidence import check_upload
from ..forms import RegisterForm, writable_enterprises


def register(request):
    if not writable_enterprises(request.user).exists():
        raise PermissionDenied("您没有登记隐患的权限。")
    if request.method == "POST":
        form = RegisterForm(request.POST, request.FILES, user=request.user)
    else:
        form = RegisterForm(initial={"enterprise": request.GET.get("enterprise")}, user=request.user)

    def register_hazard(**data):
        checked = check_upload(data["photo"]) if data.get("photo") else None  # its refusal lands on the form too
        return services.register_with_photo(
            request.user, photo=checked, photo_name=data["photo"].name if checked else "",
            enterprise=data["enterprise"], sector=data["sector"],
            description=data["description"], grade=data["grade"], channel=data["channel"] or None,
            found_on=data["found_on"], location=data["location"], category=data["category"],
            basis_item=data["basis_item"], basis_reason=data["basis_reason"], deadline=data["deadline"],
            responsible_person=data["responsible_person"], responsible_phone=data["responsible_phone"],
            stop_production=data["stop_production"])

    answered = submit_form(request, form, register_hazard, lambda hazard: f"已登记隐患 {hazard.number}。",
                           lambda hazard: f"/hazards/{hazard.pk}/", forbid=False, rename={"evidence": "photo"})
    if answered is not None:
        return answered
    return render(request, "hazards/register.html", {"form": form}, status=form_status(form))
