"""Who may change the catalogue. Reading it is open to every logged-in user."""

from accounts import permissions as perms
from accounts.models import Competence, Organisation


def can_revise_standard(user) -> bool:
    """National standards are maintained by system administrators (superusers)."""
    return bool(user and user.is_authenticated and user.is_superuser)


def can_edit_key_list(user, sector) -> bool:
    """A department with competence (lead or assist) for the sector or one of its parents, with a write role."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    m = perms.membership(user)
    if m is None or not m.can_write or m.organisation.kind != Organisation.Kind.DEPARTMENT:
        return False
    ids = []
    node = sector
    while node is not None:
        ids.append(node.pk)
        node = node.parent
    return Competence.objects.filter(department=m.organisation, sector_id__in=ids).exists()
