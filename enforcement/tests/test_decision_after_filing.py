"""A decision is never dated before its case was filed: 行政处罚法 (2021) 第五十四条 files the case
(立案) and only then investigates; 第五十七条 decides after the investigation. A 决定日期 before the 立案日期
is a typing error that would put the decision in a dispatch week before the case existed — refused on
the field, nothing written. The filing day itself is a valid decision day (a case filed and decided
on the spot)."""

import datetime

import pytest
from django.utils import timezone

from core.services import ServiceError
from enforcement import services
from enforcement.models import Decision

from .helpers import article, entity, notified_case, principal, suspension_article

pytestmark = pytest.mark.django_db
FILED = -5


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _writers(world, case):
    actor = world.user("commerce")
    return {
        "penalty": lambda day: services.decide_penalty(actor, case, party=entity(case), article=article(102),
                                                       amount=1000, decided_on=day),
        "suspension": lambda day: services.order_suspension(actor, case, article=suspension_article(),
                                                            reason="重大事故隐患未消除", decided_on=day),
        "transfer": lambda day: services.transfer(actor, case, party=principal(case), reason="涉嫌危险作业罪",
                                                  transfer_to="天津市公安局河北分局", decided_on=day),
        "no_penalty": lambda day: services.decide_no_penalty(actor, case, reason="违法行为轻微并及时改正", decided_on=day),
    }


@pytest.mark.parametrize("kind", ["penalty", "suspension", "transfer", "no_penalty"])
def test_a_decision_dated_before_the_filing_day_is_refused_and_nothing_is_written(world, kind):
    case = notified_case(world, filed=FILED)
    with pytest.raises(ServiceError) as err:
        _writers(world, case)[kind](_day(FILED - 1))
    assert err.value.field == "decided_on"
    assert f"不能早于立案日期（{_day(FILED):%Y-%m-%d}）" in err.value.message
    assert not Decision.objects.filter(case=case).exists()
    assert _writers(world, case)[kind](_day(FILED)).decided_on == _day(FILED)  # the filing day itself


def test_the_page_names_the_field_and_the_filing_day(client, world):
    case = notified_case(world, filed=FILED)
    client.force_login(world.user("commerce"))
    r = client.post(f"/enforcement/cases/{case.pk}/penalty/", {
        "penalty-party": entity(case).pk, "penalty-article": article(102).pk, "penalty-amount": "1000",
        "penalty-decided_on": _day(FILED - 1).isoformat()})
    assert r.status_code == 400
    html = r.content.decode()
    assert 'data-field="decided_on"' in html and f"不能早于立案日期（{_day(FILED):%Y-%m-%d}）" in html
    assert not Decision.objects.filter(case=case).exists()


def test_a_measure_of_the_case_is_not_dated_before_its_filing_nor_a_typical_case_before_its_closing(world):
    """曝光 / 约谈 / 联合惩戒 under a case follow its filing; a typical case is published once the case is
    closed (seed 000 三(三)2(1)⑤ publishes 典型执法案例 from the enforcement done)."""
    from enforcement.models import EnterpriseMeasure, TypicalCase

    actor = world.user("commerce")
    case = notified_case(world, filed=FILED)
    services.decide_penalty(actor, case, party=entity(case), article=article(102), amount=1000, decided_on=_day(FILED))
    case = services.advance(actor, case, "decide")
    with pytest.raises(ServiceError) as err:
        services.add_measure(actor, enterprise=case.enterprise, kind="interview", case=case, date=_day(FILED - 1))
    assert err.value.field == "date" and f"不能早于立案日期（{_day(FILED):%Y-%m-%d}）" in err.value.message
    assert not EnterpriseMeasure.objects.filter(case=case).exists()
    assert services.add_measure(actor, enterprise=case.enterprise, kind="interview", case=case,
                                date=_day(FILED)).date == _day(FILED)
    case = services.advance(actor, services.advance(actor, case, "execute"), "close")  # closed today
    with pytest.raises(ServiceError) as err:
        services.publish_typical(actor, case, title="典型案例", summary="简介", published_on=_day(-1))
    assert err.value.field == "published_on" and f"不能早于结案日期（{_day(0):%Y-%m-%d}）" in err.value.message
    assert not TypicalCase.objects.filter(case=case).exists()
    assert services.publish_typical(actor, case, title="典型案例", summary="简介").published_on == _day(0)
