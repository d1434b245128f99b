"""公民身份号码 (GB 11643-1999, the 18-digit resident identity number) of a person in a record.

Enforcement counts *persons* (dispatch rows 3.5 移送司法机关 and 3.9 责任倒查追责问责, unit 人): a
name alone merges two people who share it (张伟 is the commonest name in China) and splits one
person whose name was written two ways. Where the number is known the records carry it and the
figures count by it; where it is not, by name (``person_key_sql``).

Validation (``clean``) uses python-stdnum's ``stdnum.cn.ric`` for the ISO 7064 MOD 11-2 check
character and the birth date, and its GB/T 2260 table for the province; plus "born no later than
today". The
number is personal information: pages, exports, events and the API show it masked
(``masked``: the 6-digit region code and the last 4 characters, the birth date hidden)."""

import datetime

from django.utils import timezone
from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric

from core.services import ServiceError

#: 港澳台居民居住证 numbers begin 81 / 82 (香港, 澳门, also in the GB/T 2260 table) and 83 (台湾居民, not in it)
RESIDENCE_PERMIT_PREFIXES = ("83",)


def clean(value: str | None, field: str = "id_number", *, today: datetime.date | None = None) -> str:
    """The number normalised (spaces removed, a trailing x upper-cased), "" when none was given;
    ServiceError naming ``field`` with the reason in Chinese when it is not a valid number.

    The place is checked at the province level only: python-stdnum's county check compares the
    county code with the *birth* year, but 18-digit numbers were assigned from 1999 on (and at first
    registration since) with the code current then — a person born in 1970 in 南京市玄武区 (code
    320102 since 1983) holds a valid 320102 1970… number that ``ric.validate`` refuses; and a county
    code created after the library's table was taken would be refused too."""
    raw = "".join((value or "").split()).upper()
    if not raw:
        return ""
    if len(raw) == 15 and raw.isdigit():
        raise ServiceError("请填写18位公民身份号码（15位的第一代身份证号码已停止使用）。", field)
    if len(raw) != 18:
        raise ServiceError("公民身份号码应为18位。", field)
    if not raw[:17].isdigit() or not (raw[17].isdigit() or raw[17] == "X"):
        raise ServiceError("公民身份号码前17位应为数字，最后一位为数字或X。", field)
    if ric.calc_check_digit(raw) != raw[17]:
        raise ServiceError("公民身份号码校验位不正确，请核对。", field)
    try:
        born = ric.get_birth_date(raw)
    except stdnum_errors.InvalidComponent:
        raise ServiceError("公民身份号码中的出生日期无效。", field)
    if not _known_province(raw[:2]):
        raise ServiceError("公民身份号码中的行政区划代码无效。", field)
    if born > (today or timezone.localdate()):
        raise ServiceError("公民身份号码中的出生日期晚于今天。", field)
    return raw


def _known_province(prefix: str) -> bool:
    """A province-level code of GB/T 2260 (python-stdnum's table) or a residence-permit prefix."""
    if prefix in RESIDENCE_PERMIT_PREFIXES:
        return True
    return any("province" in props for _, props in numdb.get("cn/loc").info(prefix + "0000"))


def masked(value: str | None) -> str:
    """The number with its birth date hidden: "110105********002X" for "11010519491231002X"; "" for none."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def person_key_sql(id_column: str, name_column: str) -> str:
    """SQL: who a record's person is, for COUNT(DISTINCT …): the identity number when recorded,
    else the name (prefixed, so a name can never equal a number). A person recorded once with the
    number and once without counts twice: the number is what identifies a person."""
    return f"(CASE WHEN {id_column} <> '' THEN {id_column} ELSE 'n:' || {name_column} END)"
