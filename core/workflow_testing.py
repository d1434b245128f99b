"""The generic sweep of a ``core.workflow.Workflow`` against a literal oracle (for tests only).

The oracle is written out by hand in each app's ``tests/test_workflow.py`` from the lifecycle in
PRODUCT.md / RULES.md, never derived from the table under test:

    ALLOWED = {
        # (state, action[, variant]): (target state, {actor kinds allowed})
        ("submitted", "accept"): ("accepted", {"handler"}),
        ...
    }

Every cell of states × actions × actor kinds (× variants) not listed must be refused; every listed
cell must be allowed, lead to the listed target and be offered by ``available``. A removed source
state, an added source, a changed target or a changed actor set each make the sweep fail.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def sweep(workflow, *, states: Iterable[str], actions: Iterable[str], actor_kinds: Iterable[str],
          allowed: Mapping, ctx: Callable[..., Any], variants: Iterable | None = None) -> list[str]:
    """Return the cells where ``workflow`` disagrees with the oracle (empty = agreement).

    ``ctx(state, action, variant)`` builds a context in which every detail guard passes, so only
    state, preconditions and actor decide. Without ``variants`` the oracle keys are (state, action).
    """
    states, actions, actor_kinds = tuple(states), tuple(actions), tuple(actor_kinds)
    problems = []
    if set(workflow.states) != set(states):
        problems.append(f"states: table {sorted(workflow.states)} != oracle {sorted(states)}")
    if set(workflow.actions) != set(actions):
        problems.append(f"actions: table {sorted(workflow.actions)} != oracle {sorted(actions)}")
    if set(workflow.actor_kinds) != set(actor_kinds):
        problems.append(f"actor kinds: table {sorted(workflow.actor_kinds)} != oracle {sorted(actor_kinds)}")
    keyed = variants is not None
    for key in allowed:
        if key[0] not in states or key[1] not in actions:
            problems.append(f"oracle cell {key} names an unknown state or action")
    for state, action, variant in itertools.product(states, actions, tuple(variants) if keyed else (None,)):
        key = (state, action, variant) if keyed else (state, action)
        target, kinds = allowed.get(key, (None, set()))
        context = ctx(state, action, variant)
        for kind in actor_kinds:
            refusal = workflow.refusal(state, action, kind, context)
            offered = action in workflow.available(state, kind, context)
            if kind in kinds:
                if refusal is not None:
                    problems.append(f"{key} by {kind}: refused ({refusal}), oracle allows")
                elif workflow.target(state, action) != target:
                    problems.append(f"{key} by {kind}: leads to {workflow.target(state, action)}, oracle {target}")
                if not offered:
                    problems.append(f"{key} by {kind}: not offered by available()")
            else:
                if refusal is None:
                    problems.append(f"{key} by {kind}: allowed, oracle refuses")
                if offered:
                    problems.append(f"{key} by {kind}: offered by available(), oracle refuses")
    if workflow.refusal(states[0], "no-such-action", actor_kinds[0], ctx(states[0], actions[0], None)) is None:
        problems.append("an unknown action is allowed")
    return problems
