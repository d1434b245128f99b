"""The ledger list and its export: one scoped list (core.lists) over HazardFilter; the export of
exactly the filtered rows runs as a job (jobs app), streamed, whatever the size."""

from django.db import connection

from core.lists import Column, OneQueryPaginator, ScopedListView

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
    export_noun = "条隐患"

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

    def write_export(self, request, filterset, qs, path, fmt, progress=None):
        """The ledger's own columns (number, enterprise and credit code, basis item, dates, status
        …) read as plain tuples in one joined query (``hazards.exports.export_ledger``)."""
        from ..disclosure import sees_tip_channel
        from ..exports import export_ledger

        return export_ledger(qs, path, fmt, sheet=self.title, progress=progress,
                             mask_tips=not sees_tip_channel(request.user))


ledger = HazardLedger.as_view()
export = HazardLedger.as_view(mode="export")
