"""Section 三 numbers from enforcement.dispatch."""

import datetime
from decimal import Decimal

from django.utils import timezone

from enforcement import dispatch, services

from .helpers import (
    article,
    decided_case,
    entity,
    major_hazard,
    notified_case,
    order_to_correct,
    principal,
    suspension_article,
)


def test_unit_and_region_rows(world):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=7)
    com, emg = world.user("commerce"), world.user("emergency")
    art = article(101, "(五)逾期")
    c1 = notified_case(world)
    order_to_correct(world, c1, 101, "(五)")  # 责令限期改正 before the window (逾期未改正 presupposes it)
    services.decide_penalty(com, c1, party=entity(c1), article=art, amount=150000)
    services.decide_penalty(com, c1, party=principal(c1), article=art, amount=30000)
    services.transfer(com, c1, party=principal(c1), reason="拒不执行", dangerous_ops=True, transfer_to="天津市公安局河北分局")
    services.order_suspension(com, c1, article=suspension_article(), reason="停产整顿")
    services.advance(com, c1, "decide")
    services.resume(com, c1, reason="复查合格")  # the suspension ends before the case closes (art. 65)
    services.advance(com, c1, "close")  # a typical case is published once its case is closed
    services.publish_typical(com, c1, title="某商贸公司一案双罚", summary="……", dangerous_ops=True)
    c2 = notified_case(world, hazard=major_hazard(world))
    services.decide_no_penalty(com, c2)  # not a penalty
    old = notified_case(world)  # outside the window
    services.decide_penalty(com, old, party=entity(old), article=article(102), amount=1000,
                            decided_on=start - datetime.timedelta(days=1))
    c3 = notified_case(world, persona="emergency", ent=world.ent_construction)
    services.decide_penalty(emg, c3, party=entity(c3), article=article(102), amount=20000)
    for kind in ("exposure", "interview"):
        services.add_measure(com, enterprise=world.ent_commerce, kind=kind)
        services.add_measure(emg, enterprise=world.ent_commerce, kind=kind)
    services.record_accountability(world.user("committee"), person_name="某科长", measure="诫勉谈话")
    services.record_notice(world.user("committee"), target=world.org("township0"), kind="notice")

    unit = dispatch.unit_rows(world.org("commerce"), start, today)
    assert unit["3.3"] == 2 and unit["3.3_amount"] == Decimal("18.0000")
    assert (unit["3.4"], unit["3.5"], unit["3.6"], unit["3.7"]) == (1, 1, 1, 1)
    assert (unit["3.8"], unit["3.8_dangerous_ops"], unit["3.9"], unit["3.10"]) == (1, 1, 0, 0)
    committee = dispatch.unit_rows(world.org("committee"), start, today)
    assert committee["3.9"] == 1 and committee["3.10"] == 1 and committee["3.3"] == 0

    region = dispatch.region_rows(world.district, start, today)
    assert region["3.3"] == 3 and region["3.3_amount"] == Decimal("20.0000")
    assert region["3.7"] == 1  # the same enterprise exposed/interviewed by two units counts once
    assert region["3.9"] == 1 and region["3.10"] == 1
    other = dispatch.region_rows(world.ent_other_region.region.parent, start, today)
    assert all(v == 0 for v in other.values())
    later = dispatch.region_rows(world.district, start - datetime.timedelta(days=1), today)
    assert later["3.3"] == 4


def _move(ent, region):
    """The enterprise moves to ``region`` (its place in the register changes; the setup, not the
    subject, of the tests below)."""
    ent.region = region
    ent.set_region_codes(region)
    ent.save(update_fields=["region", "province_code", "city_code", "county_code", "township_code"])


def test_a_case_its_decisions_measures_and_typical_case_stay_where_the_case_was_filed(world):
    """An enterprise that moves to another district takes nothing of its enforcement history with
    it: the case, its decision, the measure and typical case of the case still count in section 三
    of the district where the case was filed, for a week already reported and after the move alike;
    the new district counts none of them, only what happens there after the move. The case keeps
    its number, and the district's officers keep seeing it while the new district's do not."""
    from enforcement.models import Case, Decision, EnterpriseMeasure, TypicalCase

    today = timezone.localdate()
    start = today - datetime.timedelta(days=7)
    com = world.user("commerce")
    case = notified_case(world)
    order_to_correct(world, case, 101, "(五)")  # before the window
    services.decide_penalty(com, case, party=entity(case), article=article(101, "(五)逾期"), amount=150000)
    services.advance(com, case, "decide")
    services.add_measure(com, enterprise=world.ent_commerce, kind="exposure", case=case)
    services.advance(com, case, "close")
    services.publish_typical(com, case, title="某商贸公司案", summary="……")
    number = case.number
    assert number.startswith(f"AJ{world.district.code}-")
    before = dispatch.region_rows(world.district, start, today)
    assert (before["3.3"], before["3.7"], before["3.8"]) == (1, 1, 1)

    new_district = world.ent_other_region.region.parent
    _move(world.ent_commerce, world.ent_other_region.region)
    assert dispatch.region_rows(world.district, start, today) == before
    assert all(v == 0 for v in dispatch.region_rows(new_district, start, today).values())
    assert Case.objects.get(pk=case.pk).number == number
    for model in (Case, Decision, EnterpriseMeasure, TypicalCase):
        assert model.objects.visible_to(world.user("committee")).exists(), model
        assert model.objects.visible_to(world.user("township")).exists(), model
        assert not model.objects.visible_to(world.user("other_region")).exists(), model

    # what happens after the move happens in the new district
    services.add_measure(world.user("other_region"), enterprise=world.ent_commerce, kind="interview")
    assert dispatch.region_rows(new_district, start, today)["3.7"] == 1
    assert dispatch.region_rows(world.district, start, today) == before


def test_the_filing_department_takes_measures_under_its_case_after_the_enterprise_moves(world):
    """约谈 under its own case stays open to the department that filed it when the enterprise has
    moved away, and is placed with the case. Without the case the enterprise is out of its reach;
    a measure under the case is the case's handlers' (another department of the old district, or
    the new district's officers, cannot take one under it)."""
    import pytest

    from core.services import NotPermitted
    from enforcement.models import EnterpriseMeasure

    com = world.user("commerce")
    case = decided_case(world)  # measures under a case follow its decision
    _move(world.ent_commerce, world.ent_other_region.region)
    m = services.add_measure(com, enterprise=world.ent_commerce, kind="interview", case=case)
    assert (m.county_code, m.case_id) == (world.district.code, case.pk)
    for actor, under in ((com, None), (world.user("emergency"), case), (world.user("other_region"), case)):
        with pytest.raises(NotPermitted):
            services.add_measure(actor, enterprise=world.ent_commerce, kind="exposure", case=under)
    assert list(EnterpriseMeasure.objects.values_list("pk", flat=True)) == [m.pk]


def test_a_measure_names_a_case_of_its_own_enterprise_only(world):
    """曝光/约谈 under a case of another enterprise is refused with the field named, nothing written."""
    import pytest

    from core.services import ServiceError
    from enforcement.models import EnterpriseMeasure

    case = notified_case(world, persona="emergency", ent=world.ent_construction)
    with pytest.raises(ServiceError) as exc:
        services.add_measure(world.user("emergency"), enterprise=world.ent_commerce, kind="exposure", case=case)
    assert exc.value.field == "case"
    assert not EnterpriseMeasure.objects.exists()
