"""Pure rules: periods, drill frequency by sector, certificate dates, safety-cost bands."""

import datetime
from decimal import Decimal

import pytest

from obligations import rules

D = datetime.date


@pytest.mark.parametrize("day,months,bounds", [
    (D(2026, 5, 17), 1, (D(2026, 5, 1), D(2026, 5, 31))),
    (D(2026, 5, 17), 3, (D(2026, 4, 1), D(2026, 6, 30))),
    (D(2026, 5, 17), 6, (D(2026, 1, 1), D(2026, 6, 30))),
    (D(2026, 12, 31), 12, (D(2026, 1, 1), D(2026, 12, 31))),
])
def test_period_bounds(day, months, bounds):
    assert rules.period_bounds(day, months) == bounds


def test_periodic_status_ok_due_overdue():
    today = D(2026, 5, 17)
    assert rules.periodic_status([D(2026, 4, 2)], today, 3)[0] == rules.OK
    assert rules.periodic_status([D(2026, 2, 2)], today, 3)[0] == rules.DUE
    assert rules.periodic_status([D(2025, 12, 2)], today, 3)[0] == rules.OVERDUE
    assert rules.periodic_status([], today, 3)[0] == rules.OVERDUE
    assert rules.periodic_status([D(2026, 6, 1)], today, 3)[0] == rules.OVERDUE  # future dates do not count


def test_monthly_versus_quarterly_principal_checks():
    today = D(2026, 5, 17)
    last = [D(2026, 4, 10)]
    assert rules.periodic_status(last, today, 1)[0] == rules.DUE  # monthly: April done, May pending
    assert rules.periodic_status(last, today, 3)[0] == rules.OK  # quarterly: Q2 done
    assert rules.periodic_status([D(2026, 3, 10)], today, 1)[0] == rules.OVERDUE


def test_certificate_dates_six_years_review_three():
    expires, review = rules.certificate_dates(D(2020, 3, 1), None, 6, 3)
    assert expires == D(2026, 2, 28) and review == D(2023, 3, 1)
    expires, review = rules.certificate_dates(D(2020, 3, 1), D(2023, 2, 1), 6, 3)
    assert review == D(2026, 2, 1)
    assert rules.certificate_status(D(2026, 2, 28), D(2026, 2, 1), D(2026, 1, 1), 60) == rules.DUE
    assert rules.certificate_status(D(2026, 2, 28), D(2026, 2, 1), D(2026, 2, 2), 60) == rules.OVERDUE


def test_drill_months_takes_the_strictest_sector():
    assert rules.drill_months([12, 3]) == 3
    assert rules.drill_months([]) == 12


WAN = Decimal(10_000)
HAZ = [("marginal", 0, 1000 * WAN, "4.5"), ("marginal", 1000 * WAN, 10_000 * WAN, "2.25"),
       ("marginal", 10_000 * WAN, 100_000 * WAN, "0.55"), ("marginal", 100_000 * WAN, None, "0.2")]


@pytest.mark.parametrize("base_wan,required_wan", [
    (0, "0"), (500, "22.5"), (1000, "45"), (1001, "45.0225"), (10_000, "247.5"), (20_000, "302.5"),
    (100_000, "742.5"), (200_000, "942.5"),
])
def test_hazardous_goods_marginal_bands(base_wan, required_wan):
    assert rules.required_cost(Decimal(base_wan) * WAN, HAZ) == (Decimal(required_wan) * WAN).quantize(Decimal("0.01"))


def test_flat_rate_and_staffing():
    assert rules.required_cost(Decimal(1_000_000), [("flat", 0, None, "3")]) == Decimal("30000.00")
    rule = rules.Staffing(True, 2, 2)
    assert rules.staffing_problems(rule, False, 1, 0) == ["未设置安全管理机构", "专职安全管理人员不足（应不少于2人）",
                                                          "未配备安全管理人员（应不少于2人）"]
    assert rules.staffing_problems(rules.Staffing(False, 0, 1), False, 0, 1) == []
