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
        "table": table, "rows": [(r, [getattr(r, f) for f in table.fields]) for r in rows],
        "headers": [table.model_class._meta.get_field(f).verbose_name for f in table.fields], "form": form,
        "page_obj": page, "total": page.paginator.count,
    }, status=400 if request.method == "POST" else 200)


def row_edit(request, key: str, pk: int):
    table = _table(key)
    if not ruletables.can_edit(request.user, table):
        raise PermissionDenied("只有安委会办公室或指定的管理员可以维护规则表。")
    obj = table.model_class.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404
    form = _form_class(table)(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        ruletables.change_row(request.user, table, table.model_class.objects.get(pk=pk), form.cleaned_data)
        return redirect("ruletable_rows", key=key)
    return render(request, "core/ruletables_edit.html", {"table": table, "obj": obj, "form": form},
                  status=400 if request.method == "POST" else 200)
