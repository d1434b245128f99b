"""Accident counts for the board, statistics and the quarterly bulletin (read-only hook).

``counts(user, start, end)`` — accidents that occurred in [start, end] (dates, inclusive) inside
the user's scope: how many, by grade, and the deaths, serious injuries and direct loss.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from .models import GRADE_CHOICES, Accident


def _bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    lo = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    hi = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return lo, hi


def counts(user, start: datetime.date, end: datetime.date, queryset=None) -> dict:
    lo, hi = _bounds(start, end)
    qs = (queryset if queryset is not None else Accident.objects.visible_to(user)).filter(
        occurred_at__gte=lo, occurred_at__lt=hi)
    by_grade = {g: 0 for g, _ in GRADE_CHOICES}
    for row in qs.values("grade").annotate(n=Count("id")):
        by_grade[row["grade"]] = row["n"]
    sums = qs.aggregate(deaths=Sum("deaths"), injuries=Sum("injuries"), loss=Sum("loss"))
    fig = {
        "total": sum(by_grade.values()), "by_grade": by_grade,
        "labels": dict(GRADE_CHOICES),
        "deaths": sums["deaths"] or 0, "injuries": sums["injuries"] or 0, "loss": sums["loss"] or Decimal("0"),
    }
    return {**fig, "sentence": sentence(fig)}


def sentence(fig: dict) -> str:
    """The one wording of the counts, on the pages and in the bulletin's Word file."""
    grades = "，".join(f"{fig['labels'][g]} {n} 起" for g, n in fig["by_grade"].items())
    return f"共发生事故 {fig['total']} 起，死亡 {fig['deaths']} 人，重伤 {fig['injuries']} 人；其中{grades}。"


def quarter_counts(user, year: int, quarter: int) -> dict:
    """``counts`` for a calendar quarter (the quarterly bulletin's accident section)."""
    start = datetime.date(year, 3 * (quarter - 1) + 1, 1)
    end = (datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - datetime.timedelta(days=1))
    return {**counts(user, start, end), "start": start, "end": end}


def year_to_date(user, day: datetime.date) -> dict:
    """``counts`` from 1 January of ``day``'s year to ``day`` (board and statistics, as of their date)."""
    start = datetime.date(day.year, 1, 1)
    return {**counts(user, start, day), "start": start, "end": day}
