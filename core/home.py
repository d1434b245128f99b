"""Home page: each app may contribute cards with real numbers by defining
``<app>/home.py: cards(user) -> list[dict(title, value, url, hint)]``."""

from importlib import import_module

from django.conf import settings

from accounts.scope import scope_for


def home_context(user) -> dict:
    scope = scope_for(user)
    cards = []
    for app in settings.INSTALLED_APPS:
        if "." in app or app == "core":
            continue
        try:
            module = import_module(f"{app}.home")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.home":
                raise
            continue
        cards.extend(module.cards(user))
    return {"scope": scope, "cards": cards, "membership": getattr(user, "membership", None)}
