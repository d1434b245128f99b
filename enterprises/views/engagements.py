"""第三方服务委托 pages: the scoped list (core.lists), and on an enterprise's profile the forms to
engage an agency and to end an engagement early (services.engage_agency / end_engagement)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from core.lists import Column, ScopedListView
from core.views import form_status, get_visible_or_404, posted, submit_form

from .. import permissions as perms
from .. import services
from ..filters import EngagementFilter
from ..forms import EndEngagementForm, EngagementForm
from ..models import Engagement, Enterprise


class EngagementList(ScopedListView):
    name = "enterprises.engagements"
    url_name = "enterprises:engagements"
    title = "第三方服务委托"
    model = Engagement
    filterset_class = EngagementFilter
    template_name = "enterprises/engagement_list.html"
    row_template = "enterprises/_engagement_row.html"
    select_related = ("agency", "enterprise")
    ordering = ("-start", "-id")
    columns = (Column("第三方机构", "agency.name"), Column("生产经营单位", "enterprise.name"),
               Column("委托方", "get_engaged_by_display"), Column("开始日期", "start"), Column("结束日期", "end"),
               Column("状态", "state_label"), Column("提前结束理由", "end_reason"))
    testid = "engagement-table"
    empty_text = "没有符合条件的委托。"
    export_name = "engagements"
    export_url_name = "enterprises:engagements_export"
    export_noun = "项委托"


engagement_list = EngagementList.as_view()
engagement_export = EngagementList.as_view(mode="export")


def engagements_of(user, ent) -> list:
    """The profile's section: the engagements of ``ent`` the user may see (an agency: its own),
    each with its state today and whether the user may end it."""
    rows = list(Engagement.objects.visible_to(user).filter(enterprise=ent).select_related("agency").order_by("-start", "-id"))
    for eng in rows:
        eng.enterprise = ent
        eng.can_end = eng.state() != Engagement.State.ENDED and perms.can_end_engagement(user, eng)
    return rows


def engagement_create(request, pk: int):
    """委托第三方机构 for this enterprise: its own writers (企业委托) or government writers who see it (政府购买服务)."""
    ent = get_visible_or_404(Enterprise.objects.select_related("region"), request.user, pk=pk)
    side = perms.engaging_side(request.user, ent)
    if side is None:
        raise PermissionDenied("只有本单位具有经办权限的人员或管辖该单位的政府部门经办人员可以委托第三方机构。")
    form = EngagementForm(posted(request), choose_side=side == "any", user=request.user)
    answered = submit_form(
        request, form,
        lambda **d: services.engage_agency(request.user, agency=d["agency"], enterprise=ent, start=d["start"], end=d.get("end"),
                                           engaged_by=d.get("engaged_by") or None, note=d.get("note", "")),
        lambda _: f"已委托：{form.cleaned_data['agency'].name}", f"/enterprises/{ent.pk}/")
    if answered is not None:
        return answered
    label = {"enterprise": "企业委托", "government": "政府购买服务"}.get(side, "")
    return render(request, "enterprises/engagement_form.html", {"form": form, "ent": ent, "side_label": label},
                  status=form_status(form))


def engagement_end(request, pk: int, eid: int):
    """提前结束 an engagement (kept, with its end date and the reason)."""
    ent = get_visible_or_404(Enterprise.objects.select_related("region"), request.user, pk=pk)
    eng = get_visible_or_404(Engagement.objects.select_related("agency").filter(enterprise=ent), request.user, pk=eid)
    eng.enterprise = ent
    if not perms.can_end_engagement(request.user, eng):
        raise PermissionDenied("只有委托方可以结束该委托。")
    form = EndEngagementForm(posted(request))
    answered = submit_form(request, form,
                           lambda **d: services.end_engagement(request.user, eng, reason=d["reason"], end=d.get("end")),
                           lambda _: f"已结束委托：{eng.agency.name}", f"/enterprises/{ent.pk}/")
    if answered is not None:
        return answered
    return render(request, "enterprises/engagement_end.html", {"form": form, "ent": ent, "eng": eng},
                  status=form_status(form))
