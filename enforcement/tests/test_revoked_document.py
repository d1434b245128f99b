"""A revoked decision's document is still given out (the file of what was decided) but says at its
head that it was 撤销, on which day and why — a printed copy of a revoked 决定书 must not be served as
in force. The day and reason are the ones the handler gave when revoking (written here, not read
back from the renderer)."""

import datetime

import time_machine
from django.utils import timezone

from enforcement import services
from enforcement.models import Decision

from .helpers import article, entity, notified_case, principal
from .test_transfer_document import _api, _page

REVOKE_REASON = "复核发现违法事实认定有误"


def test_a_revoked_transfer_document_is_marked_revoked_with_its_day_and_reason(client, world):
    handler = world.user("commerce")
    case = notified_case(world)
    decision = services.transfer(handler, case, party=principal(case), reason="涉嫌重大责任事故罪", transfer_to="天津市公安局河北分局")
    client.force_login(handler)
    paragraphs, _ = _page(client, decision)
    assert not any("已撤销" in p for p in paragraphs)

    day = timezone.localdate() + datetime.timedelta(days=2)
    with time_machine.travel(timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))), tick=False):
        services.revoke_decision(handler, Decision.objects.get(pk=decision.pk), reason=REVOKE_REASON)
    decision.refresh_from_db()
    expected = f"【已撤销】本决定已于{day.year}年{day.month:02d}月{day.day:02d}日撤销，不再执行。撤销理由：{REVOKE_REASON}"
    for paragraphs, _ in (_page(client, decision), _api(client, decision)):
        assert expected in paragraphs
        assert paragraphs.index(expected) < paragraphs.index("天津市公安局河北分局：")  # at the head, before the body


def test_a_revoked_penalty_decision_is_marked_too_and_the_others_of_the_case_are_not(client, world):
    """The 行政处罚决定书's renderer (the other path): a fine on the unit revoked, the case's 移送书 kept."""
    handler = world.user("commerce")
    case = notified_case(world)
    kept = services.transfer(handler, case, party=principal(case), reason="涉嫌重大责任事故罪", transfer_to="天津市公安局河北分局")
    fine = services.decide_penalty(handler, case, party=entity(case), article=article(102), amount=10000)
    services.revoke_decision(handler, fine, reason=REVOKE_REASON)
    client.force_login(handler)
    paragraphs = _page(client, fine)[0]
    assert "行政处罚决定书" in paragraphs[:3]
    head = [p for p in paragraphs if p.startswith("【已撤销】")]
    assert len(head) == 1 and REVOKE_REASON in head[0]
    assert paragraphs.index(head[0]) < next(i for i, p in enumerate(paragraphs) if p.startswith("案由："))
    assert not any("已撤销" in p for p in _page(client, kept)[0])


def test_each_revoked_decision_names_its_own_revocation(client, world):
    """Two transfers of one case revoked for different reasons: each document carries its own."""
    handler = world.user("commerce")
    case = notified_case(world)
    first = services.transfer(handler, case, party=principal(case), reason="涉嫌重大责任事故罪", transfer_to="天津市公安局河北分局")
    second = services.transfer(handler, case, party=principal(case), reason="涉嫌危险作业罪", transfer_to="天津市公安局河北分局")
    services.revoke_decision(handler, first, reason="甲理由：证据不足")
    services.revoke_decision(handler, second, reason="乙理由：重复移送")
    client.force_login(handler)
    for decision, own, other in ((first, "甲理由", "乙理由"), (second, "乙理由", "甲理由")):
        head = [p for p in _page(client, decision)[0] if p.startswith("【已撤销】")]
        assert len(head) == 1 and own in head[0] and other not in head[0]
