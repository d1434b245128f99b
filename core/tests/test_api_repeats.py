"""A repeated action that already took effect answers 409 ``already_done`` with the current state
(issue 18, 3.), on every action operation of every app.

The test walks the schema's action operations (POST on a path with an ``{id}``; the hazard action
endpoint once per workflow action) and, for each, brings a fresh object to the state where the
action is allowed, performs it through the API (2xx), performs it again with the same body and
expects 409 with ``code == "already_done"`` and ``current`` describing that object. Operations
that may legitimately be repeated are listed in ``core.api_http.REPEATABLE`` with their reason;
an action operation in neither list fails the coverage test, so a new endpoint cannot slip by."""

import pytest
import yaml

from core.api_http import REPEATABLE
from core.testing import client_as

from . import repeat_recipes_cases, repeat_recipes_ledger

pytestmark = pytest.mark.django_db
J = "application/json"
#: operation → recipe(world) -> (persona, url, body), split by side (core/tests/repeat_recipes_*.py)
RECIPES = {**repeat_recipes_ledger.RECIPES, **repeat_recipes_cases.RECIPES}
assert not set(repeat_recipes_ledger.RECIPES) & set(repeat_recipes_cases.RECIPES), "an operation has one recipe"


def _action_operations(client, world) -> set[str]:
    """Every action operation of the schema: POST on a path with an ``{id}`` (a detail action);
    the hazard action endpoint counts once per workflow action."""
    from hazards.workflow import ACTIONS

    client_as(client, world, "admin")
    schema = yaml.safe_load(client.get("/api/schema/").content)
    ops = set()
    for path, methods in schema["paths"].items():
        op = methods.get("post")
        if op is None or "{id}" not in path:
            continue
        if "{action_name}" in path:
            ops |= {f"{op['operationId']}:{a}" for a in ACTIONS}
        else:
            ops.add(op["operationId"])
    return ops


def test_every_action_operation_is_checked_for_repeats_or_documented_as_repeatable(client, world):
    ops = _action_operations(client, world)
    assert len(ops) >= 30, ops  # the walk found the actions at all
    recipes = {k.split(":refuse")[0] for k in RECIPES}
    missing = ops - recipes - set(REPEATABLE)
    assert not missing, f"action operations with neither a repeat check nor a documented reason: {sorted(missing)}"
    stale = (recipes | set(REPEATABLE)) - ops
    assert not stale, f"listed but no longer in the schema: {sorted(stale)}"
    assert all(REPEATABLE.values()), "every repeatable action states its reason"


@pytest.mark.parametrize("operation", sorted(RECIPES))
def test_repeating_an_action_that_took_effect_is_409_with_the_current_state(client, world, operation):
    from core.models import Event

    persona, url, body = RECIPES[operation](world)
    client_as(client, world, persona)
    first = client.post(url, body, content_type=J, HTTP_IDEMPOTENCY_KEY=f"first-{operation}")
    assert 200 <= first.status_code < 300, (first.status_code, first.content[:600])
    events = Event.objects.count()
    # retried with its Idempotency-Key: the first answer again, as the client read it (a date in it was a 500)
    replay = client.post(url, body, content_type=J, HTTP_IDEMPOTENCY_KEY=f"first-{operation}")
    assert (replay.status_code, replay["Idempotent-Replayed"]) == (first.status_code, "true"), replay.content[:600]
    assert replay.json() == first.json()
    again = client.post(url, body, content_type=J)
    assert again.status_code == 409, (again.status_code, again.content[:600])
    answer = again.json()
    assert answer["code"] == "already_done" and answer["message"] and answer["errors"] == {}
    assert isinstance(answer["current"], dict) and answer["current"].get("id"), answer
    if not url.endswith(("/penalties/", "/suspension/", "/resumption/", "/submit/", "/site-orders/",
                          "/compulsory-measures/")):  # the object acted on
        assert str(answer["current"]["id"]) in url.split("/")
    else:
        # the decision / the dispatch submission / the 现场处理措施 or 强制措施 on record: what the first call made
        assert answer["current"]["id"] == first.json()["id"]
    assert Event.objects.count() == events, "a repeat changes nothing"
