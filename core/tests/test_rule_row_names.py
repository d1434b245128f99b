"""A rule table's row is named in Chinese wherever a page shows it (the revision page's heading, the
history, the admin), never Django's "DeadlineRule object (1)" — four tables showed that, and the
cost rates showed the code "hazchem" for 危险品生产与储存. Expected names are written here."""

import datetime
import re
from decimal import Decimal

import pytest

from core import ruletables

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_row_of_every_rule_table_has_a_chinese_name():
    checked = 0
    for table in ruletables.TABLES.values():
        for row in table.model_class.objects.all()[:50]:
            name = str(row)
            assert " object (" not in name and CJK.search(name), (table.key, name)
            checked += 1
    assert checked > 100, "the tables hold too few rows to prove anything"


def test_the_names_say_what_the_row_holds():
    from accidents.models import DeadlineRule as AccidentDeadline
    from obligations.models import CostRate, StaffingRule
    from tips.models import DeadlineRule as TipDeadline
    from tips.models import Holiday

    assert str(AccidentDeadline.objects.get(code="report_hours")) == "单位负责人报告时限（小时）：1"
    assert str(TipDeadline(stage="accept", working_days=5)).endswith("：5个工作日")
    assert str(TipDeadline(stage="accept", working_days=60, calendar_days=True)).endswith("：60日")
    assert str(Holiday(date=datetime.date(2025, 10, 8), name="国庆节")) == "2025-10-08 国庆节"
    assert str(Holiday(date=datetime.date(2025, 9, 28), name="国庆节", is_workday=True)) == "2025-09-28 国庆节（调休上班）"
    assert str(StaffingRule(high_risk=True, min_employees=100)) == "高危行业·从业人员100人以上"
    assert str(CostRate(industry="hazchem", method="marginal", lower=Decimal("10000000"), upper=Decimal("100000000"),
                        rate_percent=Decimal("2.250"))) == "危险品生产与储存 超额累退（1000万元以上至1亿元） 2.25%"
    assert str(CostRate(industry="coal", category="高瓦斯矿", method="per_ton", unit_rate=Decimal("30.00"),
                        rate_percent=Decimal("0"))) == "煤炭生产（按原煤产量，元/吨）·高瓦斯矿 每吨30元"


def test_the_revision_page_names_the_row(client, world):
    from accidents.models import DeadlineRule

    row = DeadlineRule.objects.get(code="report_hours")
    client.force_login(world.user("committee"))
    html = client.get(f"/rules/accident-deadlines/{row.pk}/").content.decode()
    assert "修订事故办理时限：单位负责人报告时限（小时）：1" in html
    assert "object (" not in html
