"""Two officers accept the same pending hazard at once (PostgreSQL): exactly one wins."""

import threading

import pytest
from django.db import connection

from core.models import Event
from core.services import StaleState
from hazards import services
from hazards.models import Hazard

from .conftest import PLAN, make_major

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_acceptors_exactly_one_wins(tworld):
    h = make_major(tworld)
    services.submit_plan(tworld.user("enterprise"), h, plan=PLAN)
    services.submit_completion(tworld.user("enterprise"), h, evidence_note="已整改")
    barrier = threading.Barrier(2)
    results = {}

    def worker(persona):
        try:
            hazard = Hazard.objects.get(pk=h.pk)
            user = tworld.user(persona)
            barrier.wait(timeout=10)
            services.accept(user, hazard, opinion=persona)
            results[persona] = "won"
        except StaleState:
            results[persona] = "stale"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[persona] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(p,)) for p in ("commerce", "commerce_lead")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results.values()) == ["stale", "won"], results
    assert Event.objects.filter(object_type="hazards.hazard", object_id=h.pk, verb="hazard.accept").count() == 1
    h.refresh_from_db()
    assert h.status == "closed" and h.acceptances.get().decision == "accepted"
