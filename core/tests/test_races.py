# ruff: noqa: B023 - each round's closures run and finish (race() joins) before the loop moves on
"""State-keeping actions raced from two database connections (PostgreSQL, marker ``postgres``).

Each race runs ``RACE_ROUNDS`` (default 200) rounds on fresh objects: two threads wait on a
barrier and act at once. Expected: exactly one effect per round, and the event trail records
exactly the effects (events = effects). The oracle is the rule ("one pending request", "one
decision", "one reward per line", "one report per day", "the record locks once"), not the code.
"""

import datetime
import os
import threading

import pytest
from django.db import connection
from django.utils import timezone

from core.models import Event
from core.services import ServiceError

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROUNDS = int(os.environ.get("RACE_ROUNDS", "200"))


def race(first, second) -> list[str]:
    """Run two callables at once on two connections; 'ok' or the refusal's class name each."""
    barrier = threading.Barrier(2)
    results = [None, None]

    def run(i, fn):
        try:
            barrier.wait(timeout=20)
            fn()
            results[i] = "ok"
        except ServiceError as exc:
            results[i] = type(exc).__name__
        except Exception as exc:  # noqa: BLE001 - a 500 in production; reported by the assertion
            results[i] = f"crash:{exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate((first, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def events(obj, verb) -> int:
    return Event.objects.filter(object_type=obj._meta.label_lower, object_id=obj.pk, verb=verb).count()


def _hazard(world):
    """A major hazard being rectified (plan submitted): extensions may be requested."""
    from hazards import services
    from hazards.tests.conftest import PLAN, make_major

    h = make_major(world, days=30)
    services.submit_plan(world.user("enterprise"), h, plan=PLAN)
    h.refresh_from_db()
    return h


def test_extension_decisions_approve_vs_deny(tworld):
    from hazards import services
    from hazards.models import ExtensionRequest, Hazard

    for _ in range(ROUNDS):
        h = _hazard(tworld)
        services.request_extension(tworld.user("enterprise"), h, new_deadline=h.deadline + datetime.timedelta(days=9),
                                   reason="设备到货延迟")
        lead = tworld.user("commerce_lead")
        outcome = race(lambda: services.decide_extension(lead, Hazard.objects.get(pk=h.pk), approve=True),
                       lambda: services.decide_extension(lead, Hazard.objects.get(pk=h.pk), approve=False))
        assert sorted(outcome)[1] == "ok" and sorted(outcome)[0] in ("ServiceError", "StaleState"), outcome
        ext = ExtensionRequest.objects.get(hazard=h)
        h.refresh_from_db()
        assert ext.status in ("approved", "denied") and events(h, "hazard.decide_extension") == 1
        assert h.deadline == (ext.requested_deadline if ext.status == "approved" else ext.old_deadline)


def test_extension_requests_twice_at_once(tworld):
    from hazards import services
    from hazards.models import ExtensionRequest, Hazard

    for _ in range(ROUNDS):
        h = _hazard(tworld)
        ent = tworld.user("enterprise")

        def ask():
            return services.request_extension(ent, Hazard.objects.get(pk=h.pk), reason="设备到货延迟",
                                              new_deadline=h.deadline + datetime.timedelta(days=9))

        outcome = race(ask, ask)
        assert outcome.count("ok") == 1 and not [o for o in outcome if o.startswith("crash")], outcome
        assert ExtensionRequest.objects.filter(hazard=h, status="pending").count() == 1
        assert events(h, "hazard.request_extension") == 1


