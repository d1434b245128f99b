"""Inspection records: list, new, the phone-friendly record page, signing, documents."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.events import events_for
from core.lists import Column, ScopedListView
from core.querysets import parse_id
from core.views import form_status, get_visible_or_404, named_or_404, press, submit_form
from documents.delivery import send
from enterprises.models import Enterprise

from .. import checklist, documents, forms, frequency, matching, services
from ..filters import RecordFilter
from ..models import Draw, Plan, Record, RecordItem, Visit

RECENT = 20


class RecordList(ScopedListView):
    """The inspections index: the inspection records (filtered, paged), with the latest plans and visits."""

    name = "inspections.records"
    url_name = "inspections:index"
    title = "现场检查记录"
    model = Record
    filterset_class = RecordFilter
    template_name = "inspections/index.html"
    row_template = "inspections/_record_row.html"
    select_related = ("enterprise", "organisation")
    columns = (Column("编号", "number"), Column("被检查单位", "enterprise.name"), Column("状态", "get_status_display"),
               Column("检查日期", "inspected_on"), Column("检查类型", "get_kind_display"))
    empty_text = "暂无"
    export_name = "inspection-records"
    export_url_name = "inspections:records_export"

    def extra_context(self, request):
        user = request.user
        plans, visits = Plan.objects.visible_to(user), Visit.objects.visible_to(user)
        return {"plans": plans[:RECENT], "plans_total": plans.count(), "visits": visits[:RECENT],
                "visits_total": visits.count(), "recent": RECENT,
                "can_inspect": services.can_inspect(user), "can_plan": services.can_plan(user)}


index = RecordList.as_view()
records_export = RecordList.as_view(mode="export")


def record_new(request):
    if not services.can_inspect(request.user):
        raise PermissionDenied("只有政府部门经办人员可以填写检查记录。")
    inspectors = services.inspectors_of(request.user.membership.organisation)
    if request.method == "POST":
        form = forms.RecordForm(request.POST, user=request.user, inspectors=inspectors)
        # a unit or a draw the user cannot see (another region, sector or department) is not found
        named_or_404(form, "enterprise", Enterprise.objects, request.user)
        named_or_404(form, "draw", Draw.objects, request.user)
        for raw in request.POST.getlist("other_inspectors"):  # an account out of scope: 404, as in the API
            pk = parse_id(raw)
            if pk is not None and not services.nameable_inspectors(request.user).filter(pk=pk).exists():
                raise Http404("不存在或无权查看")
        answered = submit_form(request, form, lambda **data: services.create_record(request.user, **data), None,
                               lambda rec: f"/inspections/records/{rec.pk}/", forbid=False)
        if answered is not None:
            return answered
    else:
        initial = {"inspected_on": timezone.localdate(), "inspectors": [request.user.pk]}
        # ids as ASCII digits only ("²" is a digit to isdigit and no number to int: it was a 500)
        if enterprise_id := parse_id(request.GET.get("enterprise", "")):
            initial["enterprise"] = enterprise_id
        if draw_id := parse_id(request.GET.get("draw", "")):  # 按抽取结果检查: the drawn enterprise and its drawn inspectors
            draw = get_visible_or_404(Draw.objects, request.user, pk=draw_id)
            initial["draw"] = draw.pk
            drawn = services.drawn_inspectors(draw, initial.get("enterprise"))
            if drawn is not None:
                initial["inspectors"] = drawn
        form = forms.RecordForm(initial=initial, user=request.user, inspectors=inspectors)
    return render(request, "inspections/record_new.html", {"form": form}, status=form_status(form))


def _item_form(item, data=None, files=None):
    return forms.ItemForm(data, files, prefix=f"i{item.pk}", initial={
        "result": item.result, "note": item.note, "grade": item.grade, "deadline": item.deadline})


def _progress(rec):
    total = rec.items.count()
    return {"total": total, "answered": total - rec.items.filter(result=RecordItem.Result.PENDING).count()}


def _findings(request, rec, can_edit: bool, ledger: list, bound=None):
    """The record's findings, each with (while editable) its "台账中的同一隐患" form and the open
    hazards citing the same 判定标准 item (the duplicate prompt)."""
    rows = []
    for item in rec.items.filter(result=RecordItem.Result.HAZARD).select_related("hazard", "existing_hazard", "record"):
        form = None
        if can_edit:
            form = bound if bound is not None and bound.prefix == f"m{item.pk}" else forms.MatchForm(
                prefix=f"m{item.pk}", ledger=ledger,
                initial={"existing_hazard": item.existing_hazard_id, "new_hazard": item.new_hazard_confirmed})
        same_item = [h for h in ledger if item.standard_item_id and h.basis_item_id == item.standard_item_id]
        prompt = same_item if can_edit and not item.existing_hazard_id and not item.new_hazard_confirmed else []
        rows.append({"item": item, "form": form, "candidates": prompt})
    return rows


def _editable(request, rec) -> tuple[bool, list]:
    """Whether the user may still edit ``rec`` (not locked, nobody signed) and, if so, the
    enterprise's open ledger hazards a finding may be matched to."""
    can_edit = not rec.locked and services.can_inspect(request.user) and not rec.inspectors.filter(signed_at__isnull=False).exists()
    return can_edit, list(matching.open_hazards(request.user, rec.enterprise)) if can_edit else []


