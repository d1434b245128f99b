"""GB 32100-2015 unified social credit code (统一社会信用代码) validation."""

from django.core.exceptions import ValidationError

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=False))
    return CHARSET[(31 - total % 31) % 31]


def credit_code_error(code: str) -> str | None:
    """Why ``code`` is not a valid credit code, or None if it is."""
    if not isinstance(code, str) or len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code) if isinstance(code, str) else 0}位。"
    if code != code.upper():
        return "统一社会信用代码中的字母应为大写。"
    bad = [ch for ch in code if ch not in CHARSET]
    if bad:
        return f"统一社会信用代码含非法字符“{bad[0]}”（不使用I、O、Z、S、V）。"
    if not code[2:8].isdigit():
        return "统一社会信用代码第3至8位应为登记管理机关行政区划码（数字）。"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误（应为{expected}）。"
    return None


def validate_credit_code(code: str) -> None:
    error = credit_code_error(code)
    if error:
        raise ValidationError(error, code="credit_code")


def normalise_credit_code(value: str) -> str:
    """What forms and imports do before validating: trim, drop inner spaces, upper-case."""
    return "".join((value or "").split()).upper()


def make_credit_code(body17: str) -> str:
    """Complete 17 characters with their check character (demo data, generators, tests)."""
    return body17 + check_character(body17)


# China's bounding box (incl. islands): coordinates outside are refused.
CHINA_BOUNDS = (73.4, 135.1, 3.8, 53.6)  # lng min, lng max, lat min, lat max


def coordinates_error(lng, lat) -> str | None:
    if lng is None and lat is None:
        return None
    if lng is None or lat is None:
        return "经度和纬度须同时填写。"
    lng_min, lng_max, lat_min, lat_max = CHINA_BOUNDS
    try:  # a non-form caller may send text ("东经117度"), a bool or a list: refused, never a ValueError
        if isinstance(lng, bool) or isinstance(lat, bool):
            raise TypeError
        lng, lat = float(lng), float(lat)
    except (TypeError, ValueError):
        return "经度和纬度须为数字。"
    except OverflowError:  # an integer beyond a float: a number, far outside China
        lng, lat = float("inf"), float("inf")
    if not (lng_min <= lng <= lng_max and lat_min <= lat <= lat_max):  # NaN compares false: refused too
        return "坐标不在中国境内（经度73.4–135.1，纬度3.8–53.6）。"
    return None
