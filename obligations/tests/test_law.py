"""Frequencies and cost rates as the texts say them.

Sources: seed 002 item 8 (主要负责人每季度带队检查1次并组织专题研究1次，高危行业领域每月至少1次);
seed 002 item 18 and 应急预案管理办法 art. 33 (RULES.md §6: drills at least half-yearly for high-risk
sectors and crowded venues); 财资〔2022〕136号 (RULES.md §5: coal 50/30/15/5 元/t, non-coal metal
open-pit 5 / underground 15, non-metal 3 / 8, small quarries 2, nuclear 25)."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import Sector
from obligations import services
from obligations.summary import obligation_summary

D = datetime.date


def _study(world, ent, on):
    services.record_principal_check(None, ent, kind="study", held_on=on, leader="甲", participants="乙")


def test_study_frequency_quarterly_and_monthly_for_high_risk(world):
    """seed 002 item 8: 专题研究 every quarter; high-risk sectors every month."""
    assert services.principal_study_months(world.ent_commerce) == 3
    assert world.ent_construction.high_risk and services.principal_study_months(world.ent_construction) == 1


@pytest.mark.parametrize("today,status", [
    (D(2025, 6, 30), "ok"),   # last day of the quarter of the study
    (D(2025, 7, 1), "due"),   # first day of the next quarter: due again
    (D(2025, 10, 1), "overdue"),  # a whole quarter missed
])
def test_quarterly_study_boundaries(world, today, status):
    """seed 002 item 8: once per quarter — a study on 2025-04-15 covers Q2 only."""
    _study(world, world.ent_commerce, D(2025, 4, 15))
    item = next(i for i in obligation_summary(world.ent_commerce, today)["items"] if i["key"] == "principal_study")
    assert item["status"] == status


@pytest.mark.parametrize("today,status", [(D(2025, 4, 30), "ok"), (D(2025, 5, 1), "due"), (D(2025, 6, 1), "overdue")])
def test_monthly_study_boundaries_for_high_risk(world, today, status):
    """seed 002 item 8: high-risk sectors at least once a month."""
    _study(world, world.ent_construction, D(2025, 4, 15))
    item = next(i for i in obligation_summary(world.ent_construction, today)["items"] if i["key"] == "principal_study")
    assert item["status"] == status


@pytest.mark.parametrize("code", ["hazchem", "road_transport", "construction", "coal", "noncoal_mine", "metallurgy",
                                  "commerce", "tourism", "campus", "hospital"])
def test_half_yearly_drills_for_high_risk_and_crowded_venues(db, code):
    """应急预案管理办法 art. 33 / seed 002 item 18: 高危行业领域每半年至少一次; crowded venues too."""
    assert Sector.objects.get(code=code).drill_months == 6


@pytest.mark.parametrize("industry,category,tonnes,expected", [
    ("coal", "煤与瓦斯突出矿井、冲击地压矿井", 1000, "50000.00"),
    ("coal", "高瓦斯矿井、水文地质类型复杂和极复杂矿井、容易自燃煤层矿井", 1000, "30000.00"),
    ("coal", "其他井工矿", 1000, "15000.00"),
    ("coal", "露天矿", 1000, "5000.00"),
    ("noncoal_mine", "金属矿山（露天）", 100, "500.00"),
    ("noncoal_mine", "金属矿山（井工）", 100, "1500.00"),
    ("noncoal_mine", "非金属矿山（露天）", 100, "300.00"),
    ("noncoal_mine", "非金属矿山（井工）", 100, "800.00"),
    ("noncoal_mine", "小型露天采石场", 100, "200.00"),
    ("noncoal_mine", "核工业矿山", 100, "2500.00"),
])
def test_per_ton_safety_cost_rates(db, industry, category, tonnes, expected):
    """财资〔2022〕136号 (RULES.md §5): coal and non-coal per-ton rates."""
    table = services.current_cost_table()
    assert services.compute_required_cost(table, industry, category, Decimal(tonnes)) == Decimal(expected)


def test_per_ton_needs_a_known_category(db):
    table = services.current_cost_table()
    assert services.compute_required_cost(table, "coal", "不存在的类别", Decimal(1000)) is None
