"""The ledger list and its xlsx export: one scoped list (core.lists) over HazardFilter."""

from core.lists import Column, ScopedListView

from ..exports import XLSX_TYPE, ledger_workbook
from ..filters import HazardFilter, listing_model
from ..forms import writable_enterprises
from ..models import Hazard

PAGE_SIZE = 50


class HazardLedger(ScopedListView):
    name = "hazards.ledger"
    url_name = "hazards:ledger"
    title = "隐患台账"
    model = Hazard
    filterset_class = HazardFilter
    template_name = "hazards/ledger.html"
    row_template = "hazards/_ledger_row.html"
    select_related = ("enterprise", "sector", "basis_item")
    columns = (Column("编号", "number"), Column("单位", "enterprise.name"), Column("行业", "sector.name"),
               Column("等级", "get_grade_display"), Column("隐患描述", "description"),
               Column("渠道", "get_channel_display"), Column("发现日期", "found_on"), Column("整改期限", "deadline"),
               Column("状态", "get_status_display"))
    page_size = PAGE_SIZE
    testid = "ledger"
    empty_text = "没有符合条件的隐患。"
    export_name = "hazards"
    export_url_name = "hazards:export"

    def extra_context(self, request):
        return {"can_register": writable_enterprises(request.user).exists(), "has_listing": listing_model() is not None}

    def export(self, request, filterset, qs):
        content, count = ledger_workbook(qs)
        return self.export_response(request, content, count, content_type=XLSX_TYPE)


ledger = HazardLedger.as_view()
export = HazardLedger.as_view(mode="export")
