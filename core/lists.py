"""The scoped list layer: one way to show, filter, page and export a list.

A list page declares what it lists; this base does the rest, the same way for every list:

    class CaseList(ScopedListView):
        name = "enforcement.cases"              # registry key (tests are generated per entry)
        model = Case                            # rows come from Case.objects.visible_to(user) — first
        filterset_class = CaseFilter            # ONE django-filter FilterSet (page, API and export)
        template_name = "enforcement/case_list.html"   # extends base.html, includes "_list.html"
        row_template = "enforcement/_case_row.html"    # one <tr> per row
        columns = (Column("案号", "number"), Column("当事单位", "enterprise.name"), …)
        select_related = ("enterprise",)

Guarantees:

* the scope is applied before any filter (``Model.objects.visible_to(user)``);
* every filter runs in the database through the FilterSet (querysets such as
  ``Tip.objects.overdue()``), so nothing is capped before it is filtered;
* an invalid filter value is a Chinese form error and status 400 (never silently ignored), the
  API answers 400 with ``{field: [reason]}`` through django-filter's DRF backend;
* one pager (``templates/_pagination.html``) whose links keep every filter, the total is shown;
* ``mode="export"`` (``path("export.xlsx", CaseList.as_view(mode="export"))``) exports exactly
  the filtered rows — the same FilterSet and scope as the page — as a job (kind ``lists.export``,
  ``queue_export``): the request checks the filters, logs the export and sends the user to the
  job's page (progress bar, notification, download when done); the job re-applies the scope as the
  owner sees it then and streams the rows to xlsx or CSV (``write_export``: constant memory,
  ``rows_for_page`` run chunk by chunk), whatever the size.

The API uses the same FilterSet: ``filterset_class = CaseList.filterset_class`` on the viewset
and ``CaseList.scoped_queryset(user)`` (or ``visible_to`` on the same model) as its queryset.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django_filters
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views import View

from .errors import bad_address
from .forms import form_status

# A row template that shows each column's value (row.cells) — for lists without a special layout.
GENERIC_ROW = "_list_row.html"

# name → list view class; filled by ScopedListView subclasses that set ``name``.
REGISTRY: dict[str, type[ScopedListView]] = {}


@dataclass(frozen=True)
class Column:
    """A column: its Chinese header and how to read its value for the export.

    ``value`` is a dotted attribute path ("enterprise.name"; a ``get_x_display`` method is called)
    or a callable taking the row; "" means the column is shown but not exported.
    """

    label: str
    value: str | Callable[[Any], Any] = ""

    def read(self, row):
        if callable(self.value):
            return self.value(row)
        obj = row
        for part in self.value.split("."):
            if obj is None:
                return None
            obj = getattr(obj, part)
            if callable(obj) and not hasattr(obj, "all"):
                obj = obj()
        if hasattr(obj, "all"):  # a many-to-many manager: its names joined
            return "、".join(str(x) for x in obj.all())
        return obj


def style_form(form):
    """Bootstrap classes on a filter form's widgets, the small variant of ``core.forms.widget_class``
    (kept on the widget, rendered by _list.html)."""
    from .formrender import list_form_renderer
    from .forms import widget_class

    for field in form.fields.values():
        css = widget_class(field.widget)
        if css:  # the small variant of a select box or an input: form-select form-select-sm
            field.widget.attrs.setdefault("class", css if css == "form-check-input" else f"{css} {css}-sm")
    form.renderer = list_form_renderer()  # the same HTML, plain selects/inputs without a template per option
    return form


def filter_errors_text(filterset) -> str:
    """The FilterSet's errors as one Chinese line: "筛选条件有误：状态：选择一个有效的选项…"."""
    form = filterset.form
    parts = []
    for name, errors in filterset.errors.items():
        label = form.fields[name].label if name in form.fields else name
        parts.append(f"{label}：{''.join(errors)}")
    return "筛选条件有误：" + "；".join(parts)


