"""挂牌督办 pages: list with filters, board, detail with actions, propose."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.events import events_for
from core.lists import Column, ScopedListView
from core.views import form_status, get_visible_or_404, posted, submit_form

from . import services, workflow
from .filters import ListingFilter
from .forms import (
    ApproveForm,
    DelistingDecisionForm,
    DelistingRequestForm,
    ListedExtensionForm,
    ProgressForm,
    ProposeForm,
    ReasonForm,
)
from .models import Listing
from .querysets import overdue_q


def _listings(user):
    return (Listing.objects.visible_to(user)
            .select_related("hazard__enterprise", "listing_body", "responsible_department"))


class ListingList(ScopedListView):
    name = "supervision.list"
    url_name = "supervision:list"
    title = "挂牌督办"
    model = Listing
    filterset_class = ListingFilter
    template_name = "supervision/listing_list.html"
    row_template = "supervision/_listing_row.html"
    select_related = ("hazard__enterprise", "listing_body", "responsible_department")
    ordering = ("-proposed_at", "-id")
    columns = (Column("文号", lambda row: row.notice_number or row.number), Column("层级", "get_level_display"),
               Column("生产经营单位", "hazard.enterprise.name"), Column("隐患", "hazard.description"),
               Column("责任部门", "responsible_department.name"), Column("整改期限", "deadline"),
               Column("状态", "get_status_display"))
    testid = "listing-table"
    empty_text = "暂无挂牌督办记录。"
    export_name = "listings"
    export_url_name = "supervision:export"

    def extra_context(self, request):
        return {"can_propose": services.proposing_office(request.user) is not None}


listing_list = ListingList.as_view()
listing_export = ListingList.as_view(mode="export")


def board(request):
    """Listed hazards by level and status, overdue highlighted, with counts."""
    today = timezone.localdate()
    qs = _listings(request.user).filter(status__in=workflow.ACTIVE_STATES).order_by("deadline", "id")
    counts = qs.aggregate(
        total=Count("id"), proposed=Count("id", filter=Q(status=workflow.PROPOSED)),
        listed=Count("id", filter=Q(status=workflow.LISTED)),
        delisting=Count("id", filter=Q(status=workflow.DELISTING_REQUESTED)),
        # the one definition (ListingQuerySet.overdue): supervised, past the deadline, hazard still open
        overdue=Count("id", filter=overdue_q(today)),
    )
    counts["delisted"] = Listing.objects.visible_to(request.user).filter(status=workflow.DELISTED).count()
    columns = []
    for level, label in Listing.Level.choices:
        rows = [item for item in qs if item.level == level]
        columns.append({"level": level, "label": label, "groups": [
            {"status": status, "label": slabel, "items": [r for r in rows if r.status == status]}
            for status, slabel in Listing.Status.choices if status in workflow.ACTIVE_STATES
        ], "count": len(rows)})
    return render(request, "supervision/board.html", {"columns": columns, "counts": counts, "today": today,
                                                     "can_propose": services.proposing_office(request.user) is not None})


def _action_forms(listing, roles, data=None, action=None):
    available = workflow.available_actions(listing.status, roles)
    classes = {"approve": ApproveForm, "decline": ReasonForm, "report_progress": ProgressForm,
               "request_delisting": DelistingRequestForm, "decide_delisting": DelistingDecisionForm}
    if "accept_delisting" in available or "refuse_delisting" in available:
        available = [a for a in available if a not in ("accept_delisting", "refuse_delisting")] + ["decide_delisting"]
    labels = {**{a: t.label for a, t in workflow.TRANSITIONS.items()}, "decide_delisting": "审批摘牌申请"}
    out = [{"action": a, "label": labels[a], "form": classes[a](data if a == action else None, prefix=a)}
           for a in available]
    if roles & {"leader", "superuser"} and listing.status in workflow.SUPERVISED_STATES \
            and listing.hazard.extensions.filter(status="pending").exists():
        out.append({"action": "decide_extension", "label": "审批延期申请（挂牌单位）",
                    "form": ListedExtensionForm(data if action == "decide_extension" else None, prefix="decide_extension")})
    return out


def listing_detail(request, pk: int, bound=None, status=None):
    listing = get_visible_or_404(_listings(request.user), request.user, pk=pk)
    roles = services.roles_for(request.user, listing)
    forms_ = bound if bound is not None else _action_forms(listing, roles)
    from .extensions import acceptance_due, delisting_due

    return render(request, "supervision/listing_detail.html", {
        "acceptance_due": acceptance_due(listing),
        "listing": listing, "hazard": listing.hazard, "roles": roles, "action_forms": forms_,
        "delisting_due": delisting_due(listing) if listing.status == workflow.DELISTING_REQUESTED else None,
        "reports": listing.progress_reports.select_related("reported_by"), "events": events_for(listing),
        "today": timezone.localdate(),
    }, status=status or form_status(*(entry["form"] for entry in forms_)))


def _run(request, listing, action, d):
    user = request.user
    if action == "approve":
        services.approve(user, listing, public_notice=d["public_notice"], note=d.get("note", ""))
        return "已批准挂牌督办。"
    if action == "decline":
        services.decline(user, listing, reason=d["reason"])
        return "已决定不予挂牌。"
    if action == "report_progress":
        services.report_progress(user, listing, date=d["date"], text=d["text"], percentage=d["percentage"])
        return "进展报告已提交。"
    if action == "request_delisting":
        services.request_delisting(user, listing, note=d.get("note", ""))
        return "摘牌申请已提交。"
    if action == "decide_extension":
        from .extensions import decide_listed_extension

        decide_listed_extension(user, listing.hazard, approve=d["decision"] == "approve", note=d.get("note", ""))
        return "已办理延期申请。"
    services.decide_delisting(user, listing, accept=d["decision"] == "accept", reason=d.get("reason", ""))
    return "已办理摘牌申请。"


ACTIONS = ("approve", "decline", "report_progress", "request_delisting", "decide_delisting", "decide_extension")


@require_POST
def listing_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404("未知操作")
    listing = get_visible_or_404(_listings(request.user), request.user, pk=pk)
    roles = services.roles_for(request.user, listing)
    forms_ = _action_forms(listing, roles, request.POST, action)
    entry = next((f for f in forms_ if f["action"] == action), None)
    if entry is None:
        if not roles:
            raise PermissionDenied("您没有办理权限。")
        transition = workflow.TRANSITIONS.get("accept_delisting" if action == "decide_delisting" else action)
        moved_on = (transition is not None and listing.status not in transition.sources) or (
            action == "decide_extension" and roles & {"leader", "superuser"})  # no extension pending (any more)
        if not moved_on:  # the state offers the action, not to this user's part in the listing
            raise PermissionDenied("您在该挂牌督办中的职责不能办理此项。")
        # the listing moved on since its page was shown (the action's form is gone from it): 409, saying so
        messages.error(request, "当前状态不能执行该操作，请刷新页面。")
        return listing_detail(request, pk, status=409)
    form = entry["form"]
    # _run answers the success message
    answered = submit_form(request, form, lambda **d: _run(request, listing, action, d), lambda message: message,
                           lambda r: redirect("supervision:detail", pk=listing.pk), forbid=False)
    if answered is not None:
        return answered
    return listing_detail(request, pk, bound=forms_)


def propose(request):
    office = services.proposing_office(request.user)
    if office is None:
        raise PermissionDenied("只有省、市、县级安委会办公室可以提出挂牌督办。")
    hazards = services.listable_hazards(request.user)
    departments = services.department_choices().filter(
        **{f"{office.region.level}_code": office.region.code}).order_by("region__code", "name")
    initial = {}
    raw = request.GET.get("hazard", "").strip()
    if request.method == "GET" and raw.isascii() and raw.isdigit():  # "²": isdigit, and no int (a 500)
        hazard = hazards.filter(pk=int(raw)).first()
        if hazard is not None:
            initial["hazard"] = hazard.pk
            department = services.competent_department(hazard)
            initial["responsible_department"] = department.pk if department else None
    form = ProposeForm(posted(request), initial=initial, hazards=hazards, departments=departments)

    def call(**d):
        return services.propose_listing(
            request.user, hazard=d["hazard"], responsible_department=d["responsible_department"],
            deadline=d["deadline"], requirements=d["requirements"], report_every_days=d["report_every_days"],
            public_notice=d["public_notice"])

    answered = submit_form(request, form, call, "挂牌督办建议已提交，待安委会负责人审批。",
                           lambda listing: redirect("supervision:detail", pk=listing.pk), forbid=False)
    if answered is not None:
        return answered
    return render(request, "supervision/propose.html", {"form": form, "office": office}, status=form_status(form))
