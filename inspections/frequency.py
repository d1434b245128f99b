"""涉企检查频次上限 (rule table "inspection-frequency-caps", ``models.FrequencyCap``): how many times a
department may inspect one enterprise in a calendar year on its own initiative, by the enterprise's
class (``Enterprise.high_risk``) and 安全生产标准化 grade, with the rows in force on the day asked;
a plan's own ``max_per_enterprise`` may be stricter (the lower of the two holds).

Read, never written: the 双随机 pool leaves out the enterprises at their cap (``capped``); a record
made outside a draw is kept whatever the count (inspections for a cause — 举报核查, 事故调查, 复查 —
are not capped) and the record page says when it went beyond the cap (``status``)."""

import datetime

from django.db.models import Count, Q

from core.ruletables import rows_in_force
from enterprises.models import Enterprise

from .models import FrequencyCap, Record


def caps(on: datetime.date) -> dict[tuple[bool, str], int]:
    """{(high_risk, grade): yearly cap} as in force on ``on``."""
    rows = rows_in_force("inspection-frequency-caps", FrequencyCap.objects.all(), on)
    return {(r.high_risk, r.grade): r.max_per_year for r in rows}


def summary(on: datetime.date) -> str:
    """The caps in force on ``on`` in words, as the plan page shows them."""
    table = caps(on)
    parts = []
    for high_risk, label in ((True, "高危行业企业"), (False, "其他企业")):
        grades = [f"{name}{table[(high_risk, code)]}次" for code, name in Enterprise.StandardisationGrade.choices
                  if (high_risk, code) in table]
        if grades:
            parts.append(f"{label}：{'、'.join(grades)}")
    return "；".join(parts)


def cap_for(high_risk: bool, grade: str, table: dict, plan_max: int | None = None) -> int | None:
    """The cap of one enterprise: the table's row for its class and grade, or the plan's limit when
    lower; None when neither limits it."""
    limits = [n for n in (table.get((bool(high_risk), grade)), plan_max or None) if n]
    return min(limits) if limits else None


def capped(department, year: int, enterprise_ids, *, on: datetime.date, plan_max: int | None = None) -> set[int]:
    """Of ``enterprise_ids``, those the department has inspected ``year`` as often as their cap."""
    counts = dict(Record.objects.filter(organisation=department, inspected_on__year=year, enterprise_id__in=enterprise_ids)
                  .values("enterprise_id").annotate(n=Count("id")).values_list("enterprise_id", "n"))
    if not counts:
        return set()
    table = caps(on)
    full = set()
    for pk, high_risk, grade in Enterprise.objects.filter(pk__in=counts).values_list("pk", "high_risk", "standardisation_grade"):
        cap = cap_for(high_risk, grade, table, plan_max)
        if cap is not None and counts[pk] >= cap:
            full.add(pk)
    return full


def status(record: Record) -> dict:
    """Where ``record`` stands against its enterprise's cap: the how-many-th inspection of the year by
    its department it is (by date, then number), the cap in force on its day, and whether it is beyond."""
    ent = record.enterprise
    year = record.inspected_on.year
    nth = Record.objects.filter(
        Q(inspected_on__lt=record.inspected_on) | Q(inspected_on=record.inspected_on, pk__lte=record.pk),
        organisation_id=record.organisation_id, enterprise_id=ent.pk, inspected_on__year=year).count()
    high_risk, grade = class_on(ent, record.inspected_on)
    cap = cap_for(high_risk, grade, caps(record.inspected_on))
    return {"nth": nth, "cap": cap, "beyond": cap is not None and nth > cap, "year": year,
            "high_risk": high_risk, "grade": dict(Enterprise.StandardisationGrade.choices).get(grade, grade)}


def class_on(ent: Enterprise, day: datetime.date) -> tuple[bool, str]:
    """The enterprise's (high_risk, 标准化 grade) on ``day``, from its ``enterprise.updated`` events:
    each value is the "before" of its first change after that day, else today's. A class change
    recorded before the events carried ``high_risk`` (it is derived from the sectors and the
    override) reads as today's class."""
    from core.events import object_type_of
    from core.models import Event
    from hazards.asof import end_of

    high_risk, grade = ent.high_risk, ent.standardisation_grade
    later = (Event.objects.filter(object_type=object_type_of(ent), object_id=ent.pk, verb="enterprise.updated",
                                  created_at__gt=end_of(day)).order_by("-created_at", "-id").values_list("data", flat=True))
    for data in later:  # latest first: the earliest change after ``day`` is applied last and holds
        changes = (data or {}).get("changes") or {}
        if "standardisation_grade" in changes:
            grade = changes["standardisation_grade"][0]
        if "high_risk" in changes:
            high_risk = changes["high_risk"][0] == "True"
    return high_risk, grade
