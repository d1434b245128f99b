"""Accident pages: the list, the report form, the detail with its actions (each action calls
one service), the 举一反三 check page, and the public pages of published reports/evaluations."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import is_committee, is_enterprise_user, is_government
from core.events import events_for
from core.lists import Column, ScopedListView
from core.views import form_status, get_visible_or_404, named_or_404, posted, press, submit_form
from enterprises.models import Enterprise

from . import forms as f
from . import services, workflow
from .filters import AccidentFilter, LessonCheckFilter
from .models import Accident, LessonCheck, LessonTarget, Measure


class AccidentList(ScopedListView):
    name = "accidents.list"
    url_name = "accidents:list"
    title = "生产安全事故"
    model = Accident
    filterset_class = AccidentFilter
    template_name = "accidents/list.html"
    row_template = "accidents/_accident_row.html"
    select_related = ("sector",)
    columns = (Column("编号", "number"), Column("发生时间", "occurred_at"), Column("事故单位", "enterprise_name"),
               Column("行业", "sector.name"), Column("事故类别", "get_accident_type_display"),
               Column("等级", "get_grade_display"), Column("死亡/重伤"),
               Column("直接损失（万元）", "loss"), Column("状态", "get_status_display"),
               Column("调查报告期限", "investigation_due"), Column("认定"))
    testid = "accident-table"
    empty_text = "暂无事故"

    def extra_context(self, request):
        return {"can_report": is_government(request.user) or is_enterprise_user(request.user)}


accident_list = AccidentList.as_view()


def report(request):
    user = request.user
    if not (is_government(user) or is_enterprise_user(user)):
        raise PermissionDenied("您无权报告事故。")
    form = f.ReportForm(posted(request), user=user)
    if is_enterprise_user(user):
        form.fields.pop("enterprise_name")
        form.fields.pop("township")
    else:  # a unit the officer cannot see (another region, another sector) is not found
        named_or_404(form, "enterprise", Enterprise.objects, user)

    def call(**d):
        ent = user.membership.organisation.enterprise if is_enterprise_user(user) else d.get("enterprise")
        return services.report_accident(
            user, region=ent.region if ent else d.get("township"), place=d["place"], enterprise=ent,
            enterprise_name=d.get("enterprise_name", ""), sector=d["sector"], accident_type=d["accident_type"],
            occurred_at=d["occurred_at"], learned_at=d["learned_at"], deaths=d["deaths"], injuries=d["injuries"],
            loss=d["loss"], summary=d["summary"])

    # a refusal of the region lands under 乡镇 (an enterprise user has no such box: at the top, as before)
    answered = submit_form(request, form, call, None, lambda accident: redirect("accidents:detail", pk=accident.pk),
                           forbid=False, rename={"region": "township"})
    if answered is not None:
        return answered
    return render(request, "accidents/report.html", {"form": form}, status=form_status(form))


ACTIONS = {
    "supplement": f.SupplementForm, "classify": f.ClassifyForm, "reclassify": f.ReclassifyForm, "flags": f.FlagsForm, "start_investigation": f.TeamForm,
    "extend_investigation": f.ExtendForm, "escalate": f.ReasonForm, "supervise": f.RequiredNoteForm,
    "submit_report": f.ReportChapterForm, "approve": f.ApproveForm, "responsibility": f.ResponsibilityForm,
    "measure": f.MeasureForm, "publish_evaluation": f.EvaluationForm, "lesson_check": f.LessonForm,
}


def _forms(accident, bound=None):
    out = {}
    for name, cls in ACTIONS.items():
        kwargs = {"accident": accident} if cls is f.MeasureForm else {}
        out[name] = bound if bound is not None and bound._action == name else cls(**kwargs)
    out["supplement"].initial = {"deaths": accident.deaths, "injuries": accident.injuries, "loss": accident.loss}
    return out


def detail(request, pk: int, bound=None, status: int = 200, error: str = ""):
    accident = get_visible_or_404(Accident.objects.select_related("sector", "enterprise", "region"), request.user, pk=pk)
    user = request.user
    inv = getattr(accident, "investigation", None)
    investigator = services.is_investigator(user, accident) if is_government(user) else False
    facts = services._facts(user, accident, has_team=True, has_chapters=True, has_findings=True, extension_days=1)
    actions = set(workflow.allowed_actions(accident.status, facts)) if is_government(user) else set()
    may_supplement = (accident.status not in (workflow.CLOSED, workflow.EVALUATED)
                      and timezone.localdate() <= accident.supplement_until
                      and (investigator or services.may_report(user, enterprise=accident.enterprise,
                                                               region=accident.region, sector=accident.sector)))
    if investigator:
        if accident.status in (workflow.INVESTIGATING, workflow.REPORT_SUBMITTED, workflow.CLOSED):
            actions.add("measure")
        if accident.status in (workflow.REPORT_SUBMITTED, workflow.CLOSED, workflow.EVALUATED):
            actions.add("responsibility")
        actions.add("flags")
    if may_supplement:
        actions.add("supplement")
    if not accident.accident_type and (investigator or services.may_report(
            user, enterprise=accident.enterprise, region=accident.region, sector=accident.sector)):
        actions.add("classify")  # a report from before the type existed (未填写)
    if accident.accident_type and investigator and accident.status in services.CORRECTABLE_STATES:
        actions.add("reclassify")
    if inv and not inv.supervised and accident.status in workflow.SUPERVISION_STATES and services.is_supervisor(user, accident) \
            and is_committee(user):
        actions.add("supervise")
    if is_committee(user) and accident.measures.exists() and accident.status != workflow.REPORTED:
        actions.add("lesson_check")
    ctx = {
        "a": accident, "inv": inv, "events": events_for(accident), "actions": actions, "forms": _forms(accident, bound),
        "changes": accident.changes.all(), "measures": accident.measures.select_related("owner_org"),
        "responsibilities": accident.responsibilities.all(), "evaluation": getattr(accident, "evaluation", None),
        "checks": LessonCheck.objects.visible_to(user).filter(accident=accident), "today": timezone.localdate(),
        "user_org_id": getattr(getattr(user, "membership", None), "organisation_id", None), "investigator": investigator,
        "error": error,
    }
    if bound is not None and bound._action not in actions:  # the form is not on the page: say why at the top
        ctx["error"] = "；".join(str(e) for errs in bound.errors.values() for e in errs)
    return render(request, "accidents/detail.html", ctx, status=status)


@require_POST
def act(request, pk: int, action: str):
    accident = get_visible_or_404(Accident.objects, request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404
    cls = ACTIONS[action]
    form = cls(request.POST, accident=accident) if cls is f.MeasureForm else cls(request.POST)
    form._action = action

    def to(result):  # a launched 举一反三 check: its page; else back to the accident
        if action == "lesson_check":
            return redirect("accidents:lesson", pk=result.pk)
        return redirect("accidents:detail", pk=accident.pk)

    def refused(exc):  # a refusal of permission: the detail page with the reason at the top
        if exc.code == "permission_denied":
            return detail(request, pk, status=form_status(refusal=exc), error=exc.message)
        return None

    answered = submit_form(request, form, lambda **d: _run(request.user, accident, action, d), None, to,
                           forbid=False, refused=refused)
    if answered is not None:
        return answered
    return detail(request, pk, bound=form, status=form_status(form))


def _run(user, a, action, d):
    s = services
    if action == "supplement":
        return s.update_casualties(user, a, **d)
    if action == "classify":
        return s.classify_accident(user, a, **d)
    if action == "reclassify":
        return s.reclassify_accident(user, a, **d)
    if action == "flags":
        return s.set_flags(user, a, **d)
    if action == "start_investigation":
        return s.start_investigation(user, a, **d)
    if action == "extend_investigation":
        return s.extend_investigation(user, a, **d)
    if action == "escalate":
        return s.escalate(user, a, **d)
    if action == "supervise":
        return s.list_supervision(user, a, **d)
    if action == "submit_report":
        return s.submit_report(user, a, **d)
    if action == "approve":
        return s.approve(user, a, **d)
    if action == "responsibility":
        return s.add_responsibility(user, a, kind=d["kind"], subject=d["subject"], measure=d["measure"],
                                    case=_linked_case(user, d.get("case")),
                                    accountability=_linked_accountability(user, d.get("accountability")))
    if action == "measure":
        return s.add_measure(user, a, **d)
    if action == "publish_evaluation":
        return s.publish_evaluation(user, a, **d)
    if action == "lesson_check":
        items = [line for line in (d.get("checklist") or "").splitlines() if line.strip()]
        return s.launch_lesson_check(user, a, title=d["title"], deadline=d["deadline"], checklist=items)
    raise Http404


def _linked_case(user, pk):
    """The enforcement case a responsibility names: none, or one in the user's scope (anything else —
    another region, another sector, nothing — is a 404, as opening it would be)."""
    from enforcement.models import Case

    return get_visible_or_404(Case.objects, user, pk=pk) if pk is not None else None


def _linked_accountability(user, pk):
    """The accountability record a responsibility names: none, or one in the user's scope (else 404)."""
    from enforcement.models import Accountability

    return get_visible_or_404(Accountability.objects, user, pk=pk) if pk is not None else None


