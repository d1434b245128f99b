"""The ledger's text search reads the exact total and the page in one query (core.lists.OneQueryPaginator,
used on PostgreSQL): every page, every ordering, the total and a page past the end are those of an
independent oracle (Python over all rows) and of the ordinary count + LIMIT pager. The pager's SQL is
portable, so it is checked on SQLite as well; the ledger page itself uses it on PostgreSQL only."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from core.lists import OneQueryPaginator
from core.testing import client_as
from hazards.models import Hazard

from .conftest import make_general

pytestmark = pytest.mark.django_db

TERM = "消防"


def _rows(world, n=23):
    """n hazards, two in three mentioning 消防; first_reported_at repeats in groups of four (ties),
    deadlines in groups of three, two enterprises."""
    start = timezone.now() - datetime.timedelta(days=30)
    today = timezone.localdate()
    for i in range(n):
        text = f"{'消防通道堵塞' if i % 3 else '灭火器过期'}{i}"
        ent = world.ent_commerce if i % 2 else world.ent_commerce2
        h = make_general(world, ent=ent, description=text)
        Hazard.objects.filter(pk=h.pk).update(first_reported_at=start + datetime.timedelta(hours=i // 4),
                                              deadline=today + datetime.timedelta(days=i // 3))


def _oracle(rows, ordering):
    """Python's stable sorts, last key first; the pk breaks the remaining ties (ascending)."""
    out = sorted(rows, key=lambda h: h.pk)
    for name in reversed(ordering):
        field = name.lstrip("-")
        out.sort(key=lambda h: getattr(h, "pk" if field == "id" else field), reverse=name.startswith("-"))
    return [h.pk for h in out]


@pytest.mark.parametrize("ordering", [None, ["deadline"], ["-deadline"], ["deadline", "-first_reported_at"], ["-found_on", "grade"]])
def test_every_page_and_the_total_are_those_of_python_over_all_matching_rows(world, ordering):
    _rows(world)
    qs = Hazard.objects.filter(description__contains=TERM)
    if ordering:
        qs = qs.order_by(*ordering)
    matching = [h for h in Hazard.objects.all() if TERM in h.description]
    expected = _oracle(matching, ordering or ["-first_reported_at", "-id"])
    assert len(expected) == 15
    seen = []
    for number in range(1, 5):
        pager = OneQueryPaginator(qs, 4)
        page = pager.get_page(number)
        assert pager.count == 15 and pager.num_pages == 4 and page.number == number
        seen += [h.pk for h in page.object_list]
    assert seen == expected


def test_the_pages_equal_the_ordinary_pager_with_the_same_tie_break(world):
    _rows(world)
    for ordering in (["enterprise__name", "-first_reported_at"], ["-status", "deadline"]):
        qs = Hazard.objects.filter(description__contains=TERM).order_by(*ordering)
        ordinary = Paginator(qs.order_by(*ordering, "pk"), 6)
        for number in (1, 2, 3):
            one = OneQueryPaginator(qs, 6).get_page(number)
            assert [h.pk for h in one.object_list] == [h.pk for h in ordinary.get_page(number).object_list]


def test_a_page_past_the_end_or_not_a_number_shows_the_last_or_the_first_page(world):
    _rows(world)
    qs = Hazard.objects.filter(description__contains=TERM)
    page = OneQueryPaginator(qs, 4).get_page(99)
    assert page.number == 4 and len(page.object_list) == 3 and page.paginator.count == 15
    page = OneQueryPaginator(qs, 4).get_page("x")
    assert page.number == 1 and len(page.object_list) == 4
    empty = OneQueryPaginator(Hazard.objects.filter(description__contains="不存在"), 4).get_page(1)
    assert empty.paginator.count == 0 and list(empty.object_list) == []
    nothing = OneQueryPaginator(Hazard.objects.none(), 4).get_page(1)  # a user who sees nothing
    assert nothing.paginator.count == 0 and list(nothing.object_list) == []


def test_the_select_related_of_the_list_survives(world, django_assert_num_queries):
    _rows(world, 6)
    qs = Hazard.objects.filter(description__contains=TERM).select_related("enterprise")
    with django_assert_num_queries(2):  # ids + total, then the page's rows with their enterprise
        page = OneQueryPaginator(qs, 50).get_page(1)
        names = [h.enterprise.name for h in page.object_list]
    assert len(names) == 4