def test_reward_decision_and_payment(tworld):
    from accounts.models import Sector
    from tips import services
    from tips.models import Reward, RewardPolicy, Tip
    from tips.tests.test_services import run_to_verified

    policy = RewardPolicy.objects.get(code="ordinary")
    commerce = Sector.objects.get(code="commerce")
    officer, lead = tworld.user("commerce"), tworld.user("commerce_lead")
    ent = tworld.ent_commerce
    for _ in range(ROUNDS):
        tip, _code = services.submit_tip(None, region=ent.region, sector=commerce, address="示范路1号", enterprise=ent,
                                         content="仓库堆放货物堵塞疏散通道，安全出口上锁。")
        run_to_verified(tworld, tip)
        outcome = race(lambda: services.decide_reward(officer, Tip.objects.get(pk=tip.pk), policy=policy),
                       lambda: services.decide_reward(officer, Tip.objects.get(pk=tip.pk), policy=policy))
        assert sorted(outcome) == ["ServiceError", "ok"], outcome
        assert Reward.objects.filter(tip=tip).count() == 1 and events(tip, "tip.reward_decided") == 1
        reward = Reward.objects.get(tip=tip)
        services.approve_reward(lead, reward)
        paid_on = timezone.localdate()
        outcome = race(lambda: services.pay_reward(officer, Reward.objects.get(pk=reward.pk), paid_on=paid_on, method="现金"),
                       lambda: services.pay_reward(officer, Reward.objects.get(pk=reward.pk), paid_on=paid_on, method="转账"))
        assert sorted(outcome) == ["ServiceError", "ok"], outcome
        assert events(tip, "tip.reward_paid") == 1


def test_listing_progress_double_submit(tworld):
    from supervision import services
    from supervision.models import Listing, ProgressReport
    from supervision.tests.helpers import listed, major_hazard

    ent = tworld.user("enterprise")
    for i in range(ROUNDS):
        listing = listed(tworld, major_hazard(tworld, description=f"安全出口锁闭（{i}）"))

        def report():
            return services.report_progress(ent, Listing.objects.get(pk=listing.pk), date=timezone.localdate(),
                                            text="已拆除门锁", percentage=50)

        outcome = race(report, report)
        assert sorted(outcome) == ["ServiceError", "ok"], outcome
        assert ProgressReport.objects.filter(listing=listing).count() == 1
        assert events(listing, "listing.report_progress") == 1


def test_two_inspectors_sign_at_once_record_locks_once(tworld):
    from inspections import services
    from inspections.models import Record
    from inspections.tests.factories import record

    a, b = tworld.user("emergency"), tworld.user("emergency2")
    for _ in range(ROUNDS):
        rec = record(tworld, inspectors=("emergency", "emergency2"))
        services.answer_remaining(a, rec)
        outcome = race(lambda: services.sign(a, Record.objects.get(pk=rec.pk)),
                       lambda: services.sign(b, Record.objects.get(pk=rec.pk)))
        assert outcome == ["ok", "ok"], outcome
        rec.refresh_from_db()
        assert rec.status == "locked" and events(rec, "inspection.locked") == 1 and events(rec, "inspection.signed") == 2


def test_dispatch_submissions_get_consecutive_versions(tworld):
    from campaigns import services
    from campaigns.models import Campaign, Submission

    committee = tworld.org("committee")
    start = timezone.localdate() - datetime.timedelta(days=30)
    campaign = Campaign(name="竞态测试行动", issuer=committee, region=tworld.district, start=start,
                        end=start + datetime.timedelta(days=365), first_report_date=start)
    campaign.set_region_codes(tworld.district)
    campaign.save()
    unit, actor = tworld.org("commerce"), tworld.user("commerce")
    for i in range(ROUNDS):
        as_of = timezone.now() - datetime.timedelta(days=7 * (i % 4), minutes=i)
        outcome = race(lambda: services.submit(actor, unit=unit, campaign=campaign, as_of=as_of),
                       lambda: services.submit(actor, unit=unit, campaign=campaign, as_of=as_of))
        assert outcome == ["ok", "ok"], outcome
    versions = {}
    for sub in Submission.objects.filter(campaign=campaign, unit=unit):
        versions.setdefault(sub.week, []).append(sub.version)
    for week, vs in versions.items():
        assert sorted(vs) == list(range(1, len(vs) + 1)), (week, vs)
    assert sum(len(v) for v in versions.values()) == 2 * ROUNDS
    assert Event.objects.filter(verb="campaigns.dispatch_submitted").count() == 2 * ROUNDS
