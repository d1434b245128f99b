"""Dispatch-table pages: a unit's table (view / submit / xlsx), the roll-up with 催报, the activity log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import actor_org, committee_org_or_404, government_org_or_404
from core.errors import bad_address
from core.lists import Column, ScopedListView
from core.models import SecurityLog
from core.security import log_security
from core.services import ServiceError
from core.views import form_status, get_visible_or_404, posted_text, submit_form
from hazards.asof import instant as parse_as_of

from . import rows as R
from . import services
from .filters import ActivityFilter, SubmissionFilter
from .forms import ActivityForm
from .models import Activity, Campaign, Submission
from .querysets import campaign_or_404, dispatch_unit_or_404
from .tables import (
    LINE_CODES,
    differences,
    lines_for,
    reporting_units,
    rollup,
    rollup_lines_html,
    rollup_rows_html,
    table_body,
    unit_table,
)
from .xlsx import export_bytes


def _table_from_request(request):
    unit = dispatch_unit_or_404(request.user, request.GET.get("unit"))
    as_of = parse_as_of(request.GET.get("as_of"))
    return unit_table(unit, as_of, campaign_or_404(request.user, request.GET.get("campaign")))


def index(request):
    government_org_or_404(request.user)
    return render(request, "campaigns/index.html", {"campaigns": Campaign.objects.visible_to(request.user).prefetch_related("phases"),
                                                     "org": actor_org(request.user)})


RECENT = 5  # the dispatch page lists the latest submissions and links to all of them (SubmissionList)


def dispatch_table(request):
    try:
        table = _table_from_request(request)
    except ServiceError as exc:
        return bad_address(request, exc.message)
    org = actor_org(request.user)
    can_submit = table.campaign is not None and org is not None and org.pk == table.unit.pk and request.user.membership.can_write
    units = reporting_units(org, table.campaign) if org is not None and org.kind == "committee" else []
    history, history_total, shown = [], 0, None
    if table.campaign and table.latest is not None:  # no submission at all (table.latest is the unit's latest): none to list
        mine = Submission.objects.visible_to(request.user).filter(unit=table.unit, campaign=table.campaign)
        # the latest few; all of them when there are no more (then the count and the version shown
        # for this cut-off are read from them, not asked for again)
        recent = list(mine.order_by("-submitted_at", "-id")[:RECENT + 1])
        history = recent[:RECENT]
        history_total = len(recent) if len(recent) <= RECENT else mine.count()
        # the latest version submitted for exactly this cut-off, if any (to compare with the live table)
        if len(recent) <= RECENT:
            same = [s for s in recent if s.as_of == table.as_of]
            shown = max(same, key=lambda s: (s.version, s.id)) if same else None
        else:
            shown = mine.filter(as_of=table.as_of).order_by("-version", "-id").first()
    sections = lines_for(table.values, table.auto, R.blank_codes(table.unit))
    return render(request, "campaigns/dispatch.html", {
        "table": table, "sections": sections, "table_body": table_body(sections, can_submit), "can_submit": can_submit,
        "history": history, "history_total": history_total, "units": units, "submitted": shown, "differences": differences(shown, table) if shown else [],
        "as_of_value": timezone.localtime(table.as_of).strftime("%Y-%m-%dT%H:%M"), "error": request.GET.get("error"),
    })


@require_POST
def dispatch_submit(request):
    unit = dispatch_unit_or_404(request.user, request.POST.get("unit"))
    try:
        as_of = parse_as_of(request.POST.get("as_of"))
        campaign = campaign_or_404(request.user, request.POST.get("campaign"))  # not an id: 400; not one's: 404
        if campaign is None:
            raise ServiceError("请选择专项行动。", "campaign")
        manual = {r.code: request.POST.get(f"row_{r.code}") for r in R.ROWS if f"row_{r.code}" in request.POST}
        sub = services.submit(request.user, unit=unit, campaign=campaign, as_of=as_of, manual=manual,
                              note=posted_text(request, "note"))
    except ServiceError as exc:
        if exc.code == "permission_denied":
            raise PermissionDenied(exc.message)
        table = unit_table(unit, parse_as_of(None))
        sections = lines_for(table.values, table.auto, R.blank_codes(unit))
        return render(request, "campaigns/dispatch.html", {
            "table": table, "sections": sections, "table_body": table_body(sections, True), "can_submit": True, "history": [],
            "as_of_value": request.POST.get("as_of", ""), "error": exc.message, "error_field": exc.field,
        }, status=form_status(refusal=exc))
    messages.success(request, f"已报送（第{sub.version}版）。")
    return redirect(f"/campaigns/dispatch/?unit={unit.pk}&as_of={sub.as_of.isoformat()}".replace("+", "%2B"))


def dispatch_export(request):
    try:
        table = _table_from_request(request)
    except ServiceError as exc:
        return bad_address(request, exc.message)
    data = export_bytes(table.unit.name, table.as_of, table.values, table.auto)
    log_security(SecurityLog.Kind.EXPORT, request=request, user=request.user, what="dispatch_table", unit=table.unit.pk)
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="dispatch-{table.unit.pk}-{timezone.localtime(table.as_of):%Y%m%d}.xlsx"'
    return resp


def submission_detail(request, pk: int):
    sub = get_visible_or_404(Submission.objects.select_related("unit", "campaign"), request.user, pk=pk)
    return render(request, "campaigns/submission.html", {"sub": sub, "sections": lines_for(sub.values, set(), R.blank_codes(sub.unit)),
                                                         "differences": differences(sub)})


def rollup_view(request):
    committee = committee_org_or_404(request.user)
    try:
        as_of = parse_as_of(request.GET.get("as_of"))
    except ServiceError as exc:
        return bad_address(request, exc.message)
    data = rollup(committee, as_of)
    sections = []
    if data["campaign"] is not None:
        for key, title in R.SECTIONS.items():
            sections.append({"title": title, "rows": [
                {"row": r, "groups": [g["values"].get(r.code) for g in data["groups"].values() if g["units"]],
                 "live": data["live"].get(r.code)}
                for r in R.rows_of_section(key)]})
    return render(request, "campaigns/rollup.html", {"data": data, "sections": sections, "committee": committee,
                                                      "line_codes": LINE_CODES, "rows_html": rollup_rows_html(sections),
                                                      "lines_html": rollup_lines_html(data) if data["campaign"] is not None else "",
                                                      "as_of_value": timezone.localtime(as_of).strftime("%Y-%m-%dT%H:%M")})


@require_POST
def remind(request):
    committee = committee_org_or_404(request.user)
    try:
        campaign = campaign_or_404(request.user, request.POST.get("campaign"))  # not an id: 400; not one's: 404
    except ServiceError as exc:
        return bad_address(request, exc.message)
    if campaign is None:
        return bad_address(request, "请选择专项行动。")
    try:
        lines = services.remind_missing(request.user, committee=committee, campaign=campaign)
    except ServiceError as exc:
        raise PermissionDenied(exc.message)
    if not lines:
        messages.success(request, "本周各单位均已报送，无需催报。")
    for line in lines:  # who was reminded how, unit by unit
        who = "、".join(line["users"])
        messages.info(request, f"{line['unit'].name}：{line['how']}" + (f"（{who}）" if who else ""))
    return redirect("campaigns:rollup")


class ActivityList(ScopedListView):
    """The unit's own leadership activity log, with the form that records one more entry."""

    name = "campaigns.activities"
    url_name = "campaigns:activities"
    title = "组织领导活动"
    model = Activity
    filterset_class = ActivityFilter
    template_name = "campaigns/activities.html"
    row_template = "campaigns/_activity_row.html"
    columns = (Column("日期", "date"), Column("类型", "get_kind_display"), Column("参加人员", "participants"),
               Column("内容", "summary"), Column("人数", "count"))
    testid = "activity-table"
    empty_text = "暂无"

    @classmethod
    def scoped_queryset(cls, user):
        return super().scoped_queryset(user).filter(unit=actor_org(user))

    def dispatch(self, request, *args, **kwargs):
        self.org = government_org_or_404(request.user)
        if self.org is None:
            return redirect("campaigns:index")
        return super().dispatch(request, *args, **kwargs)

    def extra_context(self, request):
        return {"org": self.org, "add_form": ActivityForm(auto_id="add_%s")}

    def post(self, request):
        form = ActivityForm(request.POST, request.FILES, auto_id="add_%s")
        answered = submit_form(request, form,
                               lambda **data: services.record_activity(request.user, unit=self.org, **data),
                               "已登记。", "campaigns:activities", forbid=False)
        if answered is not None:
            return answered
        return self.render_list(request, extra={"add_form": form}, status=form_status(form))


activities = ActivityList.as_view()


class SubmissionList(ScopedListView):
    """Every submitted table the user may see (``dispatch_units``), filtered by unit and campaign."""

    name = "campaigns.submissions"
    url_name = "campaigns:submissions"
    title = "调度表报送记录"
    model = Submission
    filterset_class = SubmissionFilter
    template_name = "campaigns/submissions.html"
    row_template = "campaigns/_submission_row.html"
    select_related = ("unit", "campaign")
    columns = (Column("报送周", "week"), Column("版本", "version"), Column("单位", "unit.name"),
               Column("专项行动", "campaign.name"), Column("统计截止", "as_of"), Column("报送人", "submitted_by_name"),
               Column("报送时间", "submitted_at"))
    testid = "submission-list"
    empty_text = "尚未报送"

    def check_access(self, request):
        government_org_or_404(request.user)


submissions = SubmissionList.as_view()