@require_POST
def measure_act(request, pk: int, action: str):
    m = get_visible_or_404(Measure.objects.select_related("accident"), request.user, pk=pk)
    fns = {"submit": services.submit_measure, "accept": services.accept_measure, "reject": services.reject_measure}
    if action not in fns:
        raise Http404
    form = f.NoteForm(request.POST)
    form.is_valid()
    return press(request, lambda: fns[action](request.user, m, note=form.cleaned_data.get("note", "")), None,
                 reverse("accidents:detail", args=[m.accident_id]),
                 lambda exc, status: detail(request, m.accident_id, status=status, error=exc.message), forbid=False)


def lesson(request, pk: int, form=None, status=200):
    check = get_visible_or_404(LessonCheck.objects.select_related("accident", "organisation"), request.user, pk=pk)
    targets = check.targets.select_related("enterprise").prefetch_related("hazards")
    return render(request, "accidents/lesson.html", {"check": check, "targets": targets,
                                                     "form": form or f.LessonResultForm(),
                                                     "can_record": is_government(request.user)}, status=status)


class LessonCheckList(ScopedListView):
    name = "accidents.lessons"
    url_name = "accidents:lessons"
    title = "举一反三检查"
    model = LessonCheck
    filterset_class = LessonCheckFilter
    template_name = "accidents/lesson_list.html"
    row_template = "accidents/_lesson_row.html"
    select_related = ("accident",)
    columns = (Column("检查名称", "title"), Column("来源事故"), Column("完成期限", "deadline"),
               Column("状态", "get_status_display"))
    testid = "lesson-table"
    empty_text = "暂无"

    def check_access(self, request):
        if not is_government(request.user):
            raise PermissionDenied("仅政府工作人员可以查看举一反三检查。")


