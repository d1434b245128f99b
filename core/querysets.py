"""The scoping queryset every scoped model uses: ``Model.objects.visible_to(user)``.

A user's scope (``accounts.scope.scope_for``) is one of: everything (superuser), nothing,
a region code at one level (optionally limited to a set of sectors, for industry
departments), or an explicit set of enterprises (enterprise staff, engaged agencies).
Subclasses say where their region codes, enterprise and sector live.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404


class ScopedQuerySet(models.QuerySet):
    #: prefix of the RegionCodes fields ("" when the model has them itself)
    region_prefix: str = ""
    #: path to the enterprise id ("pk" for Enterprise itself); None when rows have no enterprise
    enterprise_field: str | None = None
    #: path to a sector FK ("sector"), or the name of a sector M2M when ``sector_m2m``
    sector_field: str | None = None
    sector_m2m: bool = False
    #: rows an enterprise user may also see without an enterprise link (e.g. regions) — none by default
    enterprise_users_see_region: bool = False

    def visible_to(self, user):
        from accounts.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.nothing:
            return self.none()
        if scope.enterprise_ids is not None:
            if self.enterprise_field is None:
                return self.none()
            return self.filter(**{f"{self.enterprise_field}__in": sorted(scope.enterprise_ids)})
        qs = self.filter(**{f"{self.region_prefix}{scope.level}_code": scope.region_code})
        if scope.sector_ids is not None and self.sector_field:
            qs = qs.filter(self.sector_q(scope.sector_ids))
        return qs

    def sector_q(self, sector_ids) -> Q:
        ids = sorted(sector_ids)
        if not self.sector_m2m:
            return Q(**{f"{self.sector_field}__in": ids})
        field = self.model._meta.get_field(self.sector_field)
        through = field.remote_field.through
        src = field.m2m_field_name()
        dst = field.m2m_reverse_field_name()
        return Q(Exists(through.objects.filter(**{src: OuterRef("pk"), f"{dst}__in": ids})))


class ThroughEnterpriseQuerySet(ScopedQuerySet):
    """Rows that hang on an enterprise (records, cases, risk points …): their region codes, id and
    sectors are the enterprise's. Set ``enterprise_path`` to the FK path of the enterprise
    ("enterprise", "case__enterprise" …); the rest is derived. The sector filter is an Exists on
    the enterprise's sector M2M table — a join through it would duplicate rows."""

    enterprise_path = "enterprise"
    #: where the row's place is kept when it is not the enterprise's current one: "" for the row's
    #: own RegionCodes, "case" for its case's (records that keep the place they happened in)
    place_path: str | None = None
    region_prefix = "enterprise__"
    enterprise_field = "enterprise"
    sector_field = "enterprise"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.region_prefix = (f"{cls.enterprise_path}__" if cls.place_path is None
                             else f"{cls.place_path}__" if cls.place_path else "")
        cls.enterprise_field = cls.enterprise_path
        cls.sector_field = cls.enterprise_path

    def sector_q(self, sector_ids) -> Q:
        from enterprises.models import Enterprise

        through = Enterprise.sectors.through
        return Q(Exists(through.objects.filter(enterprise_id=OuterRef(f"{self.enterprise_path}_id"),
                                               sector_id__in=sorted(sector_ids))))


class RecipientQuerySet(models.QuerySet):
    """Personal rows (notifications): each user sees only their own, whatever their scope."""

    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)


#: the largest id a record can have (a bigint primary key); anything above names nothing
MAX_ID = 2**63 - 1


def parse_id(raw) -> int | None:
    """A record id as a form or a request body gives it (text, or an int in JSON): the id, or None
    when it is no id at all — blank, text, a number below 1, a bool or a float — which the caller
    answers with its 400 naming the field. An id above ``MAX_ID`` names nothing: a 404, as does an id
    of nothing when it is looked up. Surrounding spaces and leading zeros are allowed ("007" is 7); the
    bound is on the value, not on the length of the text (int() of a huge text is never tried)."""
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        return None
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0")
    if not digits:
        return None  # 0
    if len(digits) > len(str(MAX_ID)) or int(digits) > MAX_ID:
        raise Http404("不存在或无权查看")
    return int(digits)


def get_visible_or_404(queryset, user, **lookup):
    """Fetch one object inside the user's scope; anything else is a 404 (never a 403)."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("不存在或无权查看")
