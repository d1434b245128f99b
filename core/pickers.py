"""Search-as-you-type pickers: scoped JSON endpoints and the form widget that uses them.

A form field that refers to another object (a hazard, an enterprise, a region, a standard item,
an organisation, a tip) uses :class:`PickerSelect`; the browser turns it into a Tom Select box
(core/static/core/pickers.js) that asks ``/pickers/<name>/?q=…``. Every endpoint starts from
``visible_to(user)``: a picker never offers, nor names, anything outside the user's scope.
The form still validates the submitted id against its own (scoped) queryset.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.http import Http404, JsonResponse

LIMIT = 20


def _id_param(text: str) -> int | None:
    """A record id named in a picker's query string (``?enterprise=12``): None when the text is no id
    (blank, words, other scripts' digits — "²" is a digit to ``isdigit`` and no number to ``int``: a
    ValueError, a 500), 0 — which names nothing — for one beyond any id (``MAX_ID``: a bigger one was
    an OverflowError on SQLite)."""
    from .querysets import MAX_ID

    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text) if len(text.lstrip("0")) <= len(str(MAX_ID)) and int(text) <= MAX_ID else 0


@dataclass(frozen=True)
class Picker:
    queryset: Callable  # (user, request) -> scoped queryset
    search: Callable  # (queryset, q) -> queryset
    text: Callable  # obj -> label
    hint: Callable = lambda obj: ""  # obj -> second line
    group: Callable | None = None  # obj -> group title (optgroup)
    order: tuple = ("pk",)


def _hazards(user, request):
    from hazards.models import Hazard

    qs = Hazard.objects.visible_to(user).select_related("enterprise")
    if request.GET.get("open") == "1":
        qs = qs.open()
    if request.GET.get("grade") in Hazard.Grade.values:
        qs = qs.filter(grade=request.GET["grade"])
    ent_id = _id_param(request.GET.get("enterprise", ""))
    if ent_id is not None:
        qs = qs.filter(enterprise_id=ent_id)
    return qs


HAZARD_NUMBER = re.compile(r"^\s*YH\d{0,6}-?0*(\d+)\s*$", re.I)


def _search_hazards(qs, q):
    m = HAZARD_NUMBER.match(q)
    if m:
        return qs.filter(pk=int(m.group(1)))
    if _id_param(q) is not None:
        return qs.filter(Q(pk=_id_param(q)) | Q(description__contains=q.strip()))
    return qs.filter(Q(description__icontains=q) | Q(enterprise__name__icontains=q) | Q(location__icontains=q))


def _enterprises(user, request):
    from enterprises.models import Enterprise

    return Enterprise.objects.visible_to(user).select_related("region")


def _search_enterprises(qs, q):
    q = q.strip()
    return qs.filter(Q(name__icontains=q) | Q(credit_code__istartswith=q.upper()))


def _regions(user, request):
    from regions.models import Region

    qs = Region.objects.visible_to(user).select_related("parent")
    level = request.GET.get("level", "")
    if level:
        qs = qs.filter(level=level)
    parent = _id_param(request.GET.get("parent", ""))
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    return qs


def _items(user, request):
    """Standard items, limited to what applies to the chosen enterprise's sectors when one is given."""
    from enterprises.models import Enterprise
    from standards.applicability import applicable_items
    from standards.models import Item

    ent_id = _id_param(request.GET.get("enterprise", ""))
    if ent_id is not None:
        ent = Enterprise.objects.visible_to(user).filter(pk=ent_id).first()
        if ent is None:
            return Item.objects.none()
        return applicable_items(ent)
    return Item.objects.filter(standard__is_current=True).select_related("standard", "article")


def _sectors(user, request):
    """Active sectors; those a hazard of the chosen enterprise may belong to when one is given."""
    from accounts.models import Sector
    from enterprises.models import Enterprise

    qs = Sector.objects.filter(is_active=True)
    ent_id = _id_param(request.GET.get("enterprise", ""))
    if ent_id is not None:
        from hazards.acting import allowed_sectors

        ent = Enterprise.objects.visible_to(user).filter(pk=ent_id).first()
        return qs.filter(pk__in=allowed_sectors(ent)) if ent else qs.none()
    return qs


