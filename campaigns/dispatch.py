"""Computing the dispatch table (调度表) as of a time.

* Time: the cut-off is an instant; every fact is counted by the Asia/Shanghai date it happened
  (``hazards.asof``), never by when it was typed in — a frozen submission keeps its values, the
  live table shows late-entered facts.
* Section 一 is computed here from the hazard ledger with ``hazards.asof``: state and grade *as
  of* the cut-off come from the event trail, so a hazard merged or voided later still counts,
  and one reopened before the cut-off counts as not rectified.
* Sections 二, 三 and rows 4.5 / 4.8 come from ``inspections/enforcement/tips.dispatch``
  (``unit_rows`` / ``region_rows``), imported lazily; a missing module leaves its rows manual.
* Rows 4.1–4.4, 4.6, 4.7 come from the unit's leadership activity log.
"""

import datetime
import importlib
from decimal import Decimal

from django.db.models import Count

from accounts.models import Organisation
from core import rowsql
from core.rowsql import Part
from hazards import asof
from hazards.querysets import SELF_CHANNELS  # enterprise self-check incl. the third parties it engaged

from . import rows as R
from .models import Activity

FEEDERS = ("inspections", "enforcement", "tips")


def feeder(app: str):
    """``<app>.dispatch`` or None while that app has not written it yet."""
    try:
        return importlib.import_module(f"{app}.dispatch")
    except ModuleNotFoundError as exc:
        if exc.name in (f"{app}.dispatch", app):
            return None
        raise


def start_datetime(day: datetime.date) -> datetime.datetime:
    """00:00 (Asia/Shanghai) of a campaign's start date."""
    return asof.start_of(day)


def week_of(moment: datetime.datetime) -> datetime.date:
    """The Monday of the reporting week ``moment`` (Asia/Shanghai) falls in."""
    day = asof.local_day(moment)
    return day - datetime.timedelta(days=day.weekday())


# ---------------------------------------------------------------- section 一

def hazards_as_of(qs, start: datetime.datetime, as_of: datetime.datetime):
    """Hazards graded major at ``as_of``, first reported in [start, as_of], neither merged nor
    voided then; annotated by ``hazards.asof`` (``state_at`` …)."""
    return asof.major(qs, as_of).filter(first_reported_at__gte=start)


def section_one_part(qs, start, as_of, *, departments_rows: bool, county_code: str | None = None) -> Part:
    """Rows 1.1–1.4 over ``hazards_as_of(qs, start, as_of)`` as a one-row statement
    (``asof.major_rows_sql``: the same hazards, state and grade as of the cut-off, without a
    correlated sub-select per hazard of the scope). ``county_code``: the county all of ``qs`` lies
    in, when known (``Region.county_code``)."""
    rows, params = asof.major_rows_sql(qs, as_of, since=start, county_code=county_code)
    self_in = ", ".join(["%s"] * len(SELF_CHANNELS))
    is_self, closed = f"r.channel IN ({self_in})", "r.state_at = %s"
    sql = (f"SELECT COALESCE(SUM(CASE WHEN {is_self} THEN 1 ELSE 0 END), 0), "
           f"COALESCE(SUM(CASE WHEN {is_self} AND {closed} THEN 1 ELSE 0 END), 0), "
           f"COALESCE(SUM(CASE WHEN {is_self} THEN 0 ELSE 1 END), 0), "
           f"COALESCE(SUM(CASE WHEN {is_self} OR NOT {closed} THEN 0 ELSE 1 END), 0) FROM ({rows}) r")
    channels, state = list(SELF_CHANNELS), asof.workflow.CLOSED

    def decode(row):
        self_found, self_closed, dept_found, dept_closed = (int(v) for v in row)
        out = {"1.1": self_found, "1.2": self_closed}
        if departments_rows:
            out.update({"1.3": dept_found, "1.4": dept_closed})
        return out

    return Part(sql, [*channels, *channels, state, *channels, *channels, state, *params], 4, decode)


def section_one(qs, start, as_of, *, departments_rows: bool, county_code: str | None = None) -> dict:
    """Rows 1.1–1.4 over ``hazards_as_of(qs, start, as_of)``, counted in one set-based statement."""
    return rowsql.run(section_one_part(qs, start, as_of, departments_rows=departments_rows, county_code=county_code))


