"""The ledger export (hazards.exports.export_ledger) streams tuples instead of model objects; its
cells — read back with openpyxl and the csv module — equal the cells a plain reference function
builds row by row from the model objects, on a corpus covering every variant of every column."""

import csv
import datetime
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Sector
from hazards import services
from hazards.exports import HEADERS, export_ledger, ledger_workbook
from hazards.models import Hazard
from standards.models import Item

FORMULAS = ["=SUM(A1:A2)", "+86 22 1234", "-1", "@cmd", "\t制表符开头", "\r回车开头"]
XML_ILLEGAL = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xFFFE, 0xFFFF))
TODAY = datetime.date(2026, 6, 15)


#: the three classes of a hazard (人的不安全行为、物的不安全状态、管理缺陷), and a registration that did not say
CATEGORY_NAMES = {"behaviour": "人的不安全行为", "state": "物的不安全状态", "management": "管理缺陷", "": "未注明"}


def _reference_row(h: Hazard) -> list:
    """The ledger's columns, computed from the object as a reader of the spec would."""
    open_ = h.status in ("registered", "rectifying", "pending_acceptance")
    return [
        f"YH{h.county_code or '000000'}-{h.pk:07d}", h.enterprise.name, h.enterprise.credit_code, h.sector.name,
        {"general": "一般", "major": "重大"}[h.grade], CATEGORY_NAMES[h.category], h.description, h.location,
        dict(Hazard.Channel.choices)[h.channel], h.found_on, h.deadline, h.original_deadline,
        dict(Hazard.Status.choices)[h.status], "是" if open_ and h.deadline and h.deadline < TODAY else "否",
        h.responsible_person, h.basis_item.code if h.basis_item else "", h.basis_reason,
        _region_name(h.county_code), _region_name(h.township_code), h.county_code, h.township_code, h.closed_at,
    ]


def _region_name(code) -> str:
    from regions.models import Region

    region = Region.objects.filter(code=code).first() if code else None
    return region.name if region else ""


def _strip(text: str) -> str:
    return "".join(ch for ch in text if ch not in XML_ILLEGAL)


def _expected_xlsx(value):
    """(value openpyxl reads, whether the cell carries quote_prefix)."""
    if value is None or value == "":
        return None, False  # an empty cell: no cell written
    if isinstance(value, datetime.datetime):  # a date-time Excel can sort: Beijing time, to the minute
        local = timezone.localtime(value)
        return datetime.datetime(local.year, local.month, local.day, local.hour, local.minute), False
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day), False
    text = _strip(value)
    return text or None, text[:1] in ("=", "+", "-", "@", "\t", "\r")