def _organisations(user, request):
    from accounts.models import Organisation

    qs = Organisation.objects.visible_to(user).select_related("region")
    kinds = [k for k in request.GET.get("kind", "").split(",") if k]
    return qs.filter(kind__in=kinds) if kinds else qs


def _agencies(user, request):
    """Active third-party agencies, for those who may engage one (government and enterprise writers):
    an agency serves enterprises anywhere, so the list is not limited to the user's region (the
    ``organisations`` picker is: an enterprise user sees no organisation but its own there)."""
    from accounts import permissions as perms
    from accounts.models import Organisation

    qs = Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True).select_related("region")
    if not perms.can_write(user) or not (perms.is_government(user) or perms.is_enterprise_user(user)):
        return qs.none()
    return qs


def _account_units(user, request):
    """The organisations whose accounts the user manages (``accounts.account_rules``)."""
    from accounts.account_rules import manageable_organisations

    return manageable_organisations(user).select_related("region")


def _tips(user, request):
    from tips.models import Tip

    return Tip.objects.visible_to(user)


def _inspectors(user, request):
    """执法检查人员 the user may name on an inspection record (``inspections.services.
    nameable_inspectors``: accounts of units in the user's scope, for those who may record an
    inspection); ``other=1``: of other units than the user's own (a joint inspection's)."""
    from django.contrib.auth import get_user_model

    from inspections import services

    if not services.can_inspect(user):
        return get_user_model().objects.none()
    qs = services.nameable_inspectors(user).filter(membership__is_inspector=True, is_active=True)
    if request.GET.get("other") == "1":
        qs = qs.exclude(membership__organisation_id=user.membership.organisation_id)
    return qs.select_related("membership__organisation")


def _search_people(qs, q):
    q = q.strip()
    return qs.filter(Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(username__istartswith=q))


TIP_NUMBER = re.compile(r"^\s*JB\d{0,6}-?0*(\d+)\s*$", re.I)


def _search_tips(qs, q):
    m = TIP_NUMBER.match(q)
    if m:
        return qs.filter(pk=int(m.group(1)))
    q = q.strip()
    if _id_param(q) is not None:
        return qs.filter(pk=_id_param(q))
    return qs.filter(Q(address__icontains=q) | Q(enterprise__name__icontains=q))


PICKERS: dict[str, Picker] = {
    "hazards": Picker(_hazards, _search_hazards, lambda h: h.number,
                      lambda h: f"{h.enterprise.name} · {h.description[:40]}", order=("-pk",)),
    "enterprises": Picker(_enterprises, _search_enterprises, lambda e: e.name,
                          lambda e: f"{e.credit_code} · {e.region.name}", order=("name", "pk")),
    "regions": Picker(_regions, lambda qs, q: qs.filter(name__icontains=q.strip()), lambda r: r.name,
                      lambda r: r.parent.name if r.parent else "", order=("code",)),
    "standard-items": Picker(_items, lambda qs, q: qs.filter(summary_zh__icontains=q.strip()), str,
                             # an item whose wording is not verified (STANDARDS.md tags P / R) says so
                             lambda i: {"P": "部分核实", "R": "措辞待核实"}.get(i.verified, ""),
                             group=lambda i: i.standard.short_title or i.standard.title,
                             order=("standard__code", "sort_order", "pk")),
    "sectors": Picker(_sectors, lambda qs, q: qs.filter(name__icontains=q.strip()), lambda s: s.name,
                      order=("sort_order", "code")),
    "organisations": Picker(_organisations, lambda qs, q: qs.filter(name__icontains=q.strip()), lambda o: o.name,
                            lambda o: o.get_kind_display(), order=("name", "pk")),
    "agencies": Picker(_agencies, lambda qs, q: qs.filter(name__icontains=q.strip()), lambda o: o.name,
                       lambda o: o.region.name, order=("name", "pk")),
    "account-units": Picker(_account_units, lambda qs, q: qs.filter(name__icontains=q.strip()), lambda o: o.name,
                            lambda o: f"{o.get_kind_display()} · {o.region.name}", order=("kind", "name", "pk")),
    "tips": Picker(_tips, _search_tips, lambda t: t.number, lambda t: t.address[:40], order=("-pk",)),
    "inspectors": Picker(_inspectors, _search_people, lambda u: u.get_full_name() or u.username,
                         lambda u: u.membership.organisation.name, order=("membership__organisation__name", "pk")),
}


