"""Pages of the editable rule tables (core.ruletables): the index, one list page per table (on the
list layer, with the form that adds a row where the table allows it) and the row edit page."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from . import ruletables
from .forms import StyledForm, StyledModelForm, form_status, posted
from .listfilters import SearchFilter, YesNoFilter
from .lists import Column, ScopedListView
from .views import submit_form

REFUSED = "只有安委会办公室或指定的管理员可以维护规则表。"


def _table(key):
    table = ruletables.TABLES.get(key)
    if table is None:
        raise Http404
    return table


def _form_class(table):
    return forms.modelform_factory(table.model_class, form=StyledModelForm, fields=table.fields)


class RevisionFields(StyledForm):
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
        raise PermissionDenied(REFUSED)
    return render(request, "core/ruletables_index.html", {"tables": tables})


_FILTERSETS: dict[str, type[django_filters.FilterSet]] = {}


def row_filterset(table) -> type[django_filters.FilterSet]:
    """The table's FilterSet: a keyword over its text fields, yes/no for its boolean fields and a
    choice for its fields with choices (invalid values are a Chinese form error)."""
    if table.key not in _FILTERSETS:
        model = table.model_class
        attrs = {}
        text = []
        for name in table.fields:
            field = model._meta.get_field(name)
            if field.choices:
                attrs[name] = django_filters.ChoiceFilter(label=field.verbose_name, choices=field.choices,
                                                          empty_label="全部")
            elif isinstance(field, models.BooleanField):
                attrs[name] = YesNoFilter(label=field.verbose_name)
            elif isinstance(field, (models.CharField, models.TextField)):
                text.append(name)
        if text:
            attrs["q"] = SearchFilter(label="关键词", fields=tuple(text))
        attrs["Meta"] = type("Meta", (), {"model": model, "fields": [n for n in attrs]})
        _FILTERSETS[table.key] = type(f"{model.__name__}RowFilter", (django_filters.FilterSet,), attrs)
    return _FILTERSETS[table.key]


class RuleRowList(ScopedListView):
    """One rule table's rows. Rule tables are reference data, the same for every region: who may
    open the page is decided by ``ruletables.can_edit`` (committee offices, holders of the change
    permission), not by a row scope."""

    name = "core.ruletable_rows"
    url_name = "ruletable_rows"
    url_kwargs = {"key": "holidays"}
    template_name = "core/ruletables_rows.html"
    row_template = "core/_ruletable_row.html"
    page_size = 100
    testid = "rule-rows"
    empty_text = "暂无条目"
    filterset_class = row_filterset(ruletables.TABLES["holidays"])  # a sample (the generated tests read it)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.table = _table(kwargs["key"])
        self.filterset_class = row_filterset(self.table)
        self.title = self.table.label

    def check_access(self, request):
        if not ruletables.can_edit(request.user, self.table):
            raise PermissionDenied(REFUSED)

    def filtered(self, request):
        base = self.table.model_class.objects.all()
        base = base if base.ordered else base.order_by("pk")
        filterset = self.filterset_class(request.GET, queryset=base, request=request)
        return filterset, (filterset.qs if filterset.is_valid() else base.none())

    def get_columns(self, request, filterset):
        meta = self.table.model_class._meta
        return (Column("条目", str), *(Column(meta.get_field(f).verbose_name, f) for f in self.table.fields),
                Column(""))

    def rows_for_page(self, rows):
        for row in rows:
            row.values = [getattr(row, f) for f in self.table.fields]
            row.unverified = _unverified(self.table, row)
        return rows

    def extra_context(self, request):
        return {"table": self.table, "add_form": _form_class(self.table)() if self.table.can_add else None,
                "unarranged_years": _unarranged_years() if self.table.key == "holidays" else ()}

    def post(self, request, key: str):
        self.check_access(request)
        if not self.table.can_add:
            return HttpResponseNotAllowed(["GET"], "该规则表不能新增行。")
        form = _form_class(self.table)(request.POST)
        if form.is_valid():
            ruletables.add_row(request.user, self.table, form.cleaned_data)
            return redirect("ruletable_rows", key=key)
        return self.render_list(request, extra={"add_form": form}, status=form_status(form))


table_rows = RuleRowList.as_view()


def _unarranged_years() -> list[dict]:
    """This year and the next when the State Council's arrangement of it is not known yet
    (core.workdays), each with the number of local rows already entered for it."""
    from django.utils import timezone

    from core import workdays

    this_year = timezone.localdate().year
    model = ruletables.TABLES["holidays"].model_class
    return [{"year": year, "local_rows": model.objects.filter(date__year=year).count()}
            for year in (this_year, this_year + 1) if not workdays.is_arranged(year)]


def row_edit(request, key: str, pk: int):
    """Revise one row: a new version effective from the date given (core.ruletables.revise_row);
    the row's history (every version, its date and who made it) below the form."""
    from django.utils import timezone

    table = _table(key)
    if not ruletables.can_edit(request.user, table):
        raise PermissionDenied(REFUSED)
    obj = table.model_class.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404
    form = _form_class(table)(posted(request), instance=obj)
    revision = RevisionFields(posted(request), initial={"effective_from": timezone.localdate()})

    def revise(**values):
        return ruletables.revise_row(request.user, table, table.model_class.objects.get(pk=pk), values,
                                     effective_from=revision.cleaned_data["effective_from"],
                                     note=revision.cleaned_data["revision_note"])

    def back(version):
        notice = ruletables.later_notice(version)
        if notice:  # inserted before a later version: say how far it reaches
            messages.warning(request, notice)
        return reverse("ruletable_edit", kwargs={"key": key, "pk": pk})

    answer = submit_form(request, form, revise, None, back, forbid=False, also=(revision,))
    if answer:
        return answer
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
    }, status=form_status(form, revision))
