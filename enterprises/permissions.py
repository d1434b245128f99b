"""What a user may do with enterprises (what it may see is ``Enterprise.objects.visible_to``)."""

from accounts import permissions as perms
from accounts.scope import scope_for


def can_register(user) -> bool:
    """Create enterprises, edit whole profiles, import: government users with a write role."""
    return perms.is_government(user) and perms.can_write(user)


def can_edit_profile(user, ent) -> bool:
    """``ent`` must already be visible to ``user`` (views fetch it with get_visible_or_404)."""
    return can_register(user)


def can_edit_contacts(user, ent) -> bool:
    """Principal / controller phones and safety managers: government writers, or the enterprise's own
    principal or safety manager."""
    if can_register(user):
        return True
    if not perms.is_enterprise_user(user) or not perms.can_write(user):
        return False
    return ent.pk in (scope_for(user).enterprise_ids or ())


def region_allowed(user, region) -> bool:
    """A township inside the user's region (superusers: anywhere)."""
    scope = scope_for(user)
    if scope.everything:
        return True
    return bool(scope.region_path) and (region.path == scope.region_path or region.path.startswith(scope.region_path + "/"))


def sectors_allowed(user, sectors) -> bool:
    """An industry department may only register enterprises in a sector it supervises."""
    scope = scope_for(user)
    return scope.everything or scope.sector_ids is None or any(s.pk in scope.sector_ids for s in sectors)