def picker_view(request, name: str):
    """``GET /pickers/<name>/?q=…`` → ``{"results": [{value, text, hint, group}], "more": bool}``."""
    picker = PICKERS.get(name)
    if picker is None or not request.user.is_authenticated:
        raise Http404("不存在")
    qs = picker.queryset(request.user, request)
    q = request.GET.get("q", "")[:100]
    if q.strip():
        qs = picker.search(qs, q)
    rows = list(qs.order_by(*picker.order)[: LIMIT + 1])
    results = [{"value": obj.pk, "text": picker.text(obj), "hint": picker.hint(obj),
                **({"group": picker.group(obj)} if picker.group else {})} for obj in rows[:LIMIT]]
    return JsonResponse({"results": results, "more": len(rows) > LIMIT})


class PickerSelect(forms.Select):
    """A select that renders only its chosen option(s) and searches the rest on the server.

    ``depends`` names another field whose value is passed along (e.g. the enterprise, so the
    standard items offered are the ones that apply to it). Label the chosen option by the
    field's own (scoped) queryset or, for plain id fields, by :data:`PICKERS` with the form's
    user (see :func:`bind`)."""

    def __init__(self, name: str, *, depends: str = "", params: str = "", placeholder: str = "输入名称或编号搜索",
                 attrs=None):
        super().__init__(attrs)
        self.picker = name
        self.depends, self.params, self.placeholder = depends, params, placeholder
        self.user = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        a = context["widget"]["attrs"]
        a["data-picker"] = f"/pickers/{self.picker}/"
        a["data-placeholder"] = self.placeholder
        a.setdefault("class", "form-select")
        if self.depends:
            a["data-picker-depends"] = self.depends
        if self.params:
            a["data-picker-params"] = self.params
        return context

    @staticmethod
    def _ids(chosen) -> list[int]:
        """The chosen values that can be record ids (ASCII digits up to ``MAX_ID``): a form shown again
        with "²" or a number beyond bigint is not looked up (SQLite's OverflowError, a ValueError:
        a 500), it names nothing."""
        from .querysets import MAX_ID

        return [int(c) for c in chosen if c.isascii() and c.isdigit() and len(c) <= len(str(MAX_ID))
                and int(c) <= MAX_ID]

    def optgroups(self, name, value, attrs=None):
        """Only the empty choice and the chosen value(s): never the whole (possibly huge) queryset."""
        chosen = {str(v) for v in value if v not in ("", None)}
        options = [(None, [self.create_option(name, "", "—", False, 0)], 0)]
        if not chosen:
            return options
        labels = {}
        queryset = getattr(self.choices, "queryset", None)
        if queryset is not None:
            labels = {str(o.pk): str(o) for o in queryset.filter(pk__in=self._ids(chosen))}
        elif self.user is not None and self.picker in PICKERS:
            picker = PICKERS[self.picker]
            qs = picker.queryset(self.user, _NoParams())
            labels = {str(o.pk): picker.text(o) for o in qs.filter(pk__in=self._ids(chosen))}
        for i, v in enumerate(sorted(chosen), start=1):
            if v in labels:  # an id outside the scope is not named, and not offered
                options.append((None, [self.create_option(name, v, labels[v], True, i)], i))
        return options


class PickerSelectMultiple(PickerSelect):
    """``PickerSelect`` choosing several (e.g. a joint inspection's inspectors of other units)."""

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        return forms.SelectMultiple.value_from_datadict(self, data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an unchecked multiple select sends nothing: that is "none chosen"

    def optgroups(self, name, value, attrs=None):
        return [group for group in super().optgroups(name, value, attrs) if group[1][0]["value"] != ""]


class _NoParams:
    GET: dict = {}


def bind(form, user) -> None:
    """Give every picker widget of ``form`` the user, so chosen ids are labelled within the scope."""
    for field in form.fields.values():
        if isinstance(field.widget, PickerSelect):
            field.widget.user = user
