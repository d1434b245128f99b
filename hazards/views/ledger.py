"""The ledger list and its export: one scoped list (core.lists) over HazardFilter; the export of
exactly the filtered rows runs as a job (jobs app), streamed, whatever the size."""

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect

from core.lists import Column, OneQueryPaginator, ScopedListView, filter_errors_text
from core.models import SecurityLog
from core.security import log_security

from .. import tallies
from ..filters import HazardFilter, listing_model
from ..forms import writable_enterprises
from ..models import Hazard
from ..search import substring_test

PAGE_SIZE = 50


class HazardLedger(ScopedListView):
    name = "hazards.ledger"
    url_name = "hazards:ledger"
    title = "隐患台账"
    model = Hazard
    filterset_class = HazardFilter
    template_name = "hazards/ledger.html"
    row_template = "hazards/_ledger_row.html"
    select_related = ("enterprise", "sector")  # what the row and the columns show (the export job has its own)
    columns = (Column("编号", "number"), Column("单位", "enterprise.name"), Column("行业", "sector.name"),
               Column("等级", "get_grade_display"), Column("隐患描述", "description"),
               Column("渠道", "get_channel_display"), Column("发现日期", "found_on"), Column("整改期限", "deadline"),
               Column("状态", "get_status_display"))
    page_size = PAGE_SIZE
    testid = "ledger"
    empty_text = "没有符合条件的隐患。"
    export_name = "hazards"
    export_url_name = "hazards:export"

    def paginator_for(self, request, filterset, qs):
        """With a text search on PostgreSQL, the total and the page in one pass over the matches
        (``OneQueryPaginator``): the GIN index finds them, the table is read once for both. Without
        one, the ordinary count + LIMIT-driven page (an index in the ledger's order)."""
        q = (filterset.form.cleaned_data.get("q") or "").strip() if filterset.is_valid() else ""
        if connection.vendor == "postgresql" and q:
            return OneQueryPaginator(qs, self.page_size, walk=self.search_walk(request, filterset, q))
        return super().paginator_for(request, filterset, qs)

    def known_total(self, request, filterset):
        """From the pre-aggregated counts when every filter in use is a tally key (``tallies.filtered_total``)."""
        return tallies.filtered_total(request.user, filterset.form.cleaned_data)

    def search_walk(self, request, filterset, q):
        """The first pages of a text search in the ledger's own order (newest first: an index of
        every scope serves it) are found among the newest rows of the same list without the text
        filter, tested row by row with the substring test (hazards.search: exactly the rows the
        index selects), and the total is counted through the index; see ``OneQueryPaginator``.
        None when the search did not use the index or the list is sorted otherwise."""
        if filterset.text_names is None or filterset.form.cleaned_data.get("sort"):
            return None  # no index search, or an ordering the ledger's indexes do not serve
        data = request.GET.copy()
        data.pop("q", None)
        rest = self.filterset_class(data, queryset=self.scoped_queryset(request.user), request=request)
        return (rest.qs, substring_test(q, filterset.text_names)) if rest.is_valid() else None

    def extra_context(self, request):
        return {"can_register": writable_enterprises(request.user).exists(), "has_listing": listing_model() is not None}

    def render_export(self, request):
        """Queue the export of the filtered ledger (xlsx, or CSV with ``?format=csv``) as a job and
        show its progress; the owner downloads the file from the job page when it is ready."""
        from jobs.services import submit

        self.check_access(request)
        query = request.GET.copy()
        fmt = query.pop("format", ["xlsx"])[-1]
        if fmt not in ("xlsx", "csv"):
            return HttpResponse("format: 只支持 xlsx 或 csv。", status=400, content_type="text/plain; charset=utf-8")
        query.pop("page", None)
        filterset = self.filterset_class(query, queryset=self.scoped_queryset(request.user), request=request)
        if not filterset.is_valid():
            return HttpResponse(filter_errors_text(filterset), status=400, content_type="text/plain; charset=utf-8")
        job = submit(request.user, "hazards.export", f"导出隐患台账（{fmt}）", {"query": dict(query.lists()), "format": fmt})
        log_security(SecurityLog.Kind.EXPORT, request=request, user=request.user, what=self.name, job=job.pk,
                     filters={k: v for k, v in query.items()})
        return redirect("jobs:detail", pk=job.pk)


def ledger_queryset(user):
    """The user's whole ledger (the export job re-applies the page's filters to it)."""
    return Hazard.objects.visible_to(user).select_related("enterprise", "sector", "basis_item")


ledger = HazardLedger.as_view()
export = HazardLedger.as_view(mode="export")
