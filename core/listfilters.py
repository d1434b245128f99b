"""The filters every list shares (django-filter): yes/no, free-text search, a user-chosen sort
made total, overdue, region code. The list layer (``core.lists``) binds them to the query string."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q

YES_NO = [("", "全部"), ("true", "是"), ("false", "否")]


class RequestScopedFilterSet(django_filters.FilterSet):
    """A FilterSet whose choices come from the request's user (callable ``queryset=``).

    django-filter keeps a filter's form field (``_field``) once built, and every FilterSet
    deep-copies its class's filters: once anything reads ``base_filters[...].field`` without a
    request — drf-spectacular's schema generation does, so did a test — that field is built from
    ``queryset(None)`` (nothing) and every later instance would inherit it and refuse valid
    choices. Each instance here builds its own fields from its own request."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for flt in self.filters.values():
            if callable(getattr(flt, "queryset", None)):
                flt.__dict__.pop("_field", None)


class StrictNullBooleanField(forms.NullBooleanField):
    """Yes / no / unset — and an error for anything else (Django's own field silently reads
    "maybe" as unset)."""

    TRUE = ("true", "True", "1", "on")
    FALSE = ("false", "False", "0", "off")

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value is True or value in self.TRUE:
            return True
        if value is False or value in self.FALSE:
            return False
        raise forms.ValidationError("请选择“是”或“否”。", code="invalid")


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter shown as a select (全部 / 是 / 否); invalid values are a form error."""

    field_class = StrictNullBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(choices=YES_NO))
        super().__init__(*args, **kwargs)


class HeldFilter(YesNoFilter):
    """是: the rows whose id is among ``ids()`` — a subquery of ids, built when the filter runs (e.g. the
    hazards under 现场处理措施 in force, the cases whose 责令停产停业整顿 is in force); 否: the others. The home
    cards that link to such a list count ``ids()`` too, so card and list cannot differ."""

    def __init__(self, *args, ids, **kwargs):
        self.ids = ids
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        ids = self.ids()
        return qs.filter(pk__in=ids) if value else qs.exclude(pk__in=ids)


class SearchTermField(forms.CharField):
    """A search box's term: cleaned as stored multi-line text is (``core.text.clean_text``), so
    runs of spaces or a tab inside the term are kept, not squeezed into one space — the term must
    be a substring of the text as it was stored."""

    keeps_spaces = True


class SearchTermFilter(django_filters.CharFilter):
    """A text search filter whose term keeps its inner spaces (``SearchTermField``)."""

    field_class = SearchTermField


class SearchFilter(SearchTermFilter):
    """Free-text search over several fields (icontains, OR-ed; every letter case-folded for a term
    with a non-ASCII letter, ``core.lookups``); blank means no filter."""

    def __init__(self, *args, fields: tuple[str, ...] = (), **kwargs):
        self.search_fields = fields
        kwargs.setdefault("label", "关键词")
        kwargs.setdefault("max_length", 100)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        from core.lookups import needs_unicode_fold

        lookup = "ucontains" if needs_unicode_fold(value) else "icontains"
        query = Q()
        for name in self.search_fields:
            query |= Q(**{f"{name}__{lookup}": value})
        return qs.filter(query)


class StableOrderingFilter(django_filters.OrderingFilter):
    """A user-chosen sort (``?sort=grade``) made total: rows that tie on the chosen fields come
    newest record first ("-id", as every list's default ordering ends), so that the page, the next
    page and the export list the same rows in the same order on every database. Left blank: "默认排序"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", "默认排序")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value
                    if param not in django_filters.constants.EMPTY_VALUES]
        if not any(name.lstrip("-") in ("id", "pk") for name in ordering):
            ordering.append("-id")
        return qs.order_by(*ordering)


class RecordIdField(forms.CharField):
    """A record id typed in a query string (``?enterprise=12``): ASCII digits, surrounding spaces
    allowed; anything else — a decimal, an exponent, a sign, other scripts' digits ("²", "٣") — is a
    Chinese form error. An id beyond any record (``core.querysets.MAX_ID``, a bigint) is kept as
    ``NO_RECORD`` and names nothing: it was an OverflowError on SQLite (a 500), where PostgreSQL
    simply found nothing."""

    NO_RECORD = 0  # ids start at 1

    def __init__(self, *args, noun: str = "记录", **kwargs):
        self.noun = noun
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        from .querysets import MAX_ID

        text = super().to_python(value)
        if text in self.empty_values:
            return None
        if not (text.isascii() and text.isdigit()):
            raise forms.ValidationError(f"{self.noun}编号须为正整数。", code="invalid")
        digits = text.lstrip("0")
        if len(digits) > len(str(MAX_ID)) or int(digits or 0) > MAX_ID:
            return self.NO_RECORD
        return int(digits or 0)


class RecordIdFilter(django_filters.Filter):
    """Rows of one record named by id (``field_name`` e.g. "enterprise_id"), through
    ``RecordIdField``: a bad id is a 400 naming the filter, an id beyond bigint lists nothing."""

    field_class = RecordIdField


class OverdueFilter(YesNoFilter):
    """逾期 yes/no through the model's own querysets (``overdue()`` / ``not_overdue()``), so the
    rule lives with the model and runs in the database."""

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.overdue() if value else qs.not_overdue()


LEVEL_BY_LENGTH = {2: "province", 4: "city", 6: "county", 9: "township"}


class RegionCodeFilter(django_filters.CharFilter):
    """A region code of any level (2/4/6/9 digits) matched against the row's RegionCodes
    (``prefix`` for rows whose codes live on a related model, e.g. "hazard__")."""

    def __init__(self, *args, prefix: str = "", **kwargs):
        self.prefix = prefix
        kwargs.setdefault("label", "区划代码（县/乡镇）")
        kwargs.setdefault("validators", [RegexValidator(r"^(\d{2}|\d{4}|\d{6}|\d{9})$", "区划代码应为2、4、6或9位数字。")])
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(**{f"{self.prefix}{LEVEL_BY_LENGTH[len(value)]}_code": value})
