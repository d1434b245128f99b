"""Recording pages of the dated facts that have no case page: 责任倒查追责问责 (dispatch row 3.9)
and 约谈通报街道及部门 (row 3.10). One service call per POST; each fact carries its own date."""

from django.http import Http404
from django.shortcuts import render

from accounts.permissions import is_government
from core.views import form_status, named_or_404, posted, submit_form

from . import forms, services


def facts_new(request, what: str):
    if not is_government(request.user):
        raise Http404
    if what == "accountability":
        form = forms.AccountabilityForm(posted(request), prefix="acc")
        title, call = "登记责任倒查追责问责", services.record_accountability
    elif what == "notice":
        from accounts.models import Organisation

        form = forms.NoticeForm(posted(request), prefix="notice", user=request.user)
        named_or_404(form, "target", Organisation.objects, request.user)  # a unit out of scope: not found
        title, call = "登记约谈通报街道及部门", services.record_notice
    else:
        raise Http404
    # a refusal of permission (NotPermitted) is the 403 page
    answered = submit_form(request, form, lambda **d: call(request.user, **d), "已登记。", "enforcement:accountability_list")
    if answered is not None:
        return answered
    return render(request, "enforcement/facts_new.html", {"form": form, "title": title}, status=form_status(form))
