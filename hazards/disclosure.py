"""What a hazard's channel shows to whom — RULES.md §1 identity protection (2013 opinion): "nothing
passed to the reported party".

A hazard found by verifying a tip (channel ``tip``, 举报核实) is shown to everyone outside government
— the enterprise's staff, the third parties it engaged, anybody who is not a government unit — as
the department's own inspection (``inspection``, 部门检查): the label the departments' own findings
carry, so nothing tells the two apart (a label of its own, even a neutral one, would mark exactly
the hazards that came from tips). The stored channel is unchanged: government users, the dispatch
figures and the tallies keep 举报核实. Every surface that shows a channel to a user (ledger page,
filter, export, detail page and its sources, API list/detail/sources) goes through here."""

from accounts.scope import scope_for

TIP, SHOWN_AS = "tip", "inspection"


def sees_tip_channel(user) -> bool:
    """Government users (and superusers) see 举报核实; nobody else does."""
    scope = scope_for(user)
    return bool(scope.everything or scope.is_government)


def shown_channel(code: str, user=None, *, masked: bool | None = None) -> str:
    """The channel code ``user`` is shown (``masked`` given: for a batch already decided)."""
    if masked is None:
        masked = not sees_tip_channel(user)
    return SHOWN_AS if masked and code == TIP else code


def shown_label(code: str, user=None, *, masked: bool | None = None) -> str:
    from .models import Hazard

    shown = shown_channel(code, user, masked=masked)
    return str(dict(Hazard.Channel.choices).get(shown, shown))


def shown_accident_source(code: str, user) -> str:
    """An accident's 报告来源 code as ``user`` may see it: one registered from a tip (瞒报 found by
    verifying a tip) reads ``government`` (政府部门报告) outside government."""
    return "government" if code == TIP and not sees_tip_channel(user) else code


def accident_source_label(accident, user) -> str:
    """``shown_accident_source`` in Chinese."""
    source = shown_accident_source(accident.source, user)
    return str(dict(type(accident).Source.choices).get(source, source))


def channel_choices(user) -> list:
    """The channel filter's choices for ``user`` (no 举报核实 outside government)."""
    from .models import Hazard

    return [c for c in Hazard.Channel.choices if sees_tip_channel(user) or c[0] != TIP]


def filter_channel(queryset, value: str, user):
    """``channel = value`` as ``user`` sees channels: outside government 部门检查 includes the hazards
    found from tips, and 举报核实 matches nothing."""
    if not value:
        return queryset
    if sees_tip_channel(user):
        return queryset.filter(channel=value)
    if value == TIP:
        return queryset.none()
    if value == SHOWN_AS:
        return queryset.filter(channel__in=(SHOWN_AS, TIP))
    return queryset.filter(channel=value)