class ScopedListView(View):
    """Base of every list page (and its export); see the module docstring."""

    name: str = ""
    url_name: str = ""  # the page's URL name ("enforcement:case_list"), used by the generated tests
    url_kwargs: dict = {}  # URL arguments of a sample page, for lists with one page per key (rule tables)
    model = None
    filterset_class = None
    template_name: str = ""
    row_template: str = GENERIC_ROW
    row_url_name: str = ""  # with GENERIC_ROW: the first cell links to reverse(row_url_name, args=[row.pk])
    columns: tuple[Column, ...] = ()
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ()
    page_size = 50
    title: str = ""
    empty_text = "没有符合条件的记录。"
    testid = "list"
    export_name: str | None = None  # file stem of the export; None: the list offers no export
    export_url_name: str = ""  # URL name of as_view(mode="export"); the page links it with its filters
    export_formats: tuple[str, ...] = ("xlsx", "csv")  # ?format= of the export (the first is the default)
    export_noun = "条记录"  # the job's result line: "已导出 12 条记录。"
    mode = "page"  # "page" or "export" (set through as_view(mode=...))

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("name"):
            REGISTRY[cls.name] = cls

    # ---------------------------------------------------------------- hooks

    def check_access(self, request) -> None:
        """Raise PermissionDenied / Http404 for users who may not open the list at all."""

    @classmethod
    def scoped_queryset(cls, user):
        """The rows the user may see, before any filter (shared with the API viewset)."""
        qs = cls.model.objects.visible_to(user)
        if cls.select_related:
            qs = qs.select_related(*cls.select_related)
        if cls.prefetch_related:
            qs = qs.prefetch_related(*cls.prefetch_related)
        if cls.ordering:
            qs = qs.order_by(*cls.ordering)
        return qs

    def extra_context(self, request) -> dict:
        return {}

    def get_columns(self, request, filterset) -> tuple[Column, ...]:
        """The columns for this request (a list may offer several column sets, e.g. ?view=)."""
        return self.columns

    def known_total(self, request, filterset) -> int | None:
        """The number of filtered rows when the list knows it without counting them (counts kept
        in the writing transaction, e.g. ``hazards.tallies``); None: count the rows."""
        return None

    def paginator_for(self, request, filterset, qs) -> Paginator:
        """The pager of the filtered rows: counts them (``SELECT COUNT(*)``) unless ``known_total``
        answers, then reads one page (``LIMIT``). A list whose filter makes PostgreSQL read every
        match anyway (a text index) may answer with ``OneQueryPaginator`` instead: the total and
        the page's ids in one pass."""
        paginator = Paginator(qs, self.page_size)
        total = self.known_total(request, filterset) if filterset.is_valid() else None
        if total is not None:
            paginator.__dict__["count"] = total  # Paginator.count is a cached_property
        return paginator

    def rows_for_page(self, rows: list) -> list:
        """Decorate the rows of one page (e.g. computed summaries); must not query per row."""
        return rows

    def export_columns(self, request, filterset) -> list:
        """The file's columns (``hazards.exports.Column``): by default the page's columns that have
        a value; a list whose file has other columns (the enterprise import template) says so here."""
        from hazards.exports import Column as FileColumn

        return [FileColumn(c.label, lambda row, c=c: _cell(c.read(row)))
                for c in self.get_columns(request, filterset) if c.value]

    def write_export(self, request, filterset, qs, path: str, fmt: str, progress=None) -> int:
        """Write the filtered rows (``export_columns``) to ``path`` as xlsx or CSV, streamed in
        constant memory; returns the row count. Run by the export job."""
        from hazards.exports import write_csv, write_xlsx

        columns = self.export_columns(request, filterset)
        rows = self.export_rows(qs)
        if fmt == "csv":
            return write_csv(rows, columns, path, progress=progress)
        return write_xlsx(rows, columns, path, sheet=self.title or self.name, progress=progress)

    def export_rows(self, qs, chunk_size: int = 1000):
        """The filtered rows, read ``chunk_size`` at a time (prefetches per chunk) and decorated
        chunk by chunk by ``rows_for_page`` — never all of them in memory."""
        rows = qs.iterator(chunk_size=chunk_size) if hasattr(qs, "iterator") else iter(qs)
        while batch := list(itertools.islice(rows, chunk_size)):
            yield from self.rows_for_page(batch)

    # ---------------------------------------------------------------- machinery

    def filtered(self, request):
        """(filterset, rows): the FilterSet bound to the query string, and the filtered rows
        (none at all when a filter value is invalid)."""
        base = self.scoped_queryset(request.user)
        filterset = self.filterset_class(request.GET, queryset=base, request=request)
        return filterset, (filterset.qs if filterset.is_valid() else base.none())

    def get(self, request, *args, **kwargs):
        if self.mode == "export":
            return self.render_export(request)
        return self.render_list(request)

    def render_export(self, request) -> HttpResponse:
        """Queue the export of exactly the rows the page shows (all pages) and show the job's page;
        400 with the Chinese reason for a bad format or filter value."""
        self.check_access(request)
        if self.export_name is None:
            raise PermissionDenied("此列表不提供导出。")
        query = request.GET.copy()
        fmt = query.pop("format", [self.export_formats[0]])[-1]
        if fmt not in self.export_formats:
            return bad_address(request, f"导出格式（format）：只支持 {'、'.join(self.export_formats)}。")
        query.pop("page", None)
        filterset = self.filterset_class(query, queryset=self.scoped_queryset(request.user), request=request)
        if not filterset.is_valid():
            return bad_address(request, filter_errors_text(filterset))
        job = queue_export(request, self, query, fmt)
        return redirect("jobs:detail", pk=job.pk)

    def render_list(self, request, extra: dict | None = None, status: int | None = None):
        """The page; ``extra``/``status`` let an action re-show the list with its error (400)."""
        self.check_access(request)
        filterset, qs = self.filtered(request)
        page = self.paginator_for(request, filterset, qs).get_page(request.GET.get("page"))
        page.object_list = self.rows_for_page(list(page.object_list))
        columns = self.get_columns(request, filterset)
        if self.row_template == GENERIC_ROW:
            for row in page.object_list:
                row.cells = [c.read(row) for c in columns]
        context = {
            "list": self, "filter": filterset, "form": style_form(filterset.form), "page_obj": page,
            "rows": page.object_list, "total": page.paginator.count, "columns": columns,
            "row_template": self.row_template, "export_query": _query_without_page(request),
            "export_url": reverse(self.export_url_name) if self.export_url_name else None,
            "today": timezone.localdate(), "active_filters": active_filter_count(request, filterset),
        }
        context.update(self.extra_context(request))
        context.update(extra or {})
        return render(request, self.template_name, context, status=status or form_status(filterset.form))


