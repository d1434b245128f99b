"""The seed of a 双随机 draw is never chosen by a person: pools are visible and the draw is
deterministic, so a chosen seed would be a chosen result. It is generated, stored and replayable."""

import inspect

import pytest

from core.testing import client_as
from inspections import services
from inspections.models import Draw

from .factories import today

POSTED_SEED = 12345


@pytest.fixture
def plan(world):
    return services.create_plan(world.user("emergency"), title="双随机计划", year=today().year, planned_count=3)


def test_the_service_takes_no_seed_and_generates_one_with_secrets(world, plan, monkeypatch):
    assert "seed" not in inspect.signature(services.make_draw).parameters
    with pytest.raises(TypeError):
        services.make_draw(world.user("emergency"), plan, count=2, seed=POSTED_SEED)
    monkeypatch.setattr(services.secrets, "randbits", lambda bits: 4242)
    d = services.make_draw(world.user("emergency"), plan, count=2)
    assert d.seed == 4242
    assert services.replay(d) == d.result


def test_the_plan_page_has_no_seed_field_and_ignores_a_posted_one(client, world, plan):
    client.force_login(world.user("emergency"))
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert 'name="seed"' not in page and "随机种子（留空自动生成）" not in page
    r = client.post(f"/inspections/plans/{plan.pk}/", {"count": 2, "per_enterprise": 2, "seed": POSTED_SEED})
    assert r.status_code == 302
    d = Draw.objects.get(plan=plan)
    assert d.seed != POSTED_SEED
    assert services.replay(d) == d.result  # the stored seed and pools still reproduce the draw


def test_the_api_cannot_make_a_draw_or_set_its_seed(client, world, plan):
    client_as(client, world, "emergency")
    r = client.post("/api/v1/inspections/draws/", {"plan": plan.pk, "count": 2, "per_enterprise": 2,
                                                   "seed": POSTED_SEED}, content_type="application/json")
    assert r.status_code == 405 and not Draw.objects.exists()
    d = services.make_draw(world.user("emergency"), plan, count=2)
    body = client.get(f"/api/v1/inspections/draws/{d.pk}/").json()
    assert body["seed"] == d.seed  # shown for audit (replay), never accepted
    from inspections.api import DrawSerializer

    assert DrawSerializer().fields["seed"].read_only
