"""The demo has a designated person who may reveal a whistle-blower's identity, and the reveal is logged."""

import pytest

from core.models import Event, SecurityLog
from core.services import ServiceError
from core.testing import client_as
from tips import demo
from tips.models import Tip


def test_the_demo_leader_reveals_a_named_tip_and_the_reveal_is_logged(client, world):
    demo.load(world.ctx)
    leader = world.user("commerce_lead")
    assert any(u == leader.username and "可查看举报人身份" in r for u, _n, _o, r in world.ctx["logins"])
    tip = Tip.objects.get(content__contains="氨制冷机房")
    client_as(client, world, "commerce")  # the officer handles the tip but may not reveal
    assert "查看身份" not in client.get(f"/tips/{tip.pk}/").content.decode()
    client_as(client, world, "commerce_lead")
    page = client.get(f"/tips/{tip.pk}/").content.decode()
    assert "查看身份" in page and "李女士" not in page
    shown = client.post(f"/tips/{tip.pk}/reveal/").content.decode()
    assert "李女士" in shown and "13820001234" in shown
    assert SecurityLog.objects.filter(user=leader).exists()
    assert Event.objects.filter(verb="tip.identity_revealed", object_id=tip.pk).exists()


def test_an_enterprise_user_can_never_be_designated(world):
    from accounts.services import set_identity_revealer

    with pytest.raises(ServiceError):
        set_identity_revealer(None, world.user("enterprise"), allowed=True)
    assert not world.user("enterprise").has_perm("tips.reveal_identity")
