"""The checklist lines of a record through the API: what the record page's line form does, so that
an API-only inspector can record findings on checklist lines (1.6.0)."""

import pytest

from core.testing import client_as
from inspections import services
from inspections.models import RecordItem

from .factories import today

J = "application/json"


@pytest.fixture
def rec(world):
    return services.create_record(world.user("emergency"), enterprise=world.ent_commerce, inspectors=[world.user("emergency")],
                                  inspected_on=today())


def line(rec):
    return rec.items.order_by("pk").first()


def test_lines_are_listed_by_record_and_answered(client, world, rec):
    client_as(client, world, "emergency")
    body = client.get(f"/api/v1/inspections/lines/?record={rec.pk}").json()
    assert body["count"] == rec.items.count() > 0
    item = line(rec)
    r = client.post(f"/api/v1/inspections/lines/{item.pk}/answer/",
                    {"result": "hazard", "note": "安全出口上锁", "grade": "general"}, content_type=J)
    assert r.status_code == 200 and r.json()["result"] == "hazard"
    item.refresh_from_db()
    assert (item.result, item.note, item.grade) == ("hazard", "安全出口上锁", "general")
    assert client.post(f"/api/v1/inspections/lines/{item.pk}/answer/",
                       {"result": "hazard", "note": "安全出口上锁", "grade": "general"}, content_type=J).status_code == 409


def test_a_hazard_needs_its_grade_and_a_major_one_its_deadline(client, world, rec):
    client_as(client, world, "emergency")
    url = f"/api/v1/inspections/lines/{line(rec).pk}/answer/"
    r = client.post(url, {"result": "hazard", "note": "安全出口上锁"}, content_type=J)
    assert r.status_code == 400 and "grade" in r.json()["errors"]
    r = client.post(url, {"result": "hazard", "note": "安全出口上锁", "grade": "major"}, content_type=J)
    assert r.status_code == 400 and "deadline" in r.json()["errors"]
    r = client.post(url, {"result": "na"}, content_type=J)
    assert r.status_code == 400 and "note" in r.json()["errors"]
    r = client.post(url, {"result": "maybe"}, content_type=J)
    assert r.status_code == 400 and "result" in r.json()["errors"]
    assert RecordItem.objects.get(pk=line(rec).pk).result == "pending"


def test_a_signed_record_is_not_changed(client, world, rec):
    services.answer_remaining(world.user("emergency"), rec)
    services.sign(world.user("emergency"), rec)
    client_as(client, world, "emergency")
    r = client.post(f"/api/v1/inspections/lines/{line(rec).pk}/answer/", {"result": "na", "note": "不涉及"}, content_type=J)
    assert r.status_code in (400, 403, 409) and RecordItem.objects.get(pk=line(rec).pk).result == "conform"


@pytest.mark.parametrize("persona", ["other_region", "housing", "enterprise_other", "township_other", "nobody"])
def test_out_of_scope_is_404(client, world, rec, persona):
    client_as(client, world, persona)
    item = line(rec)
    assert client.get(f"/api/v1/inspections/lines/{item.pk}/").status_code == 404
    assert client.post(f"/api/v1/inspections/lines/{item.pk}/answer/", {"result": "conform"}, content_type=J).status_code == 404
    assert RecordItem.objects.get(pk=item.pk).result == "pending"


def test_anonymous_is_refused(client, world, rec):
    item = line(rec)
    assert client.post(f"/api/v1/inspections/lines/{item.pk}/answer/", {"result": "conform"}, content_type=J).status_code in (401, 403)
    assert RecordItem.objects.get(pk=item.pk).result == "pending"
