from django.conf import settings
from django.db import connection

from core.models import Notification
from core.navigation import menu_for


def qingling(request):
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    membership = getattr(user, "membership", None) if authenticated else None
    menu = _menu(request, user)
    return {
        "current_membership": membership,
        "current_org": membership.organisation if membership else None,
        "unread_count": _unread(user) if authenticated else 0,
        "menu": menu,
        "menu_section": next((e for e, active in menu if active), None),
        "QINGLING_DEV": settings.DEV,
    }


def _unread(user) -> int:
    """The user's unread notifications (``user.notifications.filter(read_at__isnull=True).count()``)
    as one hand-written statement on notification_inbox_idx: every page shows it, and compiling the
    ORM query cost more than running it (issue 15, the fixed cost of a page)."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {Notification._meta.db_table} WHERE recipient_id = %s AND read_at IS NULL",
                    [user.pk])
        return cur.fetchone()[0]


def _menu(request, user):
    """Menu entries with the one that contains the current page (longest matching prefix) marked."""
    entries = menu_for(user)
    matching = [e for e in entries if request.path.startswith(e.url)]
    current = max(matching, key=lambda e: len(e.url)) if matching else None
    return [(e, e is current) for e in entries]
