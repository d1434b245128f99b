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


def test_two_hazards_merged_into_each_other_at_once_end_as_one_merge_and_one_refusal(tworld, monkeypatch):
    """A into B and B into A at the same instant: each merge locks both rows in id order, so the second
    waits for the first and is then refused (its survivor is merged away) — no deadlock, nothing half
    written. Both merges are held at their decision (under their locks) until the other arrives or 3 s
    pass: a merge that locked only its survivor would hold one row each there and deadlock."""
    from core.services import ServiceError
    from hazards import dedupe

    from .conftest import make_general

    a = make_general(tworld, description="疏散指示标志损坏")
    b = make_general(tworld, description="疏散指示标志损坏（重复登记）")
    barrier = threading.Barrier(2, timeout=3)
    decide = dedupe.merge_refusal

    def held_decision(hazard, into):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        return decide(hazard, into)

    monkeypatch.setattr(dedupe, "merge_refusal", held_decision)
    results = {}

    def worker(persona, pk, into_pk):
        try:
            dedupe.merge(tworld.user(persona), Hazard.objects.get(pk=pk), into=Hazard.objects.get(pk=into_pk),
                         reason="同一隐患重复登记")
            results[persona] = "merged"
        except ServiceError as exc:
            results[persona] = "refused" if exc.message == "目标隐患已合并或作废。" else exc.message
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below (a deadlock lands here)
            results[persona] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=("commerce", a.pk, b.pk)),
               threading.Thread(target=worker, args=("commerce_lead", b.pk, a.pk))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results.values()) == ["merged", "refused"], results
    statuses = sorted(Hazard.objects.filter(pk__in=(a.pk, b.pk)).values_list("status", flat=True))
    assert statuses == ["merged", "registered"]
    assert Event.objects.filter(verb="hazard.merge", object_id__in=(a.pk, b.pk)).count() == 1
    assert Event.objects.filter(verb="hazard.merged_in", object_id__in=(a.pk, b.pk)).count() == 1
