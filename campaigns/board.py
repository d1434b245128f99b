"""The five-colour board (红橙黄蓝绿晾晒): figures per sub-region and the configurable colour rules.

Rules (``BoardRuleSet.rules`` overrides any of DEFAULT_RULES; see docs/dispatch.md):

* red    — any open major hazard overdue by more than ``red_overdue_days`` days, or (when
           ``listed_overdue_is_red``) any listed (挂牌督办) hazard overdue;
* orange — any open major hazard overdue;
* yellow — one due within ``due_soon_days`` days, or the rectification rate below ``target_rate`` %
           (到期整改率 = closed ÷ (closed + overdue): hazards not yet due do not lower it);
* blue   — open major hazards, all within their deadlines;
* green  — no open major hazard.

Everything is as of an instant (``hazards.asof``): the board page as of now, a weekly snapshot as of
00:00 of its Monday, a quarterly bulletin as of the end of the quarter's last day. Only listings
in force at that instant (approved, not delisted) count as 挂牌督办.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Min, Q, Sum

from hazards import asof
from regions.models import Region

DEFAULT_RULES = {"due_soon_days": 7, "red_overdue_days": 30, "target_rate": 90, "listed_overdue_is_red": True}
ORDER = ("red", "orange", "yellow", "blue", "green")
LABELS = {"red": "红", "orange": "橙", "yellow": "黄", "blue": "蓝", "green": "绿"}
HEX = {"red": "#d9534f", "orange": "#f0883e", "yellow": "#f5c518", "blue": "#3b82f6", "green": "#22a06b"}


def active_rules(on: datetime.date | None = None) -> dict:
    """The colour rules in force on ``on`` (default today): the active BoardRuleSet row as of that
    day (its versions: core.ruletables, table "board-rules") over DEFAULT_RULES."""
    from django.utils import timezone

    from core.ruletables import rows_in_force

    from .models import BoardRuleSet

    on = on or timezone.localdate()
    rows = [r for r in rows_in_force("board-rules", BoardRuleSet.objects.order_by("-updated_at", "-id"), on) if r.is_active]
    row = rows[0] if rows else None
    return {**DEFAULT_RULES, **((row.rules or {}) if row else {})}


#: what a rate of nothing (0 of 0) prints: no hazard, no rate — never 100 %
NO_RATE = "—"


def rate(closed: int, total: int) -> Decimal | None:
    """``closed`` of ``total`` in per cent, two decimals rounded half up — as real quarterly
    bulletins print it (RULES.md §4: a county with 75 major hazards, 70 fixed, 93.33 %); None when
    ``total`` is 0 (nothing to rectify is no rate at all, not 100 %)."""
    if not total:
        return None
    return (Decimal(closed) * 100 / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def rate_text(closed: int, total: int) -> str:
    """``rate`` as the pages and documents keep it: "93.33", or NO_RATE for 0 of 0."""
    value = rate(closed, total)
    return NO_RATE if value is None else str(value)


def percent(text: str) -> str:
    """A ``rate_text`` as printed: "93.33%", or "—" alone."""
    return NO_RATE if text in (NO_RATE, "", None) else f"{text}%"


def _rate_order(text: str) -> Decimal:
    """A rate's place in the ranking: a region with nothing due has nothing late and ranks as a
    full rate does (as before this rate could be absent)."""
    return Decimal(100) if text == NO_RATE else Decimal(text)


def colour(fig: dict, rules: dict | None = None) -> str:
    """The colour of one sub-region's figures (open, overdue, max_overdue_days, due_soon_days_min,
    listed_overdue, rate)."""
    rules = {**DEFAULT_RULES, **(rules or {})}
    if fig.get("max_overdue_days", 0) > rules["red_overdue_days"] or (rules["listed_overdue_is_red"] and fig.get("listed_overdue", 0)):
        return "red"
    if fig.get("overdue", 0):
        return "orange"
    if not fig.get("open", 0):
        return "green"  # nothing open: a late closure in the past does not colour a clean region
    soon = fig.get("min_days_left")
    rate_now = str(fig.get("rate", NO_RATE))  # NO_RATE: nothing due yet, so no rate below the target
    if (soon is not None and soon <= rules["due_soon_days"]) or (
            rate_now != NO_RATE and Decimal(rate_now) < Decimal(str(rules["target_rate"]))):
        return "yellow"
    return "blue"


def sub_regions(region: Region):
    return list(region.children.order_by("code"))


def figures(region: Region, today=None, hazards=None, scope=None) -> list[dict]:
    """One dict per sub-region of ``region`` with the board's figures as of ``today`` (an instant,
    or a date = the end of that day in Asia/Shanghai; default now), in one grouped query.
    ``hazards`` is the viewer's scope (``Hazard.objects.visible_to(user)``); None = the whole
    region (the committee office's scope, used by the weekly snapshot). State, grade, deadline and
    listing are those in force at that instant (``hazards.asof``): only a 挂牌督办 approved and not
    yet delisted then counts as listed. With ``scope`` (the viewer's Scope or user, the one
    ``hazards`` was scoped with) and no ``today``, "now" reads the tallies (``_now_from_tallies``)."""
    from hazards import tallies
    from hazards.models import Hazard

    if today is None and scope is not None and tallies.scope_q(scope) is not None:
        return _now_from_tallies(region, hazards, scope)
    at = asof.instant(today)
    children = sub_regions(region)
    if not children:
        return []
    level = children[0].level
    by_code = _figures_as_of(Hazard.objects.all() if hazards is None else hazards,
                             Q(**{f"{region.level}_code": region.code}), [level], at)[level]
    return _items(children, by_code, asof.local_day(at))


#: how ``_figures_as_of`` adds up the rows of smaller regions into a larger one's
_SUMS = ("total", "closed", "open", "overdue", "due", "on_time", "not_due", "listed", "listed_overdue")
_MINS = ("min_overdue_deadline", "min_open_deadline")


def _figures_as_of(base, within: Q, levels: list[str], at: datetime.datetime) -> dict[str, dict]:
    """The board's counts of the 重大 hazards of ``base`` within ``within`` as of ``at`` for each
    region of each of ``levels``: {level: {code: figures}} — from one statement grouped by the codes
    of every level (``figures`` asks one level; ``figures_of_many`` all its regions' sub-region
    levels at once), each level's figures added up from those rows (counts summed, earliest
    deadlines the least)."""
    day = asof.local_day(at)
    open_q, closed_q, overdue_q = asof.open_q(), asof.closed_q(), asof.overdue_q(at)
    agg = {
        "total": Count("pk"),
        "closed": Count("pk", filter=closed_q),
        "open": Count("pk", filter=open_q),
        "overdue": Count("pk", filter=overdue_q),
        "due": Count("pk", filter=closed_q | overdue_q),
        "on_time": Count("pk", filter=closed_q & Q(closed_at_t__date__lte=F("deadline_at"))),
        "not_due": Count("pk", filter=open_q & (Q(deadline_at__gte=day) | Q(deadline_at__isnull=True))),
        "min_overdue_deadline": Min("deadline_at", filter=overdue_q),
        "min_open_deadline": Min("deadline_at", filter=open_q & Q(deadline_at__gte=day)),
    }
    if asof.has_listing():
        agg["listed_overdue"] = Count("pk", filter=overdue_q & asof.listed_q())
        agg["listed"] = Count("pk", filter=asof.listed_q())
    keys = [f"{level}_code" for level in levels]
    rows = list(asof.major(base.filter(within), at).values(*keys).annotate(**agg).order_by(*keys))
    out: dict = {}
    for level, key in zip(levels, keys):
        by_code = out[level] = {}
        for r in rows:
            acc = by_code.get(r[key])
            if acc is None:
                by_code[r[key]] = dict(r)
                continue
            for k in _SUMS:
                if k in r:
                    acc[k] += r[k]
            for k in _MINS:
                if r[k] is not None and (acc[k] is None or _date(r[k]) < _date(acc[k])):
                    acc[k] = r[k]
    return out


def figures_of_many(regions, today, children: dict) -> dict[int, list[dict]]:
    """``figures(region, today)`` (whole-region scope, as the weekly snapshot reads it) for each of
    ``regions``, by region pk, in one statement instead of one per region: the trail's sub-selects
    run once for the 重大 hazards of all of them (a backfill week of a province and its 105 county
    cockpits: one statement grouped by city, county and township). ``children``: each region's
    sub-regions by pk, ordered by code (the caller has read them)."""
    from hazards.models import Hazard

    at = asof.instant(today)
    out = {region.pk: [] for region in regions}
    shown = [r for r in regions if children.get(r.pk)]
    if not shown:
        return out
    codes: dict = {}
    for region in shown:
        codes.setdefault(region.level, []).append(region.code)
    within = Q()
    for own, these in codes.items():
        within |= Q(**{f"{own}_code__in": these})
    levels = sorted({children[r.pk][0].level for r in shown}, key=list(Region.Level.values).index)
    by_level = _figures_as_of(Hazard.objects.all(), within, levels, at)
    day = asof.local_day(at)
    for region in shown:
        out[region.pk] = _items(children[region.pk], by_level[children[region.pk][0].level], day)
    return out


def region_totals(region: Region, today=None, hazards=None) -> dict:
    """{"total", "closed"}: the major hazards of the whole ``region`` (within ``hazards``, None =
    all) as of ``today`` — counted once each, merged and voided ones not at all (``hazards.asof``),
    whether or not a sub-region of ``region`` holds them."""
    from hazards.models import Hazard

    at = asof.instant(today)
    base = Hazard.objects.all() if hazards is None else hazards
    return asof.major(base.filter(**{f"{region.level}_code": region.code}), at).aggregate(
        total=Count("pk"), closed=Count("pk", filter=asof.closed_q()))


def _items(children, by_code: dict, day: datetime.date) -> list[dict]:
    out = []
    for child in children:
        r = by_code.get(child.code, {})
        fig = {
            "code": child.code, "name": child.name, "total": r.get("total", 0), "closed": r.get("closed", 0),
            "open": r.get("open", 0), "overdue": r.get("overdue", 0), "not_due": r.get("not_due", 0),
            "on_time": r.get("on_time", 0), "listed": r.get("listed", 0), "listed_overdue": r.get("listed_overdue", 0),
            "max_overdue_days": (day - _date(r["min_overdue_deadline"])).days if r.get("min_overdue_deadline") else 0,
            "min_days_left": (_date(r["min_open_deadline"]) - day).days if r.get("min_open_deadline") else None,
        }
        # 到期整改率: of the hazards closed or past their deadline, the share closed by the deadline
        # (hazards not yet due do not lower it; one closed late does, so the yellow clause can decide)
        # (NO_RATE "—" where there is nothing to divide: 0 of 0 is no rate, never 100 %)
        fig["rate"] = rate_text(fig["on_time"], r.get("due", 0))
        fig["overall_rate"] = rate_text(fig["closed"], fig["total"])
        fig["on_time_rate"] = rate_text(fig["on_time"], fig["closed"])
        out.append(fig)
    return out


def _now_from_tallies(region: Region, hazards, scope) -> list[dict]:
    """``figures`` as of now: total, closed, open and on-time closures of major hazards per
    sub-region from ``HazardTally``; from the (few) open or listed major hazards directly: overdue,
    the earliest deadlines and the listings in force."""
    from hazards import tallies, workflow
    from hazards.models import Hazard

    day = asof.local_day(asof.now())
    children = sub_regions(region)
    if not children:
        return []
    key = f"{children[0].level}_code"
    within = {f"{region.level}_code": region.code}
    opens = Q(status__in=workflow.OPEN_STATES)
    closed = Q(status=workflow.CLOSED)
    by_code: dict = {}
    # the smallest tally that has these codes (per city for a province's board)
    for r in (tallies.rows(scope, level=tallies.finest(children[0].level, region.level)).filter(**within, grade=workflow.MAJOR).exclude(status__in=workflow.FINAL_STATES)
              .values(key).annotate(total=Sum("n"), closed=Sum("n", filter=closed), open=Sum("n", filter=opens),
                                    on_time=Sum("n", filter=closed & Q(on_time=True)))):
        by_code[r[key]] = {k: r[k] or 0 for k in ("total", "closed", "open", "on_time")}
    base = Hazard.objects.all() if hazards is None else hazards
    majors = base.filter(**within, grade=workflow.MAJOR).exclude(status__in=workflow.FINAL_STATES)
    overdue = opens & Q(deadline__lt=day)
    listed_ids = tallies.listed_ids()
    agg = {"overdue": Count("pk", filter=overdue), "min_overdue_deadline": Min("deadline", filter=overdue),
           "min_open_deadline": Min("deadline", filter=opens & Q(deadline__gte=day))}
    wanted = opens
    if listed_ids is not None:
        listed = Q(pk__in=listed_ids)
        agg.update(listed=Count("pk", filter=listed), listed_overdue=Count("pk", filter=listed & overdue))
        wanted |= listed
    for r in majors.filter(wanted).values(key).annotate(**agg).order_by(key):
        row = by_code.setdefault(r[key], {"total": 0, "closed": 0, "open": 0, "on_time": 0})
        row.update({k: v for k, v in r.items() if k != key})
    for row in by_code.values():
        row.setdefault("overdue", 0)
        row["due"] = row["closed"] + row["overdue"]
        row["not_due"] = row["open"] - row["overdue"]
    return _items(children, by_code, day)


def _date(value) -> datetime.date:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def board(region: Region, today=None, rules: dict | None = None, hazards=None, scope=None) -> list[dict]:
    """Sub-regions with colour and rank (worst first: colour, then overdue, then rate; equal
    figures share a rank, listed by region code), as of
    ``today`` (instant or date) within ``hazards`` (the viewer's scope; None = whole region).
    ``scope`` with no ``today``: now, from the tallies."""
    rules = rules or active_rules(asof.local_day(asof.instant(today)))
    return _ranked(figures(region, today, hazards, scope), rules)


def boards_of_many(regions, today, children: dict) -> dict[int, list[dict]]:
    """``board(region, today)`` for each of ``regions`` (whole-region scope), by region pk, from
    ``figures_of_many`` (one statement for all of them): the backfill's weeks and the weekly
    snapshot (``services._fill``)."""
    rules = active_rules(asof.local_day(asof.instant(today)))
    return {pk: _ranked(items, rules) for pk, items in figures_of_many(regions, today, children).items()}


def _ranked(items: list[dict], rules: dict) -> list[dict]:
    for fig in items:
        fig["colour"] = colour(fig, rules)
        fig["colour_label"] = LABELS[fig["colour"]]
        fig["hex"] = HEX[fig["colour"]]
    def key(f):
        return ORDER.index(f["colour"]), -f["overdue"], _rate_order(f["rate"])

    items.sort(key=lambda f: (*key(f), f["code"]))
    # equal figures share a rank (并列), the next rank skipping as many: 1, 2, 2, 4
    for i, fig in enumerate(items, 1):
        fig["rank"] = items[i - 2]["rank"] if i > 1 and key(items[i - 2]) == key(fig) else i
    return items


def week_instant(week: datetime.date) -> datetime.datetime:
    """The instant a weekly snapshot describes: 00:00 (Asia/Shanghai) of its Monday, so a snapshot
    computed any time later gives the same figures."""
    return asof.start_of(week - datetime.timedelta(days=week.weekday()))
