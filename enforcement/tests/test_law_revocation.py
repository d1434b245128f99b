"""撤销 (revocation) of a decision, found by an audit of enforcement: a revoked 责令停产停业整顿
decision no longer binds the enterprise, so the suspension it imposed ends (a revoked decision has
no effect; 安全生产法 art. 65 suspends until the danger is removed — it gives no ground to keep a
unit suspended once the order itself is revoked)."""

import datetime

import pytest
from django.utils import timezone

from core.models import Event
from core.services import ServiceError
from enforcement import services
from enforcement.models import Decision
from enterprises.models import Enterprise

from .helpers import notified_case, order_to_correct, suspension_article

pytestmark = pytest.mark.django_db


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_revoking_a_suspension_ends_it(world):
    """A revoked 责令停产停业整顿 decision no longer binds: the enterprise operates again, with an event
    for the revocation and one for the status; it cannot be revoked twice, nor 复产 follow it."""
    actor = world.user("commerce")
    case = notified_case(world)
    suspension = services.order_suspension(actor, case, article=suspension_article(), reason="重大事故隐患未消除", decided_on=_day(-3))
    assert Enterprise.objects.get(pk=world.ent_commerce.pk).status == Enterprise.Status.SUSPENDED
    with pytest.raises(ServiceError) as err:
        services.revoke_decision(actor, suspension, reason=" ")
    assert err.value.field == "reason"
    services.revoke_decision(actor, suspension, reason="复议决定撤销")
    assert Decision.objects.get(pk=suspension.pk).status == Decision.Status.REVOKED
    assert Enterprise.objects.get(pk=world.ent_commerce.pk).status == Enterprise.Status.OPERATING
    revoked = Event.objects.get(verb="case.revoked")
    assert revoked.data["suspension_lifted"] is True and revoked.note == "复议决定撤销"
    assert Event.objects.filter(verb="enterprise.status", to_state="operating").exists()
    with pytest.raises(ServiceError, match="已撤销"):
        services.revoke_decision(actor, Decision.objects.get(pk=suspension.pk), reason="再次撤销")


def test_revoke_form_on_the_case_page(client, world):
    actor = world.user("commerce")
    case = notified_case(world)
    suspension = services.order_suspension(actor, case, article=suspension_article(), reason="重大事故隐患未消除")
    client.force_login(actor)
    assert 'data-testid="action-form-revoke"' in client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    r = client.post(f"/enforcement/cases/{case.pk}/revoke/", {"revoke-decision": suspension.pk, "revoke-reason": "撤销"})
    assert r.status_code == 302
    assert Enterprise.objects.get(pk=world.ent_commerce.pk).status == Enterprise.Status.OPERATING
    assert 'data-testid="revoked"' in client.get(f"/enforcement/cases/{case.pk}/").content.decode()


def test_a_fine_under_a_daily_fine_is_revoked_after_it(world):
    """按日连续处罚 (art. 112) rests on the original fine: that fine is revoked only once the daily fine is."""
    actor = world.user("commerce")
    case = notified_case(world)
    base = order_to_correct(world, case, 102, ordered=-10, deadline=-3, amount=20000)
    services.advance(actor, case, "decide")
    daily = services.daily_fine(actor, case, base=base, reason="复查仍未改正")
    with pytest.raises(ServiceError, match="按日连续处罚") as err:
        services.revoke_decision(actor, base, reason="撤销")
    assert err.value.field == "decision"
    services.revoke_decision(actor, daily, reason="撤销")
    services.revoke_decision(actor, Decision.objects.get(pk=base.pk), reason="撤销")
    assert not Decision.objects.filter(case=case, status=Decision.Status.EFFECTIVE).exists()