def _record_ctx(request, rec, **extra):
    rows = [(item, _item_form(item)) for item in rec.items.select_related("hazard", "standard_item__standard")]
    can_edit, ledger = _editable(request, rec)
    ctx = {
        "record": rec,
        "items": rows,
        "inspectors": rec.inspectors.select_related("user"),
        "addenda": rec.addenda.select_related("author"),
        "finding_form": forms.FindingForm(prefix="f", ledger=ledger),
        "addendum_form": forms.AddendumForm(),
        "can_edit": can_edit,
        "can_sign": rec.inspectors.filter(user=request.user, signed_at__isnull=True).exists(),
        "can_inspect": services.can_inspect(request.user),
        "events": events_for(rec),
    }
    # outside a draw: where the record stands against the enterprise's yearly cap (government only)
    ctx["frequency"] = frequency.status(rec) if ctx["can_inspect"] and rec.draw_id is None else None
    ctx.update(extra)
    ctx["findings"] = _findings(request, rec, can_edit, ledger, bound=extra.get("match_form"))
    ctx["groups"] = checklist.groups_for(rec, ctx["items"])
    ctx["progress"] = _progress(rec)
    return ctx


def record_detail(request, pk: int):
    rec = get_visible_or_404(Record.objects.select_related("enterprise", "organisation"), request.user, pk=pk)
    return render(request, "inspections/record.html", _record_ctx(request, rec))


@require_POST
def item_set(request, pk: int, item_pk: int):
    rec = get_visible_or_404(Record.objects, request.user, pk=pk)
    try:
        item = rec.items.get(pk=item_pk)
    except RecordItem.DoesNotExist:
        raise Http404
    form = _item_form(item, request.POST, request.FILES)

    def inline(form, saved: bool):  # answered inline: this line, the progress counter and (saved) the 发现隐患 card change
        item.refresh_from_db()
        findings = None
        if saved:  # the line may have become (or stopped being) a finding: its card with the ledger choice
            findings = _findings(request, rec, *_editable(request, rec))
            form = _item_form(item)  # the line's form afresh
        return render(request, "inspections/_item.html",
                      {"record": rec, "item": item, "form": form, "saved": saved,
                       "can_edit": True, "progress": _progress(rec), "oob": True, "findings": findings},
                      status=form_status(form))

    answered = submit_form(request, form, lambda **data: services.set_item(request.user, item, **data),
                           None if request.htmx else "已保存。",
                           lambda _: inline(form, saved=True) if request.htmx
                           else f"/inspections/records/{rec.pk}/#item-{item.pk}", forbid=False)
    if answered is not None:
        return answered
    if request.htmx:
        return inline(form, saved=False)
    ctx = _record_ctx(request, rec)
    ctx["items"] = [(i, form if i.pk == item.pk else f) for i, f in ctx["items"]]
    return render(request, "inspections/record.html", ctx, status=form_status(form))


