"""Periodic work, declared here (no cron): synced into django-q2's Schedule table by
``manage.py run_worker`` (and ``manage.py sync_schedules``). Each periodic pass runs as a system
``Job`` (``jobs.periodic.run_system``) so it has progress, a result line and retries."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

PREFIX = "qingling:"


@dataclass(frozen=True)
class Periodic:
    name: str
    func: str
    schedule_type: str       # django_q.models.Schedule: "I" minutes, "H" hourly, "D" daily, "W" weekly
    args: str = ""           # repr of the positional arguments, as django-q2 stores them
    minutes: int | None = None
    at: datetime.time | None = None  # local time of day of the first run
    weekday: int | None = None       # for WEEKLY: 0 = Monday


PERIODIC = [
    Periodic("jobs.sweep", "jobs.runner.sweep", "I", minutes=1),
    Periodic("alerts.hazards", "jobs.periodic.run_system", "I", args="'alerts.hazards'", minutes=15),
    Periodic("alerts.digests", "jobs.periodic.run_system", "D", args="'alerts.digests'", at=datetime.time(7, 30)),
    # the outbox's pending e-mails/SMS (also queued on commit by notify_bulk): a message whose job was lost is sent anyway
    Periodic("outbox.deliver", "jobs.periodic.run_system", "I", args="'outbox.deliver'", minutes=5),
    Periodic("alerts.certificates", "jobs.periodic.run_system", "D", args="'alerts.certificates'", at=datetime.time(7, 10)),
    Periodic("alerts.tips", "jobs.periodic.run_system", "H", args="'alerts.tips'"),
    # the public tip rate-limit trail (address digests) older than its one-hour window: identity protection
    Periodic("tips.purge_attempts", "jobs.periodic.run_system", "I", args="'tips.purge_attempts'", minutes=15),
    Periodic("rules.apply", "jobs.periodic.run_system", "D", args="'rules.apply'", at=datetime.time(0, 5)),
    Periodic("alerts.listings", "jobs.periodic.run_system", "D", args="'alerts.listings'", at=datetime.time(7, 20)),
    # hazards.tallies: triggers keep the counts; this nightly pass proves it (and repairs a bulk load's gap)
    Periodic("tallies.reconcile", "jobs.periodic.run_system", "D", args="'tallies.reconcile'", at=datetime.time(3, 40)),
    # ... and this one folds the deadline weeks that became past into one key (a no-op but on Mondays)
    Periodic("tallies.fold", "jobs.periodic.run_system", "D", args="'tallies.fold'", at=datetime.time(0, 2)),
    # the ledger's search index: merge what imports appended to its pending list (hazards.search)
    Periodic("search.merge_pending", "jobs.periodic.run_system", "I", args="'search.merge_pending'", minutes=10),
    # result files of jobs finished more than QINGLING_JOB_RESULT_DAYS ago, stale temporary files
    Periodic("jobs.cleanup", "jobs.periodic.run_system", "D", args="'jobs.cleanup'", at=datetime.time(3, 20)),
    Periodic("campaigns.board_snapshot", "jobs.periodic.run_system", "W", args="'campaigns.board_snapshot'",
             at=datetime.time(12, 5), weekday=0),
]


def first_run(p: Periodic, now: datetime.datetime) -> datetime.datetime:
    if p.at is None:
        return now
    local = timezone.localtime(now)
    at = local.replace(hour=p.at.hour, minute=p.at.minute, second=0, microsecond=0)
    if p.weekday is not None:
        at += datetime.timedelta(days=(p.weekday - at.weekday()) % 7)
        if at <= local:
            at += datetime.timedelta(days=7)
    elif at <= local:
        at += datetime.timedelta(days=1)
    return at


def _on_time(next_run: datetime.datetime | None, p: Periodic) -> bool:
    """Whether a stored next run is at the declared local time of day (and weekday): a time
    changed in the declaration moves the schedule at the next sync."""
    if p.at is None:
        return True
    if next_run is None:
        return False
    local = timezone.localtime(next_run)
    return (local.hour, local.minute) == (p.at.hour, p.at.minute) and (p.weekday is None or local.weekday() == p.weekday)


def sync(now: datetime.datetime | None = None) -> dict:
    """Create or update the declared schedules; remove ours that are no longer declared. A
    schedule's next run is kept when its timing did not change (restarts do not shift it)."""
    from django_q.models import Schedule

    now = now or timezone.now()
    wanted = {PREFIX + p.name: p for p in PERIODIC}
    created = updated = 0
    for name, p in wanted.items():
        fields = {"func": p.func, "args": p.args or None, "schedule_type": p.schedule_type, "minutes": p.minutes,
                  "repeats": -1}
        s = Schedule.objects.filter(name=name).first()
        if s is None:
            Schedule.objects.create(name=name, next_run=first_run(p, now), **fields)
            created += 1
        elif any(getattr(s, k) != v for k, v in fields.items()) or not _on_time(s.next_run, p):
            for k, v in fields.items():
                setattr(s, k, v)
            s.next_run = first_run(p, now)
            s.save()
            updated += 1
    removed, _ = Schedule.objects.filter(name__startswith=PREFIX).exclude(name__in=list(wanted)).delete()
    return {"created": created, "updated": updated, "removed": removed}
