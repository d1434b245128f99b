"""The card layout's server side: each row's cells labelled with their column, the title cell marked,
empty cells flagged; the phone's 筛选 button counts the filters set (sorting is not one)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.lists import Column, active_filter_count
from core.templatetags.list_cards import label_cells
from core.testing import client_as

COLUMNS = (Column("编号", "number"), Column("单位", "enterprise.name"), Column("等级"), Column(""))


def test_cells_get_their_column_and_the_linked_cell_is_the_title():
    row = ('<tr class="x"><td>2026-12-01</td><td class="a"><a href="/h/1/">YH1</a></td>'
           '<td> <span class="badge"></span> </td><td><form method="post"><button>办理</button></form></td></tr>')
    assert label_cells(row, COLUMNS) == (
        '<tr class="x"><td data-label="编号">2026-12-01</td><td class="a" data-card="title"><a href="/h/1/">YH1</a></td>'
        '<td data-label="等级" data-empty> <span class="badge"></span> </td>'
        '<td><form method="post"><button>办理</button></form></td></tr>')


def test_without_a_link_the_first_cell_is_the_title_and_nested_tables_are_left_alone():
    row = '<tr><td>张某</td><td><table><tr><td>内</td></tr></table></td><td>"&<b>乙</b></td></tr>'
    labels = ("被问责人", '职"务', "日期")
    assert label_cells(row, labels) == (
        '<tr><td data-card="title">张某</td><td data-label="职&quot;务"><table><tr><td>内</td></tr></table></td>'
        '<td data-label="日期">"&<b>乙</b></td></tr>')


def test_a_single_cell_row_is_the_card_itself():
    assert label_cells("<tr><td><h2>案例</h2></td></tr>", ("案例",)) == "<tr><td><h2>案例</h2></td></tr>"


def test_active_filters_are_counted_without_the_sort():
    from hazards.filters import HazardFilter

    request = RequestFactory().get("/hazards/", {"grade": "general", "q": " ", "status": "registered",
                                                 "sort": "-found_on", "page": "2"})
    filterset = HazardFilter(request.GET, request=request)
    assert active_filter_count(request, filterset) == 2


@pytest.mark.django_db
def test_the_list_page_has_the_phone_button_with_the_count(client, world):
    client_as(client, world, "committee")
    html = client.get(reverse("hazards:ledger"), {"grade": "major", "overdue": "true"}).content.decode()
    assert 'data-testid="filter-toggle"' in html and 'data-bs-target="#list-filters"' in html
    assert '<span class="badge text-bg-primary" data-testid="filter-count">2</span>' in html
    assert 'class="offcanvas-md offcanvas-end"' in html
    html = client.get(reverse("hazards:ledger")).content.decode()
    assert 'data-testid="filter-count"' not in html


@pytest.mark.parametrize("content", [
    "", "  ", "2026-12-01", " <span class=\"badge\"></span> ", "<a href=\"/h/1/\">YH1</a>", "<b></b>\n<i> </i>",
    '<span title="a > b"></span>', "<span title='x>y'>z</span>", "a < b", "<!-- 注释 --> ", "<!-- a > b -->",
    "&nbsp;", "<br/>", "<br />—", "<td>内</td>", "<", ">", "<?x?>", "<1>", "<span data-x=\"\">&amp;</span>",
])
def test_a_cell_is_empty_exactly_when_django_strip_tags_leaves_nothing(content):
    from django.utils.html import strip_tags

    from core.templatetags.list_cards import _is_empty

    assert _is_empty(content) == (not strip_tags(content).strip())
