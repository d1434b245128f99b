"""The API as a contract: JSON-only bodies (a garbled body is 400 and changes nothing), one error
shape, 401 with WWW-Authenticate, JSON 404 for unknown paths, tokens with expiry / refresh /
revocation, throttling, Idempotency-Key, ETag / If-Match and 409 for a repeated action."""

import datetime
import re

import pytest
import yaml
from django.urls import resolve
from django.utils import timezone

from core.models import Event
from core.testing import client_as
from hazards.models import Hazard

pytestmark = pytest.mark.django_db
J = "application/json"
GARBLED = [
    (b'{"reason": "x", "mode": ', J),  # truncated JSON
    (b"\xff\xfe\x00garbage", J),  # not even UTF-8
    (b"--xx\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\nx", "multipart/form-data; boundary=xx"),
    (b"reason=x&mode=on_site", "application/x-www-form-urlencoded"),  # not JSON: refused, not guessed
]
# the upload endpoint is multipart: a truncated multipart body there is "no file" (400 invalid)


def _hazard(world, grade="major"):
    from accounts.models import Sector
    from hazards import services

    return services.register_hazard(
        world.user("enterprise"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
        description="安全出口锁闭", grade=grade, basis_reason="可能导致群死群伤",
        deadline=timezone.localdate() + datetime.timedelta(days=20))


def _post_operations(client, world):
    client.force_login(world.user("admin"))
    schema = yaml.safe_load(client.get("/api/schema/").content)
    return [p for p, ops in schema["paths"].items() if "post" in ops]


def _existing_pk(path):
    """An existing row of the resource the path acts on (or None)."""
    match = resolve(re.sub(r"\{[^}]+\}", "1", path))
    cls = getattr(match.func, "cls", None)
    if cls is None:
        return None
    view = cls()
    model = getattr(getattr(view, "queryset", None), "model", None)
    if model is None and hasattr(view, "base_queryset"):
        model = view.base_queryset().model
    obj = model.objects.order_by("pk").first() if model else None
    return obj.pk if obj else None


def test_garbled_body_on_every_post_is_400_and_changes_nothing(client, world):
    hazard = _hazard(world)
    paths = _post_operations(client, world)
    hazard_actions = [p for p in paths if "/hazards/{id}/actions/" in p]
    assert hazard_actions, "the hazard action endpoint must be in the schema"
    events, rows = Event.objects.count(), Hazard.objects.count()
    client_as(client, world, "admin")
    covered, failures = 0, []
    for path in paths:
        if "/auth/token/" in path and path.rstrip("/").endswith(("refresh", "revoke")):
            continue  # token-authenticated only: a session caller is 401 before any body is read
        urls = []
        if "{action_name}" in path:
            from hazards.workflow import ACTIONS

            urls = [path.replace("{id}", str(hazard.pk)).replace("{action_name}", a) for a in ACTIONS]
        elif "{" in path:
            pk = hazard.pk if path.startswith("/api/v1/hazards/") else _existing_pk(path)
            if pk is None:
                continue
            urls = [re.sub(r"\{[^}]+\}", str(pk), path)]
        else:
            urls = [path]
        for url in urls:
            for body, content_type in GARBLED:
                response = client.generic("POST", url, body, content_type=content_type)
                covered += 1
                codes = ("parse_error", "unsupported_media_type") + (("invalid",) if url.endswith("/attachments/") else ())
                if response.status_code != 400 or response.json()["code"] not in codes:
                    failures.append((url, content_type, response.status_code, response.content[:200]))
    assert failures == []
    assert covered >= 4 * 11  # every hazard action at least
    assert (Event.objects.count(), Hazard.objects.count()) == (events, rows)
    hazard.refresh_from_db()
    assert hazard.status == "registered"


def test_error_shape_and_statuses(client, world):
    hazard = _hazard(world)
    r = client.get("/api/v1/hazards/")
    assert r.status_code == 401 and r["WWW-Authenticate"].startswith("Token")
    assert set(r.json()) == {"code", "message", "errors"} and r.json()["code"] == "not_authenticated"
    r = client.get("/api/v1/no-such-thing/")
    assert r.status_code == 404 and r["Content-Type"].startswith(J)
    assert r.json()["code"] == "not_found" and "接口不存在" in r.json()["message"]
    client_as(client, world, "enterprise")
    r = client.post(f"/api/v1/hazards/{hazard.pk}/actions/submit_plan/", {"goal_tasks": "x"}, content_type=J)
    body = r.json()
    assert r.status_code == 400 and body["code"] == "invalid" and "measures" in body["errors"]
    assert all(isinstance(m, str) for msgs in body["errors"].values() for m in msgs)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])  # a Chinese sentence for people
    r = client.get("/api/v1/hazards/999999/")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_repeated_action_is_409_with_current_state(client, world):
    hazard = _hazard(world, grade="general")
    client_as(client, world, "commerce")
    url = f"/api/v1/hazards/{hazard.pk}/actions/void/"
    assert client.post(url, {"reason": "重复登记"}, content_type=J).status_code == 200
    r = client.post(url, {"reason": "重复登记"}, content_type=J)
    assert r.status_code == 409 and r.json()["code"] == "already_done"
    assert r.json()["current"]["status"] == "void" and r.json()["current"]["id"] == hazard.pk


