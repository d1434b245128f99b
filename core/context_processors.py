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
        "menu": [(e, request.path.startswith(e.url)) for e in menu_for(user)],
        "QINGLING_DEV": settings.DEV,
    }