lesson_list = LessonCheckList.as_view()


@require_POST
def lesson_result(request, pk: int):
    target = get_visible_or_404(LessonTarget.objects.select_related("lesson", "enterprise"), request.user, pk=pk)
    get_visible_or_404(LessonCheck.objects, request.user, pk=target.lesson_id) if is_government(request.user) else None
    form = f.LessonResultForm(request.POST)

    def call(**d):
        hazards = []
        if d.get("hazard_description"):
            hazards.append({"description": d["hazard_description"], "grade": "general", "deadline": d.get("hazard_deadline")})
        return services.record_lesson_result(request.user, target, note=d["note"], hazards=hazards)

    answered = submit_form(request, form, call, None, lambda r: redirect("accidents:lesson", pk=target.lesson_id),
                           forbid=False)
    if answered is not None:
        return answered
    return lesson(request, target.lesson_id, form=form, status=form_status(form))


# ---------------------------------------------------------------- public pages (全文公开)

@login_not_required
def public_list(request):
    """Closed and evaluated accidents, published in full (seed 003 (十八)), newest first, paged."""
    qs = (Accident.objects.filter(status__in=(workflow.CLOSED, workflow.EVALUATED)).select_related("investigation")
          .order_by("-occurred_at", "-pk"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accidents/public_list.html", {"items": page.object_list, "page_obj": page,
                                                           "total": page.paginator.count})


@login_not_required
def public_detail(request, pk: int):
    accident = get_object_or_404(Accident.objects.select_related("investigation"), pk=pk,
                                 status__in=(workflow.CLOSED, workflow.EVALUATED))
    return render(request, "accidents/public_detail.html", {"a": accident, "inv": accident.investigation,
                                                            "evaluation": getattr(accident, "evaluation", None)})


def from_tip(request, tip_pk: int):
    """A verified tip reported a concealed accident: record it (flagged 瞒报), linked to the tip."""
    from tips.models import Tip

    if not is_government(request.user):
        raise PermissionDenied("仅政府工作人员可以登记瞒报事故。")
    tip = get_visible_or_404(Tip.objects.select_related("region", "sector", "enterprise"), request.user, pk=tip_pk)
    form = f.ReportForm(posted(request), user=request.user,
                        initial={"enterprise": tip.enterprise_id, "sector": tip.sector_id, "place": tip.address,
                                 "enterprise_name": tip.enterprise_name, "township": tip.region_id})
    named_or_404(form, "enterprise", Enterprise.objects, request.user)

    def call(**d):
        return services.record_concealed_from_tip(
            request.user, tip, place=d["place"], occurred_at=d["occurred_at"], learned_at=d["learned_at"],
            deaths=d["deaths"], injuries=d["injuries"], loss=d["loss"], summary=d["summary"], sector=d["sector"],
            accident_type=d["accident_type"])

    answered = submit_form(request, form, call, None, lambda accident: redirect("accidents:detail", pk=accident.pk),
                           forbid=False)
    if answered is not None:
        return answered
    return render(request, "accidents/report.html", {"form": form, "tip": tip}, status=form_status(form))
