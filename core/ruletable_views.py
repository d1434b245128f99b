"""Pages of the editable rule tables (core.ruletables)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from . import ruletables


def _table(key):
    table = ruletables.TABLES.get(key)
    if table is None:
        raise Http404
    return table


def _form_class(table):
    return forms.modelform_factory(table.model_class, fields=table.fields)


class RevisionFields(forms.Form):
    """The date a revision takes effect (today or later; earlier only for a designated admin —
    checked in core.ruletables.revise_row) and why."""

    effective_from = forms.DateField(label="施行日期", widget=forms.DateInput(attrs={"type": "date"}),
                                     help_text="自该日起的计算和期限适用新取值；此前日期的计算仍用原取值")
    revision_note = forms.CharField(label="修订依据或说明", max_length=200, required=False)


def _unverified(table, row) -> bool:
    return table.unverified(row)


def index(request):
    tables = [t for t in ruletables.TABLES.values() if ruletables.can_edit(request.user, t)]
    if not tables:
        raise PermissionDenied("只有安委会办公室或指定的管理员可以维护规则表。")
    return render(request, "core/ruletables_index.html", {"tables": tables})


def table_rows(request, key: str):
    table = _table(key)
    if not ruletables.can_edit(request.user, table):
        raise PermissionDenied("只有安委会办公室或指定的管理员可以维护规则表。")
    from django.core.paginator import Paginator

    qs = table.model_class.objects.all()
    page = Paginator(qs if qs.ordered else qs.order_by("pk"), 100).get_page(request.GET.get("page"))
    rows = page.object_list
    form = _form_class(table)(request.POST or None) if table.can_add else None
    if request.method == "POST" and form is not None and form.is_valid():
        ruletables.add_row(request.user, table, form.cleaned_data)
        return redirect("ruletable_rows", key=key)
    return render(request, "core/ruletables_rows.html", {
        "table": table, "rows": [(r, [getattr(r, f) for f in table.fields], _unverified(table, r)) for r in rows],
        "headers": [table.model_class._meta.get_field(f).verbose_name for f in table.fields], "form": form,
        "page_obj": page, "total": page.paginator.count,
    }, status=400 if request.method == "POST" else 200)


def row_edit(request, key: str, pk: int):
    """Revise one row: a new version effective from the date given (core.ruletables.revise_row);
    the row's history (every version, its date and who made it) below the form."""
    from django.utils import timezone

    from core.services import ServiceError

    table = _table(key)
    if not ruletables.can_edit(request.user, table):
        raise PermissionDenied("只有安委会办公室或指定的管理员可以维护规则表。")
    obj = table.model_class.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404
    form = _form_class(table)(request.POST or None, instance=obj)
    revision = RevisionFields(request.POST or None, initial={"effective_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid() and revision.is_valid():
        try:
            ruletables.revise_row(request.user, table, table.model_class.objects.get(pk=pk), form.cleaned_data,
                                  effective_from=revision.cleaned_data["effective_from"],
                                  note=revision.cleaned_data["revision_note"])
        except ServiceError as e:
            target = revision if e.field in revision.fields else form
            target.add_error(e.field if e.field in target.fields else None, e.message)
        else:
            return redirect("ruletable_edit", key=key, pk=pk)
    obj.refresh_from_db()
    versions = ruletables.history(table, obj)
    headers = [table.model_class._meta.get_field(f).verbose_name for f in table.fields]
    today = timezone.localdate()
    current = ruletables.in_force(key, obj, today)
    return render(request, "core/ruletables_edit.html", {
        "table": table, "obj": obj, "form": form, "revision": revision, "headers": headers,
        "unverified": _unverified(table, current),
        "history": [(v, [v.values.get(f) for f in table.fields], v.pk == getattr(getattr(current, "rule_version", None), "pk", None),
                     v.effective_from > today) for v in versions],
    }, status=400 if request.method == "POST" else 200)
