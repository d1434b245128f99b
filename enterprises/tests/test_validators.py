"""GB 32100 credit code validator and coordinates."""

import pytest

from enterprises.validators import (
    check_character,
    coordinates_error,
    credit_code_error,
    make_credit_code,
    normalise_credit_code,
)

VALID = ["91350100M000100Y43", "91110000600037341L", make_credit_code("91120105MA0000001")]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes(code):
    assert credit_code_error(code) is None


@pytest.mark.parametrize("code, fragment", [
    ("91350100m000100y43", "大写"),  # lower case: the validator refuses, forms/import normalise first
    ("91350100M000100Y4", "18位"),
    ("91350100M000100Y431", "18位"),
    ("", "18位"),
    ("91350100M000100Y44", "校验位"),
    ("91350100M000I00Y43", "非法字符"),
    ("91350100M000O00Y43", "非法字符"),
    ("91350100M000Z00Y43", "非法字符"),
    ("91350100M000S00Y43", "非法字符"),
    ("91350100M000V00Y43", "非法字符"),
    ("913501A0M000100Y43", "行政区划"),
])
def test_invalid_codes(code, fragment):
    assert fragment in credit_code_error(code)


def test_normalise_then_validate():
    assert normalise_credit_code(" 91350100m000 100y43 ") == "91350100M000100Y43"
    assert credit_code_error(normalise_credit_code("91350100m000100y43")) is None


def test_check_character_roundtrip():
    body = "91120105MA0000042"
    assert make_credit_code(body)[-1] == check_character(body)


def test_coordinates():
    assert coordinates_error(None, None) is None
    assert coordinates_error(117.2, 39.1) is None
    assert "同时" in coordinates_error(117.2, None)
    assert "中国境内" in coordinates_error(2.35, 48.85)


@pytest.mark.parametrize("lng, lat", [("东经117度", 39.1), (117.2, "abc"), (True, 39.1), ([117], 39), ("nan", "nan"),
                                      (float("inf"), 39.1), (10**400, 39.1)])
def test_coordinates_that_are_not_numbers_in_china_are_refused_not_raised(lng, lat):
    """From a non-form caller (the service, an import): text, a bool or a list is refused as not a number;
    NaN, infinity and an integer too large for a float are not in China. None of them raises (a ValueError or
    an OverflowError was a 500)."""
    problem = coordinates_error(lng, lat)
    assert problem in ("经度和纬度须为数字。", "坐标不在中国境内（经度73.4–135.1，纬度3.8–53.6）。")
    assert (problem == "经度和纬度须为数字。") is (lng in ("东经117度", True) or lat == "abc" or isinstance(lng, list))