def test_idempotency_key_replays_the_first_answer(client, world):
    client_as(client, world, "commerce")
    deadline = (timezone.localdate() + datetime.timedelta(days=9)).isoformat()
    body = {"enterprise": world.ent_commerce.pk, "sector": "commerce", "description": "灭火器过期", "grade": "general",
            "deadline": deadline}
    first = client.post("/api/v1/hazards/", body, content_type=J, HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/hazards/", body, content_type=J, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Hazard.objects.count() == 1
    other = client.post("/api/v1/hazards/", {**body, "description": "别的"}, content_type=J, HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"
    # a refused request keeps nothing: the same key may be used once the input is corrected
    bad = client.post("/api/v1/hazards/", {**body, "grade": "huge"}, content_type=J, HTTP_IDEMPOTENCY_KEY="k-2")
    assert bad.status_code == 400
    assert client.post("/api/v1/hazards/", body, content_type=J, HTTP_IDEMPOTENCY_KEY="k-2").status_code == 201
    # an action retried with its key answers the first result, not 409
    pk = first.json()["id"]
    url = f"/api/v1/hazards/{pk}/actions/void/"
    a = client.post(url, {"reason": "重复"}, content_type=J, HTTP_IDEMPOTENCY_KEY="v-1")
    b = client.post(url, {"reason": "重复"}, content_type=J, HTTP_IDEMPOTENCY_KEY="v-1")
    assert a.status_code == b.status_code == 200 and a.json() == b.json()
    assert Event.objects.filter(to_state="void").count() == 1


def test_idempotency_records_expire_after_24_hours(client, world):
    from core.models import IdempotencyRecord

    client_as(client, world, "commerce")
    body = {"enterprise": world.ent_commerce.pk, "sector": "commerce", "description": "灭火器过期", "grade": "general"}
    assert client.post("/api/v1/hazards/", body, content_type=J, HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    assert client.post("/api/v1/hazards/", body, content_type=J, HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    assert Hazard.objects.count() == 1  # within 24 h: replayed
    IdempotencyRecord.objects.update(created_at=timezone.now() - datetime.timedelta(hours=24, minutes=1))
    assert client.post("/api/v1/hazards/", body, content_type=J, HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    assert Hazard.objects.count() == 2


def test_etag_and_if_match(client, world):
    client_as(client, world, "commerce")
    url = f"/api/v1/enterprises/{world.ent_commerce.pk}/"
    r = client.get(url)
    etag = r["ETag"]
    assert r.status_code == 200 and etag.startswith('"')
    assert client.patch(url, {"employees": 41}, content_type=J).status_code == 428
    assert client.patch(url, {"employees": 41}, content_type=J, HTTP_IF_MATCH='"stale"').status_code == 412
    r = client.patch(url, {"employees": 41}, content_type=J, HTTP_IF_MATCH=etag)
    assert r.status_code == 200 and r.json()["employees"] == 41
    # the old ETag is now stale: a second writer holding it loses instead of overwriting
    r = client.patch(url, {"employees": 7}, content_type=J, HTTP_IF_MATCH=etag)
    assert r.status_code == 412 and r.json()["code"] == "precondition_failed"
    assert client.get(url).json()["employees"] == 41