class OneQueryPaginator(Paginator):
    """A pager that reads the exact total and the requested page's ids in ONE query (PostgreSQL):

        WITH m AS MATERIALIZED (SELECT pk, <ordering columns> FROM <filtered rows>)
        SELECT pk, (SELECT COUNT(*) FROM m) FROM m ORDER BY <ordering>, pk LIMIT … OFFSET …

    then the page's rows by their ids (``select_related`` kept). Meant for filters whose matches
    PostgreSQL must visit one by one in any case — a GIN text search: the count already reads every
    matching row from the table, so the sort keys come with it, and the page no longer needs a
    second pass (as a LIMIT-driven scan that tests the text condition on every newer row, or a
    second bitmap scan). The CTE is materialised so that the planner cannot stream the rows in index
    order and test the text condition on every row of the scope; the total is counted from the
    materialised matches (a window ``COUNT(*) OVER ()`` buffered them a second time: ~15% slower at
    province scale). The total is exact (every match counted, no cap, no estimate). An ordering
    that is not a list of field names falls back to the ordinary count + page."""

    #: the newest rows the first pages may walk in the list's order (see ``walk``): page 1 when at
    #: least one row in 40 of the newest matches
    WALK_ROWS = 2_000

    def __init__(self, object_list, per_page, walk=None, walk_rows=None, **kwargs):
        """``walk`` = (rows, test): the same list without the indexed filter and, as a ``Q``, a
        per-row test that selects exactly the rows the indexed filter selects (the text search's
        substring test). The first pages are then read by walking ``rows`` in the list's order
        and testing each row — at most ``walk_rows`` of them — and, in the same statement, the
        matches are counted through the index: a parallel aggregate that hands no rows to the
        leader, nothing materialised (~15–20% faster than the CTE at 73k matches of 10^6 rows).
        A walk that ends before its page is full (rare matches, the last page) falls back to the
        materialised CTE. Only for an ordering an index of the list's rows serves (the caller
        knows): otherwise the walk would sort the whole list. PostgreSQL only (ARRAY)."""
        super().__init__(object_list, per_page, **kwargs)
        self.ordering = _plain_ordering(object_list)
        self.walk = walk if walk is not None and self.ordering is not None and _plain_ordering(walk[0]) == self.ordering else None
        self.walk_rows = walk_rows or self.WALK_ROWS

    def get_page(self, number):
        if self.ordering is None:
            return super().get_page(number)
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            number = 1
        offset = (number - 1) * self.per_page
        found = self._walked_page_ids(offset) if self.walk is not None and offset + self.per_page <= self.walk_rows // 10 else None
        ids, total = found if found is not None else self._page_ids(offset)
        if total is None:  # past the last page (or no rows): count, then show the last page
            return super().get_page(number)
        self.__dict__["count"] = total  # Paginator.count is a cached_property
        by_id = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)

    def _page_ids(self, offset: int):
        from django.db import connections

        qs = self.object_list
        fields = [name.lstrip("-") for name in self.ordering]
        inner = qs.order_by().values_list("pk", *fields)
        try:
            sql, params = inner.query.sql_with_params()
        except EmptyResultSet:  # qs.none() (a user who sees nothing): no rows, no query
            return [], None
        names = ", ".join(f"o{i}" for i in range(len(fields)))
        order = ", ".join(f"o{i}{' DESC' if name.startswith('-') else ''}" for i, name in enumerate(self.ordering))
        query = (f"WITH m (pk, {names}) AS MATERIALIZED ({sql}) "
                 f"SELECT pk, (SELECT COUNT(*) FROM m) FROM m ORDER BY {order}, pk LIMIT %s OFFSET %s")
        with connections[qs.db].cursor() as cursor:
            cursor.execute(query, (*params, self.per_page, offset))
            rows = cursor.fetchall()
        if not rows:
            return [], None
        return [pk for pk, _ in rows], rows[0][1]


    def _walked_page_ids(self, offset: int):
        """(ids, total) from one statement: the page found by walking at most ``walk_rows`` of the
        newest rows of ``walk`` in the list's order, then — only when that filled the page — the
        exact total counted through the filtered list (its index); None when the walk did not
        fill the page (matches rarer than that among the newest rows, or the last page)."""
        from django.db import connections
        from django.db.models import BooleanField, ExpressionWrapper

        qs = self.object_list
        rows, test = self.walk
        fields = [name.lstrip("-") for name in self.ordering]
        try:
            count_sql, count_params = qs.order_by().values("pk").query.sql_with_params()
            walk = (rows.order_by(*self.ordering, "pk").annotate(_hit=ExpressionWrapper(test, output_field=BooleanField()))
                    .values_list("pk", "_hit", *fields)[:self.walk_rows])
            walk_sql, walk_params = walk.query.sql_with_params()
        except EmptyResultSet:
            return [], None
        names = ", ".join(f"o{i}" for i in range(len(fields)))
        order = ", ".join(f"s.o{i}{' DESC' if name.startswith('-') else ''}" for i, name in enumerate(self.ordering))
        query = (f"SELECT w.ids, CASE WHEN cardinality(w.ids) = %s THEN (SELECT COUNT(*) FROM ({count_sql}) c) END "
                 f"FROM (SELECT ARRAY(SELECT s.pk FROM ({walk_sql}) s (pk, hit, {names}) WHERE s.hit "
                 f"ORDER BY {order}, s.pk LIMIT %s OFFSET %s) AS ids OFFSET 0) w")  # OFFSET 0: the walk runs once
        with connections[qs.db].cursor() as cursor:
            cursor.execute(query, (self.per_page, *count_params, *walk_params, self.per_page, offset))
            ids, total = cursor.fetchone()
        return None if total is None else (list(ids), total)


