"""Scoped querysets of the campaigns app (region codes on every row)."""

from core.querysets import ScopedQuerySet


class CampaignQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """A campaign of an ancestor region is visible to the units below it."""
        from accounts.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.nothing or not scope.region_code:
            return self.none()
        return self.filter(region__code__in=[*scope.ancestor_codes, scope.region_code]) | super().visible_to(user)


class ActivityQuerySet(ScopedQuerySet):
    pass


class SubmissionQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Submitted tables of the units whose dispatch table the user may see (``dispatch_units``)."""
        return self.filter(unit__in=dispatch_units(user))


def dispatch_units(user):
    """The government units whose dispatch table ``user`` may see, through
    ``Organisation.objects.visible_to``: a committee office every government unit of its region, any
    other government unit only itself; enterprises, agencies and users without a unit nothing."""
    from django.db.models import Q

    from accounts.models import Organisation

    government = (Organisation.Kind.COMMITTEE, Organisation.Kind.DEPARTMENT, Organisation.Kind.TOWNSHIP)
    qs = Organisation.objects.visible_to(user).filter(kind__in=government)
    if user is not None and getattr(user, "is_superuser", False):
        return qs
    m = getattr(user, "membership", None) if user is not None and user.is_authenticated else None
    if m is None or m.organisation.kind not in government:
        return qs.none()
    if m.organisation.kind == Organisation.Kind.COMMITTEE:
        return qs
    return qs.filter(Q(pk=m.organisation_id))


class BoardSnapshotQuerySet(ScopedQuerySet):
    pass


def dispatch_unit_or_404(user, raw):
    """The unit asked for (``?unit=`` id or code) among ``dispatch_units(user)``, defaulting to the
    user's own government unit; out of reach → 404."""
    from django.http import Http404

    from accounts.permissions import government_org_or_404

    if raw in (None, ""):
        unit = government_org_or_404(user)
        if unit is None:
            raise Http404("请选择单位")
        return unit
    from core.middleware import NUL
    from core.querysets import parse_id

    text = str(raw).strip()
    if NUL in text:  # no code has one; PostgreSQL cannot compare text with one
        raise Http404("不存在或无权查看")
    # an id in ASCII digits ("²" is a digit to str.isdigit but no id: a code, then, of nothing)
    lookup = {"pk": parse_id(text)} if text.isascii() and text.isdigit() else {"code": text}
    unit = dispatch_units(user).select_related("region").filter(**lookup).first()
    if unit is None:
        raise Http404("不存在或无权查看")
    return unit


def campaign_or_404(user, raw):
    """The campaign asked for (``?campaign=`` id) among those ``user`` sees, or None when none is
    asked for (the table's own default); not an id → ServiceError on ``campaign`` (400); out of scope
    or of nothing → 404 — the page and the API alike."""
    from django.http import Http404

    from core.querysets import parse_id
    from core.services import ServiceError

    from .models import Campaign

    if raw in (None, ""):
        return None
    pk = parse_id(raw)
    if pk is None:
        raise ServiceError("无效的专项行动编号。", "campaign")
    campaign = Campaign.objects.visible_to(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404("专项行动不存在。")
    return campaign