def _expected_csv(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = _strip(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@pytest.fixture
def corpus(world):
    """Every status × grade × channel, extended deadlines, empty/None fields, hostile text."""
    commerce, construction = Sector.objects.get(code="commerce"), Sector.objects.get(code="construction")
    item = Item.objects.order_by("pk").first()
    assert item is not None
    statuses, channels = list(Hazard.Status.values), list(Hazard.Channel.values)
    n = max(len(statuses) * 2, len(channels), len(FORMULAS) + 2)
    for i in range(n):
        major = i % 2 == 1
        h = services.register_hazard(
            world.user("commerce" if i % 3 else "housing"), enterprise=world.ent_commerce if i % 3 else world.ent_construction,
            sector=commerce if i % 3 else construction, grade="major" if major else "general",
            description=(FORMULAS[i] if i < len(FORMULAS) else f"隐患描述{i}") + ("\x07铃\x1f" if i == 1 else ""),
            basis_reason="可能导致群死群伤" if major else "", deadline=timezone.localdate() + datetime.timedelta(days=30))
        fields = {
            "status": statuses[i % len(statuses)], "channel": channels[i % len(channels)],
            "found_on": TODAY - datetime.timedelta(days=40 + i),
            "deadline": None if i % 5 == 4 else TODAY + datetime.timedelta(days=(i % 3 - 1) * 7),
            "original_deadline": TODAY - datetime.timedelta(days=7) if i % 4 == 0 else None,  # extended
            "location": ["", "=A1", "仓库二层\x0b", "-地下室"][i % 4],
            "category": ["", "behaviour", "state", "management"][(i + 1) % 4],
            "responsible_person": ["", "@张三", "李四"][i % 3],
            "basis_item": item if i % 4 == 1 else None, "township_code": "" if i % 6 == 5 else None,
            "closed_at": (timezone.make_aware(datetime.datetime(2026, 5, 1, 23, 30)) + datetime.timedelta(hours=i, seconds=37, microseconds=5)
                          if statuses[i % len(statuses)] == "closed" else None),
        }
        if fields["township_code"] is None:
            fields.pop("township_code")
        Hazard.objects.filter(pk=h.pk).update(**fields)
    qs = Hazard.objects.select_related("enterprise", "sector", "basis_item").order_by("-first_reported_at", "-id")
    hazards = list(qs)
    # the corpus covers what it claims to
    assert {h.status for h in hazards} == set(statuses) and {h.channel for h in hazards} == set(channels)
    assert {h.grade for h in hazards} == {"general", "major"}
    assert any(h.original_deadline for h in hazards) and any(h.deadline is None for h in hazards)
    assert any(h.basis_item_id for h in hazards) and any(h.closed_at for h in hazards)
    assert any(h.township_code == "" for h in hazards)
    assert {h.category for h in hazards} == set(CATEGORY_NAMES)
    return hazards


@pytest.mark.django_db
def test_xlsx_export_cells_equal_the_reference_built_from_objects(corpus, tmp_path):
    path = tmp_path / "ledger.xlsx"
    assert export_ledger(Hazard.objects.all(), path, "xlsx", today=TODAY) == len(corpus)
    ws = load_workbook(path).active
    rows = list(ws.iter_rows())
    assert [c.value for c in rows[0]] == HEADERS and ws.title == "隐患台账"
    assert len(rows) == 1 + len(corpus)
    for h, cells in zip(corpus, rows[1:], strict=True):
        expected = [_expected_xlsx(v) for v in _reference_row(h)]
        assert [c.value for c in cells] == [v for v, _ in expected], h.pk
        assert [bool(c.quotePrefix) for c in cells] == [q for _, q in expected], h.pk
        assert all(c.data_type != "f" for c in cells)
        dates = [c for c in cells[9:12] if isinstance(c.value, datetime.datetime)]
        assert [c.number_format for c in dates] == ["yyyy-mm-dd"] * len(dates)
        assert cells[21].value is None or cells[21].number_format == "yyyy-mm-dd hh:mm"


@pytest.mark.django_db
def test_csv_export_cells_equal_the_reference_built_from_objects(corpus, tmp_path):
    path = tmp_path / "ledger.csv"
    assert export_ledger(Hazard.objects.all(), path, "csv", today=TODAY) == len(corpus)
    with open(path, encoding="utf-8", newline="") as fh:
        assert fh.read(1) == "\ufeff"
        rows = list(csv.reader(fh))
    assert rows[0] == HEADERS and len(rows) == 1 + len(corpus)
    for h, cells in zip(corpus, rows[1:], strict=True):
        assert cells == [_expected_csv(v) for v in _reference_row(h)], h.pk
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "".join("".join(r) for r in rows))


@pytest.mark.django_db
def test_export_follows_the_filtered_queryset_and_its_order(corpus, tmp_path):
    import io

    majors = Hazard.objects.filter(grade="major").order_by("id")
    data, count = ledger_workbook(majors)
    numbers = [r[0] for r in load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, values_only=True)]
    assert count == len(numbers) == sum(1 for h in corpus if h.grade == "major")
    assert numbers == [f"YH{h.county_code or '000000'}-{h.pk:07d}" for h in sorted(corpus, key=lambda h: h.pk)
                       if h.grade == "major"]


@pytest.mark.django_db
def test_export_reads_the_ledger_in_a_constant_number_of_queries(corpus, tmp_path, django_assert_max_num_queries):
    # sector names + the one streamed query + the region names of each 5,000 rows (+ savepoint noise)
    with django_assert_max_num_queries(4):
        export_ledger(Hazard.objects.all(), tmp_path / "l.xlsx", "xlsx", today=TODAY)


@pytest.mark.django_db
def test_export_of_a_text_search_has_the_rows_of_the_substring_search(corpus, tmp_path):
    from hazards.search import text_filter

    path = tmp_path / "search.csv"
    count = export_ledger(text_filter(Hazard.objects.all(), "隐患描述"), path, "csv", today=TODAY)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        numbers = {r[0] for r in list(csv.reader(fh))[1:]}
    expected = {f"YH{h.county_code or '000000'}-{h.pk:07d}" for h in corpus if "隐患描述" in h.description}
    assert count == len(numbers) and numbers == expected and expected