def test_the_ledger_search_shows_the_exact_total_and_every_match_once_across_pages(client, world):
    for i in range(62):
        make_general(world, description=f"{'消防栓损坏' if i % 7 else '照明损坏'}{i}")
    client_as(client, world, "commerce")
    expected = [h.number for h in Hazard.objects.all() if TERM in h.description]
    assert len(expected) == 53
    pages = [client.get(f"/hazards/?q={TERM}&page={page}") for page in (1, 2, 9)]
    bodies = [r.content.decode() for r in pages]
    assert all(r.status_code == 200 and "共 53 条" in b for r, b in zip(pages, bodies))
    assert [b.count('data-testid="hazard-row"') for b in bodies] == [50, 3, 3]  # page 9: the last page
    assert all((n in bodies[0]) != (n in bodies[1]) for n in expected)  # each match on exactly one of the two pages


# ------------------------------------------------------------- the walk over the newest rows (PostgreSQL)

def _walk(term=TERM):
    """The list without the text filter and the substring test of one row (what the ledger passes)."""
    from django.db.models import Q

    return Hazard.objects.all(), Q(description__contains=term)


@pytest.mark.postgres
@pytest.mark.parametrize("walk_rows", [2_000, 9, 3])
def test_the_walked_pages_and_total_are_those_of_python_whatever_the_walk_reaches(world, walk_rows):
    """walk_rows 2,000: every page found by walking; 9 and 3: the walk stops before its page is full
    on some pages (or all) and the materialised CTE answers — the pages and total never change."""
    _rows(world)
    qs = Hazard.objects.filter(description__contains=TERM)
    matching = [h for h in Hazard.objects.all() if TERM in h.description]
    expected = _oracle(matching, ["-first_reported_at", "-id"])
    seen = []
    for number in range(1, 5):
        pager = OneQueryPaginator(qs, 4, walk=_walk(), walk_rows=walk_rows)
        page = pager.get_page(number)
        assert pager.count == 15 and pager.num_pages == 4 and page.number == number
        seen += [h.pk for h in page.object_list]
    assert seen == expected


@pytest.mark.postgres
def test_the_walk_reads_the_page_and_the_total_in_one_statement_when_it_fills_the_page(world, django_assert_num_queries):
    _rows(world)
    qs = Hazard.objects.filter(description__contains=TERM).select_related("enterprise")
    with django_assert_num_queries(2) as ctx:  # walk + total, then the page's rows
        page = OneQueryPaginator(qs, 4, walk=_walk()).get_page(1)
        assert len([h.enterprise.name for h in page.object_list]) == 4
    assert "ARRAY(" in ctx.captured_queries[0]["sql"]
    nothing = OneQueryPaginator(qs.filter(description__contains="不存在"), 4, walk=_walk("不存在")).get_page(1)
    assert nothing.paginator.count == 0 and list(nothing.object_list) == []


@pytest.mark.postgres
def test_a_walk_in_another_order_than_the_list_is_not_used(world):
    _rows(world)
    qs = Hazard.objects.filter(description__contains=TERM).order_by("deadline")
    pager = OneQueryPaginator(qs, 4, walk=_walk())
    assert pager.walk is None
    assert [h.pk for h in pager.get_page(1).object_list] == [h.pk for h in Paginator(qs.order_by("deadline", "pk"), 4).get_page(1).object_list]


@pytest.mark.postgres
def test_the_ledger_search_pages_with_other_filters_equal_the_substring_oracle(client, world):
    """The ledger's walk re-applies the page's other filters (here the grade) to the unfiltered rows."""
    for i in range(60):
        h = make_general(world, description=f"{'消防栓损坏' if i % 7 else '照明损坏'}{i}")
        if i % 5 == 0:
            Hazard.objects.filter(pk=h.pk).update(grade="major", basis_reason="基准")
    client_as(client, world, "commerce")
    expected = [h.number for h in Hazard.objects.order_by("-first_reported_at", "-id") if TERM in h.description and h.grade == "general"]
    body = client.get(f"/hazards/?q={TERM}&grade=general").content.decode()
    assert f"共 {len(expected)} 条" in body
    shown = [n for n in expected if f">{n}<" in body]
    assert shown == expected[:50] and body.count('data-testid="hazard-row"') == min(50, len(expected))
