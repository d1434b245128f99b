from django.conf import settings

from core.navigation import menu_for


def qingling(request):
    user = getattr(request, "user", None)
    membership = getattr(user, "membership", None) if user and user.is_authenticated else None
    unread = 0
    if membership is not None or (user and user.is_authenticated):
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {
        "current_membership": membership,
        "current_org": membership.organisation if membership else None,
        "unread_count": unread,
        "menu": _menu(request, user),
        "menu_section": next((e for e, active in _menu(request, user) if active), None),
        "QINGLING_DEV": settings.DEV,
    }


def _menu(request, user):
    """Menu entries with the one that contains the current page (longest matching prefix) marked."""
    entries = menu_for(user)
    matching = [e for e in entries if request.path.startswith(e.url)]
    current = max(matching, key=lambda e: len(e.url)) if matching else None
    return [(e, e is current) for e in entries]
