"""Small predicates for actions (what a user may *do*; what it may *see* is visible_to)."""

from .models import Membership, Organisation


def membership(user) -> Membership | None:
    return getattr(user, "membership", None) if user and user.is_authenticated else None


def actor_org(user) -> Organisation | None:
    """The organisation ``user`` acts for (its membership's), or None: anonymous, no membership,
    or ``None`` (system jobs and loaders). The one helper for "the actor's organisation"."""
    m = membership(user)
    return m.organisation if m else None


def government_org_or_404(user) -> Organisation | None:
    """The government unit ``user`` acts for (None for a superuser without one); anyone else —
    enterprises, agencies, users without a unit — gets a 404 (pages of government units only)."""
    from django.http import Http404

    org = actor_org(user)
    if user.is_superuser:
        return org
    if org is None or not org.is_government:
        raise Http404("不存在或无权查看")
    return org


def committee_org_or_404(user) -> Organisation:
    """The committee office ``user`` acts for (a superuser without a unit: the top-most committee);
    anyone else gets a 404."""
    from django.http import Http404

    org = actor_org(user)
    if user.is_superuser and org is None:
        org = Organisation.objects.filter(kind=Organisation.Kind.COMMITTEE).order_by("region__level", "pk").first()
    if org is None or org.kind != Organisation.Kind.COMMITTEE:
        raise Http404("不存在或无权查看")
    return org


def org_kind(user) -> str:
    if user and user.is_authenticated and user.is_superuser:
        return "superuser"
    m = membership(user)
    return m.organisation.kind if m else ""


def is_government(user) -> bool:
    return org_kind(user) in ("superuser", Organisation.Kind.COMMITTEE, Organisation.Kind.DEPARTMENT, Organisation.Kind.TOWNSHIP)


def is_committee(user) -> bool:
    return org_kind(user) in ("superuser", Organisation.Kind.COMMITTEE)


def is_department(user) -> bool:
    return org_kind(user) in ("superuser", Organisation.Kind.DEPARTMENT)


def is_enterprise_user(user) -> bool:
    return org_kind(user) == Organisation.Kind.ENTERPRISE


def can_write(user) -> bool:
    if user and user.is_authenticated and user.is_superuser:
        return True
    m = membership(user)
    return bool(m and m.can_write)


def can_approve(user) -> bool:
    if user and user.is_authenticated and user.is_superuser:
        return True
    m = membership(user)
    return bool(m and m.can_approve)
