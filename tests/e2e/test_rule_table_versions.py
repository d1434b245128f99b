"""Browser: the committee office revises an obligation rule on the rule-table page with an effective
date after today; the history shows version 1 (现行) and version 2 (待施行), and the figure for the day
before the date keeps the old value. Source: seed 002 item 8 (专题研究 每季度 = 3 months)."""

import datetime

import pytest
from django.utils import timezone

from obligations.models import ObligationRule
from obligations.services import rule
from tests.e2e.session import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_committee_revises_a_rule_from_a_future_date(page, live_server, tworld):
    row = ObligationRule.objects.get(code="principal_study_months")
    d = timezone.localdate() + datetime.timedelta(days=7)
    log_in(page, live_server.url, "hb_anweiban")
    page.goto(f"{live_server.url}/rules/obligations/{row.pk}/")
    page.fill("#id_value", "2")
    page.fill("#id_effective_from", d.isoformat())
    page.fill("#id_revision_note", "区安委办文件")
    page.click("[data-testid=save-rule]")
    history = page.locator("[data-testid=rule-history]")
    history.get_by_text("第2版").wait_for()
    text = history.inner_text()
    assert "现行" in text and "待施行" in text and d.isoformat() in text
    assert rule("principal_study_months", d - datetime.timedelta(days=1)) == 3
    assert rule("principal_study_months", d) == 2


def test_committee_revises_a_sectors_drill_period_from_a_future_date(page, live_server, tworld):
    """应急预案管理办法 art. 33: 建筑施工 drills at least half-yearly (6 months); seed 001 asks quarterly
    during the campaign. Revised on the page from next week: today's live period stays 6, an
    enterprise of the sector drills every 6 months the day before and every 3 from that day."""
    from accounts.models import Sector
    from enterprises.models import Enterprise
    from obligations.services import drill_months_for

    sector = Sector.objects.get(code="construction")
    ent = next(e for e in Enterprise.objects.filter(sectors=sector)
               if set(e.sectors.values_list("code", flat=True)) == {"construction"})
    d = timezone.localdate() + datetime.timedelta(days=7)
    log_in(page, live_server.url, "hb_anweiban")
    page.goto(f"{live_server.url}/rules/sector-drills/")
    page.get_by_role("row", name="建筑施工").get_by_role("link", name="修订 / 历史").click()
    page.fill("#id_drill_months", "3")
    page.fill("#id_effective_from", d.isoformat())
    page.fill("#id_revision_note", "专项整治期间每季度至少一次")
    page.click("[data-testid=save-rule]")
    history = page.locator("[data-testid=rule-history]")
    history.get_by_text("第2版").wait_for()
    text = history.inner_text()
    assert "现行" in text and "待施行" in text and d.isoformat() in text
    assert Sector.objects.get(pk=sector.pk).drill_months == 6
    assert drill_months_for(ent, d - datetime.timedelta(days=1)) == 6
    assert drill_months_for(ent, d) == 3
