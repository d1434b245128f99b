"""A typical case published on an outcome that is revoked is withdrawn with it. Seed 000 三(三)2(1)⑤ publishes
typical enforcement cases — an administrative penalty or a 移送 (危险作业罪) in force; once every penalty and
transfer of the case is revoked, nothing it published stands: the typical case is withdrawn (撤回) the day of the
revocation, kept, off the public page, and counted in 3.8 only at cut-offs before that day. A revocation that
leaves an outcome in force withdraws nothing. The hand counts below come from those dates."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from enforcement import dispatch, services
from enforcement.models import TypicalCase

from .helpers import article, entity, notified_case, principal

pytestmark = pytest.mark.django_db


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _published(world):
    """A case fining the unit and its principal (一案双罚), closed and published as a typical case 10 days ago."""
    com = world.user("commerce")
    case = notified_case(world, filed=-30)
    unit = services.decide_penalty(com, case, party=entity(case), article=article(102), amount=20000, decided_on=_day(-20))
    person = services.decide_penalty(com, case, party=principal(case), article=article(94), amount=20000,
                                     decided_on=_day(-20))
    services.advance(com, case, "decide")
    case = services.advance(com, case, "close")
    typical = services.publish_typical(com, case, title="某公司一案双罚", summary="……", dangerous_ops=True,
                                       published_on=_day(0))
    return case, typical, unit, person


def test_revoking_one_of_two_penalties_keeps_the_typical_case(world):
    case, typical, unit, _ = _published(world)
    services.revoke_decision(world.user("commerce"), unit, reason="复议撤销")
    typical.refresh_from_db()
    assert typical.withdrawn_on is None
    from core.events import events_for

    assert not events_for(case).filter(verb="case.typical_withdrawn").exists()


def test_revoking_the_last_penalty_withdraws_it_keeps_it_and_records_it(client, world):
    case, typical, unit, person = _published(world)
    services.revoke_decision(world.user("commerce"), unit, reason="复议撤销")
    services.revoke_decision(world.user("commerce"), person, reason="复议撤销")
    typical.refresh_from_db()
    assert (typical.withdrawn_on, typical.withdrawal_reason) == (_day(0), "所公布的处理决定已撤销")
    from core.events import events_for

    last = events_for(case).filter(verb="case.revoked").order_by("-pk").first()
    assert last.data["typical_withdrawn"] == [typical.pk]
    # the withdrawal is a state change of its own: one event, by the officer who revoked, naming the row and day
    own = list(events_for(case).filter(verb="case.typical_withdrawn"))
    assert [(e.actor, e.data["typical"], e.data["withdrawn_on"]) for e in own] == [
        (world.user("commerce"), [typical.pk], _day(0).isoformat())]
    # off the public page, kept on the officers' list with its withdrawal, in the API with its date
    assert "某公司一案双罚" not in client.get("/public/supervision/").content.decode()
    client.force_login(world.user("commerce"))
    assert "撤回典型执法案例" in client.get(f"/enforcement/cases/{case.pk}/").content.decode()  # the case's history
    page = client.get("/enforcement/typical/").content.decode()
    assert "某公司一案双罚" in page and 'data-testid="typical-withdrawn"' in page
    row = client.get(f"/api/v1/typical-cases/{typical.pk}/").json()
    assert row["withdrawn_on"] == _day(0).isoformat() and row["withdrawal_reason"] == "所公布的处理决定已撤销"


def test_a_published_typical_case_is_on_the_public_page_until_withdrawn(client, world):
    _published(world)
    assert "某公司一案双罚" in client.get("/public/supervision/").content.decode()


def test_section_three_counts_it_at_cut_offs_before_its_withdrawal_only(world):
    """Published today, withdrawn 3 days later: the table up to day +2 counts 1 (3.8 and its 其中 危险作业罪), the
    table up to day +3 and later counts 0."""
    case, typical, unit, person = _published(world)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        services.revoke_decision(world.user("commerce"), unit, reason="复议撤销")
        services.revoke_decision(world.user("commerce"), person, reason="复议撤销")
    typical.refresh_from_db()
    assert typical.withdrawn_on == _day(3)
    for cut_off, expected in ((_day(0), 1), (_day(2), 1), (_day(3), 0), (_day(10), 0)):
        rows = dispatch.region_rows(world.district, _day(-5), cut_off)
        assert (rows["3.8"], rows["3.8_dangerous_ops"]) == (expected, expected), cut_off
        unit_rows = dispatch.unit_rows(world.org("commerce"), _day(-5), cut_off)
        assert unit_rows["3.8"] == expected, cut_off
    assert TypicalCase.objects.filter(pk=typical.pk).exists()