def _record_action(request, pk: int, act, success) -> HttpResponse:
    """Run one record action from a button (no form, ``core.views.press``): a refusal of permission is a
    403, any other refusal the record page again saying why (400/409); success says what happened
    (``success(result)``)."""
    rec = get_visible_or_404(Record.objects, request.user, pk=pk)
    return press(request, lambda: act(request.user, rec), success, reverse("inspections:record", args=[rec.pk]),
                 lambda exc, status: render(request, "inspections/record.html",
                                            _record_ctx(request, rec, error=exc.message, error_field=exc.field), status=status))


@require_POST
def answer_remaining(request, pk: int):
    return _record_action(request, pk, services.answer_remaining, lambda count: f"已将其余{count}项确认为“符合”。")


def _ledger_hazard(request, pk):
    """The ledger hazard a form names: none, or one in the user's scope (anything else is a 404)."""
    from hazards.models import Hazard

    return get_visible_or_404(Hazard.objects, request.user, pk=pk) if pk is not None else None


@require_POST
def finding_add(request, pk: int):
    rec = get_visible_or_404(Record.objects, request.user, pk=pk)
    form = forms.FindingForm(request.POST, request.FILES, prefix="f",
                             ledger=matching.open_hazards(request.user, rec.enterprise))

    def add(**data):  # the ledger hazard it is (if any)
        data["existing_hazard"] = _ledger_hazard(request, data["existing_hazard"])
        services.add_finding(request.user, rec, **data)
        return data["existing_hazard"]

    answered = submit_form(request, form, add,
                           lambda hazard: "已添加隐患。" if hazard is None else f"已添加隐患，并关联台账中的{hazard.number}。",
                           f"/inspections/records/{rec.pk}/", forbid=False)
    if answered is not None:
        return answered
    return render(request, "inspections/record.html", _record_ctx(request, rec, finding_form=form), status=form_status(form))


@require_POST
def finding_match(request, pk: int, item_pk: int):
    """台账中的同一隐患: the finding is a hazard already in the enterprise's ledger (or confirmed new)."""
    rec = get_visible_or_404(Record.objects.select_related("enterprise"), request.user, pk=pk)
    item = rec.items.filter(pk=item_pk, result=RecordItem.Result.HAZARD).first()
    if item is None:
        raise Http404
    form = forms.MatchForm(request.POST, prefix=f"m{item.pk}", ledger=matching.open_hazards(request.user, rec.enterprise))

    def match(**data):  # the ledger hazard it is (if any)
        hazard = _ledger_hazard(request, data["existing_hazard"])
        matching.match_finding(request.user, item, hazard=hazard, new_hazard=data["new_hazard"])
        return hazard

    answered = submit_form(request, form, match,
                           lambda hazard: f"已关联台账中的{hazard.number}，签名后不再重复登记。" if hazard is not None
                           else "已确认为新发现隐患。" if form.cleaned_data["new_hazard"] else "已取消关联。",
                           f"/inspections/records/{rec.pk}/#finding-{item.pk}")
    if answered is not None:
        return answered
    return render(request, "inspections/record.html", _record_ctx(request, rec, match_form=form), status=form_status(form))


@require_POST
def sign(request, pk: int):
    return _record_action(request, pk, services.sign,
                          lambda rec: "已签名，记录已锁定。" if rec.locked else "已签名，等待其他检查人员签名。")


@require_POST
def addendum(request, pk: int):
    rec = get_visible_or_404(Record.objects, request.user, pk=pk)
    form = forms.AddendumForm(request.POST)
    answered = submit_form(request, form, lambda **data: services.add_addendum(request.user, rec, **data), None,
                           f"/inspections/records/{rec.pk}/")
    if answered is not None:
        return answered
    return render(request, "inspections/record.html", _record_ctx(request, rec, addendum_form=form), status=form_status(form))


def record_docx(request, pk: int):
    rec = get_visible_or_404(Record.objects, request.user, pk=pk)
    return send(request, documents.record_docx(rec), f"现场检查记录-{rec.number}", "inspection_record", rec)


def order_docx(request, pk: int, item_pk: int):
    rec = get_visible_or_404(Record.objects, request.user, pk=pk)
    item = rec.items.filter(pk=item_pk, result=RecordItem.Result.HAZARD).first()
    if item is None:
        raise Http404
    return send(request, documents.order_docx(rec, item), f"责令限期整改指令书-{rec.number}-{item.pk}", "inspection_order", rec)
