"""Template filters shared by every app: Chinese labels for codes, confirmation attributes."""

from django import template

from core import labels

register = template.Library()


@register.filter
def verb_label(verb):
    """``{{ event.verb|verb_label }}`` → the Chinese name of the action."""
    return labels.verb_label(verb)


@register.filter
def state_label(state, verb=None):
    """``{{ event.to_state|state_label:event.verb }}`` → the Chinese name of the state."""
    return labels.state_label(state, verb)


@register.filter
def confirm_text(key):
    """``{{ "hazard."|add:action|confirm_text }}`` → the confirmation for an irreversible action, or ""."""
    return labels.confirmation(key)