def _plain_ordering(qs) -> list[str] | None:
    """The queryset's ordering as field names ("-first_reported_at", "enterprise__name"), or None
    when it is ordered by an expression (or not at all)."""
    query = qs.query
    ordering = list(query.order_by) if query.order_by else (list(qs.model._meta.ordering) if query.default_ordering else [])
    if not ordering or not all(isinstance(name, str) and name.lstrip("-") and name != "?" for name in ordering):
        return None
    return ordering


def active_filter_count(request, filterset) -> int:
    """How many filters of the form the query string sets (sorting is not a filter) — shown on the
    phone's "筛选" button."""
    return sum(1 for name, f in filterset.filters.items()
               if not isinstance(f, django_filters.OrderingFilter)
               and any(v.strip() for v in request.GET.getlist(name)))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) or hasattr(value, "isoformat"):
        if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    if hasattr(value, "quantize"):  # Decimal
        return float(value)
    return str(value)


def load_registry() -> None:
    """Import the URLconf, which imports every list view (each registers itself in REGISTRY) — what
    ``registered`` does on demand in a process that has not served a page, and what the job worker
    does once before its processes take jobs (``jobs.runner.warm``)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - importing the URLconf imports every list view (fills REGISTRY)


def registered(name: str) -> type[ScopedListView] | None:
    """The list view registered as ``name``, or None. In a process that has not served a page
    (the job worker) the list modules are not imported yet: importing the URLconf imports them."""
    if name not in REGISTRY:
        load_registry()
    return REGISTRY.get(name)


# ---------------------------------------------------------------- exports as jobs

EXPORT_KIND = "lists.export"
EXPORT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "csv": "text/csv; charset=utf-8"}


def queue_export(request, view, query: QueryDict, fmt: str, *, what: str = "", rows: int | None = None):
    """Submit the export job of list ``view`` (a list view, or its class for the API) with the
    (checked) filters ``query`` for the requesting user, and log the export (security log: who,
    which list, which filters, which job)."""
    from core.models import SecurityLog
    from core.security import log_security
    from jobs.services import submit

    label = view.title or view.export_name
    params = {"list": view.name, "query": dict(query.lists()), "kwargs": dict(getattr(view, "kwargs", None) or {}),
              "format": fmt}
    job = submit(request.user, EXPORT_KIND, f"导出{label}（{fmt}）", params)
    extra = {} if rows is None else {"rows": rows}
    log_security(SecurityLog.Kind.EXPORT, request=request, user=request.user, what=what or view.name, job=job.pk,
                 filters={k: v for k, v in query.items()}, **extra)
    return job


def bound_list(owner, name: str, query: dict | None, kwargs: dict | None = None):
    """(view, request, filterset, rows): list ``name`` as ``owner`` may see it now, filtered by
    ``query`` (a dict of lists, as ``queue_export`` stores it) — what a job works from. A user who
    may no longer open the list, an unknown list or a filter that is no longer valid is a
    ``ServiceError`` (the job fails with that message)."""
    from core.services import ServiceError

    cls = registered(name)
    if cls is None or cls.export_name is None:
        raise ServiceError(f"没有可导出的列表：{name}", "list")
    if owner is None or not owner.is_active:
        raise ServiceError("发起导出的账号已停用。", "owner")
    data = QueryDict(mutable=True)
    for key, values in (query or {}).items():
        data.setlist(key, values if isinstance(values, list) else [values])
    request = HttpRequest()
    request.method = "GET"
    request.GET = data
    request.user = owner
    try:
        request.path = request.path_info = reverse(cls.url_name, kwargs=kwargs or {}) if cls.url_name else "/"
    except NoReverseMatch:  # a list whose URL changed since the job was queued: the path is only informative
        request.path = request.path_info = "/"
    view = cls(mode="export")
    view.setup(request, **(kwargs or {}))
    try:
        view.check_access(request)
    except (PermissionDenied, Http404) as exc:
        raise ServiceError("您已无权查看此列表，不能导出。", "list") from exc
    filterset, qs = view.filtered(request)
    if not filterset.is_valid():
        raise ServiceError(filter_errors_text(filterset), "query")
    return view, request, filterset, qs


def run_export(job, progress, path: str):
    """The body of a ``lists.export`` job: counts the rows, streams them to ``path``; returns
    (rows, file name, content type, the result line). The rows are read from the read database
    (``core.routers.read_db``: the replica when one is configured, as statistics and the board)."""
    from core.routers import for_reading
    from core.services import ServiceError

    params = job.params
    fmt = params.get("format", "xlsx")
    view, request, filterset, qs = bound_list(job.owner, params.get("list", ""), params.get("query"), params.get("kwargs"))
    if fmt not in view.export_formats:
        raise ServiceError(f"导出格式（format）：只支持 {'、'.join(view.export_formats)}。", "format")
    if hasattr(qs, "using"):
        qs = for_reading(qs)
    total = qs.count() if hasattr(qs, "count") else None
    progress(0, total, force=True)
    rows = view.write_export(request, filterset, qs, path, fmt, progress=lambda n: progress(n, total))
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    return rows, f"{view.export_name}-{stamp}.{fmt}", EXPORT_TYPES[fmt], f"已导出 {rows} {view.export_noun}。"
