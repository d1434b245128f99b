"""A case is not closed while a 按日连续处罚 still runs. 安全生产法 art. 112: the unit that refuses to
correct is fined "自作出责令改正之日的次日起，按照原处罚数额按日连续处罚" — the daily fine ends with the
correction, so its total (what is executed) is known only once the correction is recorded (登记改正)
or the decision is revoked; until then 结案 is refused. A case closed before this rule, with its daily
fine never corrected, stops accruing on its closing day (page and dispatch 3.3), not on every later
cut-off."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.events import events_for
from core.services import ServiceError
from enforcement import dispatch, services
from enforcement.models import Case

from .helpers import refused_correction


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _running(world, stage="execute"):
    """10,000 元 on the unit with a 责令改正 on day -20 (deadline -15); 按日连续处罚 from day -19, decided
    on day -5, not corrected; the case moved on to 执行 (or left at 决定)."""
    case, daily = refused_correction(world)
    if stage == "execute":
        services.advance(world.user("commerce"), case, "execute")
    return case, daily


@pytest.mark.parametrize("stage", ["decide", "execute"])
def test_a_running_daily_fine_keeps_the_case_open(world, stage):
    case, _ = _running(world, stage)
    before = case.stage
    with pytest.raises(ServiceError) as exc:
        services.advance(world.user("commerce"), case, "close")
    assert exc.value.field == "action" and "按日连续处罚尚未登记改正" in exc.value.message
    case = Case.objects.get(pk=case.pk)
    assert (case.stage, case.closed_on) == (before, None)
    assert not events_for(case).filter(verb="case.close").exists()


def test_once_the_correction_is_recorded_the_case_closes_and_the_total_is_fixed(world):
    """Corrected on day -2: days -19 … -2 = 18 × 10,000 = 180,000 元, before and after closing."""
    case, daily = _running(world)
    services.record_correction(world.user("commerce"), daily, corrected_on=_day(-2))
    services.advance(world.user("commerce"), Case.objects.get(pk=case.pk), "close")
    assert Case.objects.get(pk=case.pk).stage == "closed"
    daily.refresh_from_db()
    assert services.daily_fine_total(daily) == (18, Decimal("180000.00"))


def test_a_revoked_daily_fine_does_not_hold_the_case(world):
    case, daily = _running(world)
    services.revoke_decision(world.user("commerce"), daily, reason="复议撤销")
    services.advance(world.user("commerce"), Case.objects.get(pk=case.pk), "close")
    assert Case.objects.get(pk=case.pk).stage == "closed"


def test_the_page_offers_no_closing_says_why_and_refuses_the_post(client, world):
    case, daily = _running(world)
    client.force_login(world.user("commerce"))
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'data-testid="daily-fine-running"' in page and 'data-testid="action-form-advance"' not in page
    r = client.post(f"/enforcement/cases/{case.pk}/advance/", {"advance-stage_action": "close", "advance-note": ""})
    assert r.status_code == 400 and "按日连续处罚尚未登记改正" in r.content.decode()
    assert Case.objects.get(pk=case.pk).stage == "executing"
    services.record_correction(world.user("commerce"), daily, corrected_on=_day(-1))
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'data-testid="daily-fine-running"' not in page and 'data-testid="action-form-advance"' in page


def test_a_case_closed_before_the_rule_stops_accruing_on_its_closing_day(client, world):
    """Closed on day -2 with the daily fine never corrected (as the old code allowed): days -19 … -2 =
    18 → 180,000 + 10,000 = 19 万元 in 3.3 at today's cut-off and later, not 21 万元 and growing; the
    page shows 18 days. A cut-off before the closing day still sees only what had accrued by then."""
    case, daily = _running(world)
    Case.objects.filter(pk=case.pk).update(stage="closed", closed_on=_day(-2))
    unit = world.org("commerce")
    for cut_off in (_day(0), _day(30)):
        assert dispatch.unit_rows(unit, _day(-30), cut_off)["3.3_amount"] == Decimal("19.0000")
        assert dispatch.region_rows(world.district, _day(-30), cut_off)["3.3_amount"] == Decimal("19.0000")
    assert dispatch.unit_rows(unit, _day(-30), _day(-3))["3.3_amount"] == Decimal("18.0000")
    client.force_login(world.user("commerce"))
    assert "累计18日 180000.00" in client.get(f"/enforcement/cases/{case.pk}/").content.decode()


def test_a_correction_dated_before_the_daily_fine_was_decided_is_refused(world):
    """Art. 112 fines a unit that refuses to correct: a correction on day -8, before the daily fine
    decided on day -5, means there was no refusal on day -5 — the decision is revoked, not corrected."""
    case, daily = _running(world)
    with pytest.raises(ServiceError) as exc:
        services.record_correction(world.user("commerce"), daily, corrected_on=_day(-8))
    assert exc.value.field == "corrected_on" and "撤销" in exc.value.message
    daily.refresh_from_db()
    assert daily.corrected_on is None
    assert not events_for(case).filter(verb="case.corrected").exists()
    services.record_correction(world.user("commerce"), daily, corrected_on=_day(-5))  # on the decision's day: accepted
    daily.refresh_from_db()
    assert daily.corrected_on == _day(-5)
