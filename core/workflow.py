"""One shape for every lifecycle: states, transitions, allowed actor kinds, guards, refusals.

Pure Python, no ORM. An app's ``workflow.py`` declares its lifecycle as one ``Workflow``:

    WORKFLOW = Workflow(
        name="tip",
        states=(SUBMITTED, ACCEPTED, ...),
        actor_kinds=("handler", "other"),
        transitions=(
            Transition("accept", "受理", sources=(SUBMITTED,), target=ACCEPTED, actors=("handler",)),
            Transition("close", "办结", sources=(VERIFIED, REWARD_DECIDED), target=CLOSED, actors=("handler",),
                       guards=(Guard(lambda a: a.state != REWARD_DECIDED or a.ctx.rewards_settled,
                                     "奖励尚未审批并发放，不能办结。"),)),
        ),
    )

and keeps its public guard functions (``refusal``, ``target_state``, ``available_actions``) as thin
wrappers that build the context the app needs. A refusal is checked in a fixed order:

1. unknown action → ``messages["unknown"]``
2. the state is not a source of the transition → ``messages["state"]``
3. ``preconditions`` (facts that make the action inapplicable whoever asks, e.g. a grade)
4. the actor kind(s) are not allowed → the transition's ``actor_refusal`` or ``messages["actor"]``
5. ``guards`` (details the actor must supply: a reason, evidence, a decision …)

The first failing check answers, in Chinese. ``actors`` of a transition may depend on a *variant*
of the context (hazards: the grade): give a mapping ``{variant: kinds}`` and a ``variant`` function.
An actor may hold several kinds at once (supervision: proposer and leader); it is allowed when any
of them is. Sweep tests compare the table against a literal oracle (``core.testing_workflow``).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

_frozen = dataclass(frozen=True)  # every declaration is immutable

DEFAULT_MESSAGES = {
    "unknown": "未知操作。",
    "state": "当前状态不能执行“{label}”。",
    "actor": "您不能执行“{label}”。",
}


@_frozen
class Attempt:
    """What a guard sees: the state, the action, the actor's kinds and the app's context object."""

    state: str
    action: str
    kinds: frozenset
    ctx: Any


@_frozen
class Guard:
    """``ok(attempt)`` must be true, otherwise the action is refused with ``message`` (Chinese;
    ``{label}`` is replaced by the transition's label)."""

    ok: Callable[[Attempt], bool]
    message: str


@_frozen
class Transition:
    action: str
    label: str  # Chinese, shown on buttons and in refusals
    sources: tuple
    target: str | None  # None = the state does not change
    actors: tuple | Mapping  # actor kinds allowed, or {variant: kinds}
    preconditions: tuple = ()  # Guards checked before the actor
    guards: tuple = ()  # Guards checked after the actor
    # message (or {variant: message}) when the actor is not allowed; None = the workflow's "actor" message
    actor_refusal: str | Mapping | None = None  # pragma: no mutate (equivalent: "" is falsy too)

    def allowed_kinds(self, variant) -> frozenset:
        kinds = self.actors.get(variant, ()) if isinstance(self.actors, Mapping) else self.actors
        return frozenset(kinds)


def _kinds(actor) -> frozenset:
    if actor is None:
        return frozenset()
    if isinstance(actor, str):
        return frozenset((actor,))
    return frozenset(actor)


@_frozen
class Workflow:
    name: str
    states: tuple
    actor_kinds: tuple
    transitions: tuple
    variant: Callable[[Any], Any] = lambda ctx: None  # pragma: no mutate (equivalent: no variant-keyed actors)
    messages: Mapping = field(default_factory=dict)
    by_action: Mapping = field(init=False, repr=False)  # pragma: no mutate (repr only)

    def __post_init__(self):
        by_action = {}
        for t in self.transitions:
            if t.action in by_action:
                raise ValueError(f"{self.name}: duplicate action {t.action}")
            unknown = set(t.sources) - set(self.states) | ({t.target} - set(self.states) - {None})
            if unknown:
                raise ValueError(f"{self.name}.{t.action}: unknown states {sorted(unknown)}")
            groups = t.actors.values() if isinstance(t.actors, Mapping) else (t.actors,)
            bad = {k for g in groups for k in g} - set(self.actor_kinds)
            if bad:
                raise ValueError(f"{self.name}.{t.action}: unknown actor kinds {sorted(bad)}")
            by_action[t.action] = t
        object.__setattr__(self, "by_action", by_action)
        object.__setattr__(self, "messages", {**DEFAULT_MESSAGES, **self.messages})

    # ------------------------------------------------------------------ reading the table
    @property
    def actions(self) -> tuple:
        return tuple(self.by_action)

    def __getitem__(self, action: str) -> Transition:
        return self.by_action[action]

    def __contains__(self, action: str) -> bool:
        return action in self.by_action

    def label(self, action: str) -> str:
        return self.by_action[action].label

    def labels(self) -> dict:
        return {a: t.label for a, t in self.by_action.items()}

    def target(self, state: str, action: str) -> str:
        t = self.by_action[action]
        return state if t.target is None else t.target

    # ------------------------------------------------------------------ deciding
    def _decide(self, state: str, action: str, actor, ctx: Any, *, details: bool) -> str | None:
        """The first refusal (Chinese) in the documented order, or None; ``details=False`` skips the guards."""
        t = self.by_action.get(action)
        if t is None:
            return self.messages["unknown"]
        if state not in t.sources:
            return self.messages["state"].format(label=t.label)
        attempt = Attempt(state, action, _kinds(actor), ctx)
        refused = _first_refusal(t.preconditions, attempt, t.label)
        if refused is not None:
            return refused
        variant = self.variant(ctx)
        if not attempt.kinds & t.allowed_kinds(variant):
            msg = t.actor_refusal
            if isinstance(msg, Mapping):
                msg = msg.get(variant)
            return (msg or self.messages["actor"]).format(label=t.label)
        return _first_refusal(t.guards, attempt, t.label) if details else None

    def refusal(self, state: str, action: str, actor: str | Iterable[str] | None, ctx: Any = None) -> str | None:
        """Why an actor of kind(s) ``actor`` may not do ``action`` in ``state`` (Chinese), or None."""
        return self._decide(state, action, actor, ctx, details=True)

    def permitted(self, state: str, action: str, actor, ctx: Any = None) -> bool:
        """State, preconditions and actor only — the details (guards) are checked on submit."""
        return self._decide(state, action, actor, ctx, details=False) is None

    def available(self, state: str, actor, ctx: Any = None) -> list[str]:
        """Actions the actor may start in ``state`` (in table order)."""
        return [a for a in self.by_action if self.permitted(state, a, actor, ctx)]


def _first_refusal(guards: tuple, attempt: Attempt, label: str) -> str | None:
    for g in guards:
        if not g.ok(attempt):
            return g.message.format(label=label)
    return None
