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


def test_the_same_file_twice_at_once_is_stored_once(tworld):
    """Two identical uploads at the same moment: the hazard row lock serialises the duplicate
    check, the second one is refused."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.services import ServiceError
    from hazards.evidence import add_attachment, check_upload

    from .conftest import jpeg_bytes

    h = make_major(tworld)
    data = jpeg_bytes(exif=True)
    barrier = threading.Barrier(2)
    results = {}

    def worker(persona):
        try:
            hazard = Hazard.objects.get(pk=h.pk)
            user = tworld.user(persona)
            checked = check_upload(SimpleUploadedFile("p.jpg", data))
            barrier.wait(timeout=10)
            add_attachment(user, hazard, checked, original_name=f"{persona}.jpg")
            results[persona] = "stored"
        except ServiceError as exc:
            results[persona] = "refused" if "已上传过" in exc.message else exc.message
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[persona] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(p,)) for p in ("enterprise", "enterprise_safety")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results.values()) == ["refused", "stored"], results
    assert h.attachments.count() == 1