def unit_hazards(unit: Organisation):
    """The hazards in the unit's dispatch-table scope: its region × (for a department) the sectors it leads."""
    from hazards.models import Hazard

    qs = Hazard.objects.filter(**{f"{unit.region.level}_code": unit.region.code})
    if unit.kind == Organisation.Kind.DEPARTMENT:
        qs = qs.filter(sector_id__in=sorted(unit.lead_sector_ids()))
    return qs


# ---------------------------------------------------------------- section 四 (activity log)

ACTIVITY_KINDS = (*R.ACTIVITY_ROWS, Activity.Kind.MEDIA, Activity.Kind.SUPERVISION)


def activity_part(where: str, params: list, start: datetime.datetime, as_of: datetime.datetime) -> Part:
    """Section 四 from the activity log ``campaigns_activity a`` filtered by ``where``, one row: the
    entries of each kind dated in the period, and the latest head count of technical inspectors
    dated on or before the cut-off (4.7)."""
    day0, day1 = (rowsql.day(d) for d in asof.day_window(start, as_of))
    counts = ", ".join("COUNT(CASE WHEN a.kind = %s THEN 1 END)" for _ in ACTIVITY_KINDS)
    sql = (f"SELECT * FROM (SELECT {counts} FROM campaigns_activity a WHERE {where} AND a.date >= %s AND a.date <= %s) c "
           f"CROSS JOIN (SELECT (SELECT a.count FROM campaigns_activity a WHERE {where} AND a.kind = %s AND a.date <= %s "
           "ORDER BY a.date DESC, a.id DESC LIMIT 1)) i")
    kinds = [str(k) for k in ACTIVITY_KINDS]

    def decode(row):
        counts = dict(zip(ACTIVITY_KINDS, (int(v or 0) for v in row[:-1])))
        out = {code: counts[kind] for kind, code in R.ACTIVITY_ROWS.items()}
        if counts[Activity.Kind.MEDIA]:
            out["4.6"] = True
        if row[-1] is not None:
            out["4.7"] = row[-1]
        # Supervision checks logged here before 4.8 had one way (inspection visits) still count in 4.8.
        if counts[Activity.Kind.SUPERVISION]:
            out["4.8_legacy"] = counts[Activity.Kind.SUPERVISION]
        return out

    return Part(sql, [*kinds, *params, day0, day1, *params, str(Activity.Kind.INSPECTORS), day1], len(kinds) + 1, decode)


