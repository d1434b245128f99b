"""core.services.bounded_decimal: the one check of a decimal a caller sends to a service."""

from decimal import Decimal

import pytest

from core.services import ServiceError, bounded_decimal


@pytest.mark.parametrize("value, expected", [
    ("12.345", Decimal("12.35")),  # 四舍五入, not banker's rounding (12.34)
    (" 0.005 ", Decimal("0.01")),
    (7, Decimal("7.00")),
    ("100", Decimal("100.00")),
])
def test_a_number_within_the_bounds_is_rounded_half_up(value, expected):
    assert bounded_decimal(value, "funds", "治理资金", high=100) == expected


@pytest.mark.parametrize("value, message", [
    ("abc", "治理资金须为数字。"), (None, "治理资金须为数字。"), ("NaN", "治理资金须为数字。"),
    ("1e400", "治理资金不能超过100万元。"), ("Infinity", "治理资金须为数字。"),
    ("-0.01", "治理资金不能为负数。"), ("100.01", "治理资金不能超过100万元。"),
])
def test_anything_else_is_refused_on_its_field_in_chinese(value, message):
    with pytest.raises(ServiceError) as refusal:
        bounded_decimal(value, "funds", "治理资金", high=100, unit="万元")
    assert (refusal.value.field, str(refusal.value)) == ("funds", message)


def test_a_range_below_zero_names_both_ends():
    assert bounded_decimal("-179.9999995", "longitude", "经度", low=-180, high=180, places="0.000001") == Decimal("-180.000000")
    with pytest.raises(ServiceError, match="经度须在-180至180之间"):
        bounded_decimal("180.5", "longitude", "经度", low=-180, high=180)
