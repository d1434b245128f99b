"""LEC/LS banding for every band-table version, versioning, factor validation, exports."""

import datetime
import io
from decimal import Decimal

import pytest

from core.services import NotPermitted, ServiceError
from core.testing import exported
from risks import services
from risks.models import BandTable, RiskPoint
from risks.reference import ensure_defaults
from risks.rules import level_for

# (table code, score, expected level): just below / at each boundary
BOUNDARIES = [
    ("lec_a", "19.99", "low"), ("lec_a", "20", "general"), ("lec_a", "69.99", "general"), ("lec_a", "70", "large"),
    ("lec_a", "159.99", "large"), ("lec_a", "160", "major"), ("lec_a", "320", "major"), ("lec_a", "0.05", "low"),
    ("lec_b", "69.99", "low"), ("lec_b", "70", "general"), ("lec_b", "159.99", "general"), ("lec_b", "160", "large"),
    ("lec_b", "319.99", "large"), ("lec_b", "320", "major"), ("lec_b", "0.05", "low"),
    ("ls_common", "8", "low"), ("ls_common", "9", "general"), ("ls_common", "12", "general"), ("ls_common", "15", "large"),
    ("ls_common", "16", "large"), ("ls_common", "20", "major"), ("ls_common", "25", "major"), ("ls_common", "1", "low"),
    ("ls_coal", "3", "low"), ("ls_coal", "4", "general"), ("ls_coal", "9", "general"), ("ls_coal", "10", "large"),
    ("ls_coal", "16", "large"), ("ls_coal", "20", "major"), ("ls_coal", "1", "low"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("code,score,level", BOUNDARIES)
def test_band_boundaries(code, score, level):
    ensure_defaults()
    table = BandTable.objects.get(code=code, version=1)
    assert level_for(Decimal(score), table.bands.values_list("level", "min_score")) == level


LS_COMMON = {1: "low", 2: "low", 3: "low", 4: "low", 5: "low", 6: "low", 8: "low", 9: "general", 10: "general",
             12: "general", 15: "large", 16: "large", 20: "major", 25: "major"}
LS_COAL = {1: "low", 2: "low", 3: "low", 4: "general", 5: "general", 6: "general", 8: "general", 9: "general",
           10: "large", 12: "large", 15: "large", 16: "large", 20: "major", 25: "major"}


@pytest.mark.parametrize("code,expected", [("ls_common", LS_COMMON), ("ls_coal", LS_COAL)])
@pytest.mark.parametrize("l_value", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("s_value", [1, 2, 3, 4, 5])
def test_every_ls_product_for_each_variant(world, code, expected, l_value, s_value):
    point = make_point(world)
    table = BandTable.objects.get(code=code, version=1)
    a = services.assess(None, point, method="ls", factors={"l": l_value, "s": s_value}, table=table)
    assert a.score == l_value * s_value and a.level == expected[l_value * s_value] and a.band_table == table


def make_point(world, code="P-1", ent=None):
    return services.create_risk_point(None, ent or world.ent_commerce, code=code, name="仓库", category="火灾", location="二层",
                                      hazard_factors="可燃物")


def test_lec_stores_factors_score_table_and_level(world):
    point = make_point(world)
    a = services.assess(world.user("enterprise"), point, method="lec", factors={"l": "6", "e": "6", "c": "7"})
    assert (a.factor_l, a.factor_e, a.factor_c, a.score) == (6, 6, 7, Decimal("252"))
    assert a.level == "major" and a.band_table.code == "lec_a" and a.colour == "红"
    point.refresh_from_db()
    assert point.level == "major"
    b = services.assess(None, point, method="lec", factors={"l": 6, "e": 6, "c": 7}, table=BandTable.objects.get(code="lec_b"))
    assert b.level == "large"


@pytest.mark.parametrize("factors,field", [({"l": 4, "e": 6, "c": 7}, "factor_l"), ({"l": 6, "e": 7, "c": 7}, "factor_e"),
                                          ({"l": 6, "e": 6, "c": 8}, "factor_c"), ({"l": "x", "e": 6, "c": 7}, "factor_l"),
                                          ({"e": 6, "c": 7}, "factor_l")])
def test_only_classic_lec_factor_values_are_accepted(world, factors, field):
    with pytest.raises(ServiceError) as exc:
        services.assess(None, make_point(world), method="lec", factors=factors)
    assert exc.value.field == field


def test_ls_range_and_direct_judgement(world):
    point = make_point(world)
    with pytest.raises(ServiceError) as exc:
        services.assess(None, point, method="ls", factors={"l": 6, "s": 1})
    assert exc.value.field == "factor_l"
    with pytest.raises(ServiceError) as exc:
        services.assess(None, point, method="direct", level="major")
    assert exc.value.field == "reason"
    a = services.assess(None, point, method="direct", level="major", reason="涉及重大危险源")
    assert a.band_table is None and a.score is None and a.level == "major"


def test_stored_assessment_keeps_its_colour_after_a_new_band_version(world):
    point = make_point(world)
    old = services.assess(None, point, method="lec", factors={"l": 3, "e": 6, "c": 15})  # 270 → 重大 under lec_a v1
    assert old.level == "major"
    new_table = services.publish_band_table(None, code="lec_a", source="测试：提高重大门槛",
                                            bands=[("major", 320), ("large", 160), ("general", 70), ("low", 0)])
    assert new_table.version == 2 and services.default_table("lec") == new_table
    old.refresh_from_db()
    assert old.level == "major" and old.band_table.version == 1 and old.colour == "红"
    again = services.assess(None, point, method="lec", factors={"l": 3, "e": 6, "c": 15})
    assert again.level == "large" and again.band_table == new_table
    with pytest.raises(NotPermitted):
        services.publish_band_table(world.user("emergency"), code="lec_a", source="x", bands=[])


def test_who_may_create_and_assess(world):
    with pytest.raises(NotPermitted):
        services.create_risk_point(world.user("enterprise_other"), world.ent_commerce, code="X", name="a", category="b",
                                   location="c", hazard_factors="d")
    with pytest.raises(ServiceError) as exc:
        services.create_risk_point(world.user("enterprise"), world.ent_commerce, code="X", name="", category="b",
                                   location="c", hazard_factors="d")
    assert exc.value.field == "name"
    engaged = world.enterprises[11]
    point = make_point(world, ent=engaged)
    assert services.assess(world.user("agency"), point, method="ls", factors={"l": 1, "s": 1}).level == "low"
    with pytest.raises(NotPermitted):
        services.assess(world.user("agency"), make_point(world, code="P-2"), method="ls", factors={"l": 1, "s": 1})
    with pytest.raises(NotPermitted):
        services.assess(world.user("emergency"), point, method="ls", factors={"l": 1, "s": 1})


def test_notification_card_docx_and_register_xlsx(client, world):
    from docx import Document
    from openpyxl import load_workbook

    from risks import demo

    demo.load(world.ctx)
    demo.load(world.ctx)
    assert RiskPoint.objects.count() == 6
    point = RiskPoint.objects.get(code="JJ-01")
    client.force_login(world.user("housing"))
    response = client.get(f"/risks/points/{point.pk}/card.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "安全风险告知卡" in text and "塔吊作业" in text and "重大风险（红色）" in text and "公司级" in text
    assert abs(doc.sections[0].page_width.mm - 210) < 1
    RiskPoint.objects.filter(pk=point.pk).update(review_on=datetime.date(2027, 3, 31))  # 下次评估 on one point
    _job, content = exported(client, "/risks/register.xlsx", {"level": "major"})
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["基础清单", "防控清单", "责任清单", "应急清单"]
    codes = [[row[0] for row in ws.iter_rows(min_row=2, values_only=True)] for ws in wb.worksheets]
    assert codes[0] and all(c == codes[0] for c in codes)  # the same points, in the same order, on every list
    assert _job.summary["rows"] == len(codes[0])
    # numbers and dates stay what they are (Excel sorts and filters them), text stays text
    ws, points = wb["基础清单"], {p.code: p for p in RiskPoint.objects.filter(code__in=codes[0])}
    for (code, *_rest), lon, lat in zip(ws.iter_rows(min_row=2, values_only=True), ws["K"][1:], ws["L"][1:], strict=True):
        p = points[code]
        assert (lon.value, lat.value) == ((float(p.longitude), float(p.latitude)) if p.longitude is not None else (None, None))
        assert lon.data_type == "n" and lat.data_type == "n"
    assert any(p.longitude is not None for p in points.values()) and any(p.review_on for p in points.values())
    control = wb["防控清单"]
    for (code, *_rest), review in zip(control.iter_rows(min_row=2, values_only=True), control["H"][1:], strict=True):
        expected = points[code].review_on
        assert (review.value.date() if review.value is not None else None) == expected and review.is_date == (expected is not None)
    names = {row[1] for row in wb["防控清单"].iter_rows(min_row=2, values_only=True)}
    assert "塔吊作业" in names and "二层仓库" not in names  # 仓库 (270 → 重大) belongs to commerce: not housing's scope
    client.force_login(world.user("committee"))
    html = client.get("/risks/map/").content.decode()
    assert 'data-testid="map-table"' in html and "echarts.min.js" in html
