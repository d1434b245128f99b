"""Five-colour rules at their boundaries, the board page, weekly snapshots, statistics, bulletin, demo."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.models import Sector
from campaigns.board import board, colour
from campaigns.models import BoardRuleSet, BoardSnapshot, Campaign
from core.testing import client_as
from hazards import services as hs

BASE = {"open": 1, "overdue": 0, "max_overdue_days": 0, "min_days_left": 20, "listed_overdue": 0, "rate": "95.0"}


@pytest.mark.parametrize("changes,expected", [
    ({"open": 0, "min_days_left": None, "rate": "100.0"}, "green"),
    ({}, "blue"),
    ({"min_days_left": 8}, "blue"),
    ({"min_days_left": 7}, "yellow"),
    ({"min_days_left": 0}, "yellow"),
    ({"rate": "90.0"}, "blue"),
    ({"rate": "89.9"}, "yellow"),
    ({"overdue": 1, "max_overdue_days": 1}, "orange"),
    ({"overdue": 1, "max_overdue_days": 30}, "orange"),
    ({"overdue": 1, "max_overdue_days": 31}, "red"),
    ({"overdue": 1, "max_overdue_days": 2, "listed_overdue": 1}, "red"),
])
def test_colour_rules_at_their_boundaries(changes, expected):
    assert colour({**BASE, **changes}) == expected


def test_rules_are_configurable():
    fig = {**BASE, "overdue": 1, "max_overdue_days": 31}
    assert colour(fig, {"red_overdue_days": 60}) == "orange"
    assert colour({**BASE, "rate": "85"}, {"target_rate": 80}) == "blue"
    assert colour({**BASE, "overdue": 1, "max_overdue_days": 2, "listed_overdue": 1}, {"listed_overdue_is_red": False}) == "orange"


def _major(world, deadline, persona="enterprise", ent=None):
    return hs.register_hazard(world.user(persona), enterprise=ent or world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                              description="安全出口锁闭", grade="major", basis_reason="重大", deadline=deadline,
                              notify_people=False)


def test_board_colours_townships_from_live_data(world):
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC), tick=False):
        _major(world, datetime.date(2026, 3, 10))  # 光复道: due 03-10
        _major(world, datetime.date(2026, 5, 1), persona="commerce", ent=world.ent_commerce2)  # 望海楼
    items = {i["name"]: i for i in board(world.district, today=datetime.date(2026, 3, 5))}
    assert items["光复道街道"]["colour"] == "yellow" and items["望海楼街道"]["colour"] == "blue"
    assert all(i["colour"] == "green" for n, i in items.items() if n not in ("光复道街道", "望海楼街道"))
    items = {i["name"]: i for i in board(world.district, today=datetime.date(2026, 3, 20))}
    assert items["光复道街道"]["colour"] == "orange" and items["光复道街道"]["rank"] == 1
    items = {i["name"]: i for i in board(world.district, today=datetime.date(2026, 4, 10))}
    assert items["光复道街道"]["colour"] == "red" and items["光复道街道"]["max_overdue_days"] == 31
    BoardRuleSet.objects.create(rules={"red_overdue_days": 45})
    items = {i["name"]: i for i in board(world.district, today=datetime.date(2026, 4, 10), rules=None)}
    assert items["光复道街道"]["colour"] == "orange"


def test_snapshot_board_is_idempotent(world, client):
    import io

    said = [io.StringIO(), io.StringIO()]
    call_command("snapshot_board", "--region", world.district.code, stdout=said[0])
    call_command("snapshot_board", "--region", world.district.code, stdout=said[1])
    n = len(world.townships)
    assert [s.getvalue().strip() for s in said] == [f"本周快照共 {n} 条，本次写入 {n} 条。", f"本周快照共 {n} 条，本次写入 0 条。"]
    assert BoardSnapshot.objects.count() == len(world.townships)
    call_command("snapshot_board")  # every region with a committee office (also the city below the province)
    total = BoardSnapshot.objects.count()
    call_command("snapshot_board")
    assert BoardSnapshot.objects.count() == total
    assert BoardSnapshot.objects.filter(region__parent=world.district).count() == len(world.townships)
    client_as(client, world, "committee")
    html = client.get("/campaigns/board/").content.decode()
    assert 'data-testid="board-history"' in html and "光复道街道" in html
    history = html.split('data-testid="board-history"', 1)[1].split("</table>", 1)[0]
    for code in ("red", "orange", "yellow", "blue", "green"):  # the five colours by their Chinese names only
        assert f">{code}<" not in history
    assert any(f">{name}<" in history for name in "红橙黄蓝绿")


def test_stats_page_and_bulletin(world, client):
    from documents.render import docx_text

    _major(world, datetime.date.today() + datetime.timedelta(days=30))
    client_as(client, world, "committee")
    html = client.get("/campaigns/stats/?grade=major").content.decode()
    assert 'data-testid="by-region-sector"' in html and "光复道街道" in html and 'id="chart-region"' in html
    resp = client.get("/campaigns/bulletin/?year=2026&quarter=4&download=1")
    assert resp.status_code == 200
    text = docx_text(resp.content)
    assert "第4季度" in text and "光复道街道" in text and "整改率" in text
    assert client.get("/campaigns/bulletin/?year=x").status_code == 400
    client_as(client, world, "commerce")  # 商务局 sees only commerce hazards in its statistics
    assert client.get("/campaigns/stats/").status_code == 200


def test_demo_is_idempotent(world):
    from campaigns import demo

    demo.load(world.ctx)
    demo.load(world.ctx)
    assert Campaign.objects.count() == 2
    c = Campaign.objects.get(name__startswith="安全生产治本攻坚")
    assert c.start == datetime.date(2024, 1, 1) and c.phases.count() == 3 and c.target_rate(2026) == 95
    assert list(Campaign.objects.get(name__contains="2023").phases.values_list("name", flat=True)) == [
        "动员部署", "自查自改和督导帮扶", "精准执法", "总结提高"]
    first = board(world.district)[0]["rate"]
    assert first == "—" or Decimal(first) >= 0


def test_admin_pages_load(client, world):
    client_as(client, world, "admin")
    for url in ("/admin/campaigns/campaign/", "/admin/campaigns/boardruleset/", "/admin/campaigns/boardruleset/add/",
                "/admin/campaigns/submission/", "/admin/campaigns/boardsnapshot/"):
        assert client.get(url).status_code == 200, url


def test_regions_with_equal_figures_share_a_rank_and_the_next_rank_skips(world):
    """Chinese bulletins rank equal results together (并列): green townships with nothing reported
    all come last together, after the one with a hazard."""
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC), tick=False):
        _major(world, datetime.date(2026, 5, 1), persona="commerce", ent=world.ent_commerce2)  # 望海楼: blue
    items = board(world.district, today=datetime.date(2026, 3, 5))
    # the oracle: competition ranking over (colour order, overdue, rate), computed here; a region with
    # nothing due has no rate ("—") and nothing late, so it ranks as a full rate would
    order = ["red", "orange", "yellow", "blue", "green"]
    keys = [(order.index(i["colour"]), -i["overdue"], Decimal(100) if i["rate"] == "—" else Decimal(i["rate"]))
            for i in items]
    expected = [1 + sum(1 for other in keys if other < k) for k in keys]
    assert [i["rank"] for i in items] == expected
    assert items[0]["name"] == "望海楼街道" and items[0]["rank"] == 1
    assert len({i["rank"] for i in items[1:]}) == 1 and items[1]["rank"] == 2 and len(items) > 3


def test_a_municipality_office_ranks_its_districts_not_its_single_urban_area(client, world):
    from regions.models import Region

    province = world.org("province_committee").region
    urban = list(province.children.all())
    assert len(urban) == 1  # 天津市 → 市辖区 → districts (the oracle: the region tree itself)
    districts = set(Region.objects.filter(parent=urban[0]).values_list("code", flat=True))
    client_as(client, world, "province")
    items = client.get("/campaigns/board/").context["items"]
    assert {i["code"] for i in items} == districts and len(districts) > 1
    rows = client.get("/campaigns/bulletin/").context["items"]
    assert {i["code"] for i in rows} == districts




@pytest.mark.parametrize("closed_on,expected_rate,expected_colour", [(9, 100, "blue"), (10, 100, "blue"), (12, 0, "yellow")])
def test_a_region_that_closed_a_hazard_late_falls_below_the_target_rate_and_is_yellow(world, closed_on, expected_rate, expected_colour):
    """docs/dispatch.md: with major hazards open, 黄 when 到期整改率 is below target_rate (90 %), 蓝 when all
    are within deadline. 光复道: one major hazard due 03-10 accepted on 03-<closed_on>, another open and
    due 06-30. Closed by the deadline (03-09, 03-10) → 1 of 1 due → 100 %, blue; closed on 03-12 →
    0 of 1 → 0 % < 90 %, yellow (not orange: nothing is overdue)."""
    from campaigns.tests.scenario import PLAN, at

    with at(3, 1):
        h = _major(world, datetime.date(2026, 3, 10))
        _major(world, datetime.date(2026, 6, 30))
    with at(3, closed_on, 8):
        h = hs.submit_plan(world.user("enterprise"), h, plan={**PLAN, "deadline": datetime.date(2026, 3, 10)})
        hs.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
        h.refresh_from_db()
        hs.accept(world.user("commerce_lead"), h, opinion="验收通过")
    item = {i["name"]: i for i in board(world.district, today=datetime.date(2026, 3, 20))}["光复道街道"]
    assert item["open"] == 1 and item["overdue"] == 0 and item["closed"] == 1
    assert Decimal(item["rate"]) == expected_rate and item["colour"] == expected_colour


def test_a_region_with_nothing_open_is_green_whatever_its_past_rate():
    """docs/dispatch.md: 绿 = no open major hazard; the rate clause applies to regions with hazards open."""
    assert colour({**BASE, "open": 0, "min_days_left": None, "rate": "0.0"}) == "green"
