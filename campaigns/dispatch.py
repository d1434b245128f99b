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


def section_one(qs, start, as_of, *, departments_rows: bool) -> dict:
    """Rows 1.1–1.4 over ``hazards_as_of(qs, start, as_of)``, counted in one set-based statement
    (``asof.major_rows_sql``: the same hazards, state and grade as of the cut-off, without a
    correlated sub-select per hazard of the scope)."""
    from django.db import connection

    rows, params = asof.major_rows_sql(qs, as_of, since=start)
    self_in = ", ".join(["%s"] * len(SELF_CHANNELS))
    is_self, closed = f"r.channel IN ({self_in})", "r.state_at = %s"
    sql = (f"SELECT COALESCE(SUM(CASE WHEN {is_self} THEN 1 ELSE 0 END), 0), "
           f"COALESCE(SUM(CASE WHEN {is_self} AND {closed} THEN 1 ELSE 0 END), 0), "
           f"COALESCE(SUM(CASE WHEN {is_self} THEN 0 ELSE 1 END), 0), "
           f"COALESCE(SUM(CASE WHEN {is_self} OR NOT {closed} THEN 0 ELSE 1 END), 0) FROM ({rows}) r")
    channels, state = list(SELF_CHANNELS), asof.workflow.CLOSED
    with connection.cursor() as cur:
        cur.execute(sql, [*channels, *channels, state, *channels, *channels, state, *params])
        self_found, self_closed, dept_found, dept_closed = (int(v) for v in cur.fetchone())
    out = {"1.1": self_found, "1.2": self_closed}
    if departments_rows:
        out.update({"1.3": dept_found, "1.4": dept_closed})
    return out


def unit_hazards(unit: Organisation):
    """The hazards in the unit's dispatch-table scope: its region × (for a department) the sectors it leads."""
    from hazards.models import Hazard

    qs = Hazard.objects.filter(**{f"{unit.region.level}_code": unit.region.code})
    if unit.kind == Organisation.Kind.DEPARTMENT:
        qs = qs.filter(sector_id__in=sorted(unit.lead_sector_ids()))
    return qs


# ---------------------------------------------------------------- section 四 (activity log)

def activity_rows(activities, start: datetime.datetime, as_of: datetime.datetime) -> dict:
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
    # Supervision checks logged here before 4.8 had one way (inspection visits) still count in 4.8.
    legacy = counts.get(Activity.Kind.SUPERVISION, 0)
    if legacy:
        out["4.8_legacy"] = legacy
    return out


def _add_legacy_supervision(out: dict, acts: dict) -> None:
    legacy = acts.pop("4.8_legacy", 0)
    if legacy:
        out["4.8"] = (out.get("4.8") or 0) + legacy


# ---------------------------------------------------------------- whole tables

def _feed(out: dict, method: str, arg, start, as_of) -> None:
    for app in FEEDERS:
        mod = feeder(app)
        if mod is None:
            continue
        for code, value in getattr(mod, method)(arg, start, as_of).items():
            if code in R.BY_CODE:
                out[code] = value


def unit_table(unit: Organisation, start: datetime.datetime, as_of: datetime.datetime) -> dict:
    """The live numbers of one unit's table: {code: value} for every row the data answers."""
    out = section_one(unit_hazards(unit), start, as_of, departments_rows=unit.kind == Organisation.Kind.DEPARTMENT)
    _feed(out, "unit_rows", unit, start, as_of)
    acts = activity_rows(Activity.objects.filter(unit=unit), start, as_of)
    _add_legacy_supervision(out, acts)
    out.update(acts)
    return out


def region_table(region, start: datetime.datetime, as_of: datetime.datetime) -> dict:
    """The live, de-duplicated recomputation for a whole region (each hazard / enterprise once)."""
    from hazards.models import Hazard

    out = section_one(Hazard.objects.filter(**{f"{region.level}_code": region.code}), start, as_of, departments_rows=True)
    _feed(out, "region_rows", region, start, as_of)
    acts = activity_rows(Activity.objects.filter(**{f"{region.level}_code": region.code}), start, as_of)
    _add_legacy_supervision(out, acts)
    out.update({k: v for k, v in acts.items() if k in ("4.1", "4.2", "4.3", "4.4")})
    return out


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