def activity_rows(activities, start: datetime.datetime, as_of: datetime.datetime) -> dict:
    """Section 四 of an activity queryset (the ORM form; the pages use ``activity_part``)."""
    day0, day1 = asof.day_window(start, as_of)
    period = activities.filter(date__gte=day0, date__lte=day1)
    counts = dict(period.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    out = {code: counts.get(kind, 0) for kind, code in R.ACTIVITY_ROWS.items()}
    if counts.get(Activity.Kind.MEDIA):
        out["4.6"] = True
    latest = (activities.filter(kind=Activity.Kind.INSPECTORS, date__lte=day1)
              .order_by("-date", "-id").values_list("count", flat=True).first())
    if latest is not None:
        out["4.7"] = latest
    legacy = counts.get(Activity.Kind.SUPERVISION, 0)
    if legacy:
        out["4.8_legacy"] = legacy
    return out


def _add_legacy_supervision(out: dict, acts: dict) -> None:
    legacy = acts.pop("4.8_legacy", 0)
    if legacy:
        out["4.8"] = (out.get("4.8") or 0) + legacy


# ---------------------------------------------------------------- whole tables

def _feeder_parts(method: str, arg, start, as_of) -> list:
    """The feeders' one-row statements (``unit_sql`` / ``region_sql``); a feeder without one is
    asked for its rows directly (``unit_rows`` / ``region_rows``) — None stands for it."""
    parts = []
    for app in FEEDERS:
        mod = feeder(app)
        if mod is None:
            continue
        part = getattr(mod, f"{method}_sql", None)
        parts.append(part(arg, start, as_of) if part else (lambda m=mod: getattr(m, f"{method}_rows")(arg, start, as_of)))
    return parts


def _numbers(parts: list) -> dict:
    """Every one-row part in one statement; then the feeders without one; only the table's codes
    of the feeders (plus section 一 and the activity log's keys)."""
    out = rowsql.run_all([p for p in parts if isinstance(p, Part)])
    for p in parts:
        if not isinstance(p, Part):
            out.update(p())
    return out


def _merge(values: dict, activity_codes) -> dict:
    out = {k: v for k, v in values.items() if k in R.BY_CODE and k not in ACTIVITY_CODES}
    acts = {k: v for k, v in values.items() if k in ACTIVITY_CODES}
    _add_legacy_supervision(out, acts)
    out.update({k: v for k, v in acts.items() if k in activity_codes})
    return out


ACTIVITY_CODES = frozenset({*R.ACTIVITY_ROWS.values(), "4.6", "4.7", "4.8_legacy"})


def unit_table(unit: Organisation, start: datetime.datetime, as_of: datetime.datetime) -> dict:
    """The live numbers of one unit's table: {code: value} for every row the data answers —
    sections 一 to 四 in one statement (each section a one-row aggregate of its own)."""
    parts = [section_one_part(unit_hazards(unit), start, as_of, departments_rows=unit.kind == Organisation.Kind.DEPARTMENT,
                              county_code=unit.region.county_code()),
             *_feeder_parts("unit", unit, start, as_of),
             activity_part("a.unit_id = %s", [unit.pk], start, as_of)]
    return _merge(_numbers(parts), ACTIVITY_CODES)


def region_table(region, start: datetime.datetime, as_of: datetime.datetime) -> dict:
    """The live, de-duplicated recomputation for a whole region (each hazard / enterprise once)."""
    from hazards.models import Hazard

    parts = [section_one_part(Hazard.objects.filter(**{f"{region.level}_code": region.code}), start, as_of, departments_rows=True,
                              county_code=region.county_code()),
             *_feeder_parts("region", region, start, as_of),
             activity_part(f"a.{region.level}_code = %s", [region.code], start, as_of)]
    return _merge(_numbers(parts), ("4.1", "4.2", "4.3", "4.4"))


def auto_codes(unit: Organisation | None = None) -> set[str]:
    """Codes the live data answers (the rest are entered by hand)."""
    codes = {"1.1", "1.2", "4.1", "4.2", "4.3", "4.4"}
    if unit is None or unit.kind == Organisation.Kind.DEPARTMENT:
        codes |= {"1.3", "1.4"}
    for app in FEEDERS:
        if feeder(app) is not None:
            codes |= {r.code for r in R.ROWS if r.source == app}
    return codes


# ---------------------------------------------------------------- values ↔ JSON

def to_json(values: dict) -> dict:
    out = {}
    for code, value in values.items():
        if isinstance(value, Decimal):
            out[code] = str(value)
        else:
            out[code] = value
    return out


def parse_value(row: R.Row, raw):
    """Hand-entered value of one row, or ServiceError naming the row."""
    from core.services import ServiceError

    if raw is None or raw == "":
        return None
    try:
        if row.kind == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("是", "true", "1", "yes", "on"):
                return True
            if text in ("否", "false", "0", "no", "off"):
                return False
            raise ValueError
        if row.kind == "decimal":
            value = Decimal(str(raw).strip())
            if not value.is_finite():
                raise ValueError
        else:
            value = int(str(raw).strip())
        if value < 0:
            raise ValueError
        return value
    except (ValueError, ArithmeticError):
        raise ServiceError(f"{row.code} {row.label}：请填写非负数字。", f"row_{row.code}")


def number(value) -> Decimal:
    if value in (None, "", False):
        return Decimal(0)
    if value is True:
        return Decimal(1)
    return Decimal(str(value))


def check_invariants(values: dict) -> None:
    from core.services import ServiceError

    for small, large in R.INVARIANTS:
        if values.get(small) is None:
            continue
        if number(values.get(small)) > number(values.get(large)):
            srow, lrow = R.BY_CODE[small], R.BY_CODE[large]
            raise ServiceError(f"{small} {srow.label}（{values.get(small)}）不能大于 {large} {lrow.label}（{values.get(large) or 0}）。",
                               f"row_{small}")


def sum_tables(tables: list[dict]) -> dict:
    out: dict = {}
    for values in tables:
        for code, value in values.items():
            row = R.BY_CODE.get(code)
            if row is None or value is None:
                continue
            if row.kind == "bool":
                out[code] = (out.get(code) or 0) + (1 if value else 0)
            else:
                out[code] = number(out.get(code)) + number(value)
    return {k: (int(v) if R.BY_CODE[k].kind == "int" else v) for k, v in out.items()}
