"""Recusal (回避) facts the 双随机 draw honours: inspectors' home townships and declared conflicts."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from core.views import form_status, posted, submit_form
from enterprises.models import Enterprise
from regions.models import Region

from .. import forms, services
from ..models import Conflict, InspectorProfile


def recusal(request):
    """Department page: who lives where, who declared which conflict; editable by its officers."""
    org = services.acting_org(request.user)
    if org is None or org.kind != "department":
        raise PermissionDenied("只有负有安全监管职责的部门可以管理检查人员回避信息。")
    inspectors = services.inspectors_of(org)
    townships = Region.objects.filter(level="township", path__startswith=org.region.path + "/").order_by("code")
    enterprises = Enterprise.objects.visible_to(request.user).order_by("name")
    # a POST is the form it names; one that names none is the 申报回避 form's (its fields refused, 400)
    home = request.POST.get("form") == "home"
    home_form = forms.HomeTownshipForm(posted(request) if home else None,
                                       inspectors=inspectors, townships=townships, prefix="home")
    conflict_form = forms.ConflictForm(None if home else posted(request),
                                       inspectors=inspectors, enterprises=enterprises, prefix="conflict")

    def save(**data):
        if home:
            return services.set_home_township(request.user, inspector=data["inspector"], township=data["township"])
        return services.declare_conflict(request.user, inspector=data["inspector"], enterprise=data["enterprise"],
                                         reason=data["reason"])

    answered = submit_form(request, home_form if home else conflict_form, save, "回避信息已保存。", "inspections:recusal",
                           forbid=False)
    if answered is not None:
        return answered
    profiles = {p.user_id: p for p in InspectorProfile.objects.filter(user__in=inspectors).select_related("home_township")}
    conflicts = (Conflict.objects.visible_to(request.user).filter(inspector__in=inspectors)
                 .select_related("inspector", "enterprise").order_by("inspector_id", "enterprise__name"))
    rows = [{"user": u, "home": profiles.get(u.pk).home_township if u.pk in profiles else None} for u in inspectors]
    return render(request, "inspections/recusal.html", {
        "rows": rows, "conflicts": conflicts, "home_form": home_form, "conflict_form": conflict_form,
    }, status=form_status(home_form, conflict_form))
