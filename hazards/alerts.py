"""Who is told what about hazards. Each alert has a dedupe key, so it is sent once."""

import datetime

from django.contrib.auth import get_user_model

from core.notifications import notify

User = get_user_model()


def _enterprise_users(enterprise, roles=("principal",)):
    if not enterprise.organisation_id:
        return User.objects.none()
    return User.objects.filter(membership__organisation_id=enterprise.organisation_id, membership__role__in=roles, is_active=True)


def notify_major_registered(hazard) -> None:
    """重大隐患 registered: the principal and the actual controller (PRODUCT.md; seed 002 item 11)."""
    ent = hazard.enterprise
    title = f"重大事故隐患登记通知：{ent.name}"
    body = f"{hazard.number}：{hazard.description[:60]}；整改期限 {hazard.deadline or '待定'}。"
    url = f"/hazards/{hazard.pk}/"
    for user in _enterprise_users(ent):
        notify(kind="hazard.major_registered", dedupe_key=f"hazard:{hazard.pk}:registered:user:{user.pk}",
               title=title, body=body, url=url, obj=hazard, user=user, channels=("inapp", "email"))
    if ent.principal_phone:
        notify(kind="hazard.major_registered", dedupe_key=f"hazard:{hazard.pk}:registered:principal",
               title=title, body=body, obj=hazard, name=ent.principal_name, phone=ent.principal_phone, channels=("sms",))
    if ent.controller_phone:
        notify(kind="hazard.major_registered", dedupe_key=f"hazard:{hazard.pk}:registered:controller",
               title=title, body=body, obj=hazard, name=ent.controller_name, phone=ent.controller_phone, channels=("sms",))


def notify_rejected(hazard, acceptance, reason: str, next_steps: str) -> None:
    """The submitter is told why the acceptance failed and what to do next."""
    if acceptance.submitted_by_id is None:
        return
    notify(kind="hazard.rejected", dedupe_key=f"hazard:{hazard.pk}:rejected:{acceptance.pk}",
           title=f"隐患整改验收未通过：{hazard.number}", body=f"理由：{reason}；下一步：{next_steps or '按要求继续整改'}",
           url=f"/hazards/{hazard.pk}/", obj=hazard, user=acceptance.submitted_by, channels=("inapp", "email"))


# ---------------------------------------------------------------- deadline alerts (send_hazard_alerts)

DEADLINE_KINDS = {"due7": "整改期限还有7天", "due1": "整改期限还有1天", "overdue": "已逾期未整改"}


def deadline_kind(deadline, today) -> str | None:
    """Which alert is due for a deadline today: 7 days before, 1 day before, or overdue.
    A missed run still sends the alert of the window it falls in (each once)."""
    days = (deadline - today).days
    if days < 0:
        return "overdue"
    if days <= 1:
        return "due1"
    if days <= 7:
        return "due7"
    return None


def next_alert_after(kind: str, deadline: datetime.date) -> datetime.date | None:
    """After the ``kind`` alert went out, when the following one falls due (None: that was the last)."""
    if kind == "due7":
        return deadline - datetime.timedelta(days=1)
    if kind == "due1":
        return deadline + datetime.timedelta(days=1)
    return None


class _Recipients:
    """The enterprises' principals (user accounts) for a batch of hazards, one query per batch.
    Department staff are not alerted per hazard: they get one daily digest (send_daily_digests)."""

    def __init__(self):
        self.enterprises: dict = {}

    @staticmethod
    def _row(u):
        return (u.pk, u.get_full_name() or u.username, u.email, getattr(getattr(u, "membership", None), "phone", ""))

    def prime(self, hazards) -> None:
        from accounts.models import Membership

        orgs = {h.enterprise.organisation_id for h in hazards if h.enterprise.organisation_id} - set(self.enterprises)
        if orgs:
            by_org = {o: [] for o in orgs}
            for u in (User.objects.filter(membership__organisation_id__in=orgs, is_active=True,
                                          membership__role=Membership.Role.PRINCIPAL).select_related("membership")):
                by_org[u.membership.organisation_id].append(self._row(u))
            self.enterprises.update(by_org)

    def for_hazard(self, hazard) -> list[tuple]:
        return self.enterprises.get(hazard.enterprise.organisation_id, []) if hazard.enterprise.organisation_id else []


def send_deadline_alerts(today=None, *, batch_size: int = 2000) -> int:
    """The immediate per-hazard alert, at 7 days and 1 day before the deadline and when overdue:
    to the enterprise's principal (account: in-app + e-mail; 主要负责人 and 实际控制人 phones: SMS)
    and the responsible person (SMS) — each exactly once per deadline (the dedupe key holds the
    deadline date, so an approved extension re-arms them). Department staff get the daily digest.

    Only hazards whose ``next_alert_on`` has come are read (an indexed range scan, not a walk
    over every open hazard); after sending, ``next_alert_on`` moves to the next stage by
    compare-and-set, so two overlapping runs cannot advance it twice, and the dedupe keys make
    sure nobody is told twice. Returns how many new messages were created."""
    from django.db import transaction
    from django.utils import timezone

    from core.notifications import notify_bulk

    from . import workflow
    from .models import Hazard

    today = today or timezone.localdate()
    due = (Hazard.objects.filter(status__in=workflow.OPEN_STATES, next_alert_on__isnull=False, next_alert_on__lte=today)
           .order_by().select_related("enterprise"))
    recipients = _Recipients()
    sent = 0
    chunk: list = []

    def flush(hazards) -> int:
        alerts, moves = [], {}
        recipients.prime(hazards)
        for hazard in hazards:
            if hazard.deadline is None:
                kind, following = None, None
            else:
                kind = deadline_kind(hazard.deadline, today)
                following = next_alert_after(kind, hazard.deadline) if kind else hazard.deadline - datetime.timedelta(days=7)
            moves.setdefault((hazard.next_alert_on, following), []).append(hazard.pk)
            if kind is None:
                continue
            base = f"hazard:{hazard.pk}:{kind}:{hazard.deadline.isoformat()}"
            title = f"隐患{DEADLINE_KINDS[kind]}：{hazard.enterprise.name}"
            body = f"{hazard.number}：{hazard.description[:60]}；整改期限 {hazard.deadline:%Y-%m-%d}。"
            common = {"kind": f"hazard.{kind}", "title": title, "body": body, "url": f"/hazards/{hazard.pk}/",
                      "obj_type": "hazards.hazard", "obj_id": hazard.pk}
            for user in recipients.for_hazard(hazard):
                alerts.append({**common, "dedupe_key": f"{base}:user:{user[0]}", "user": user, "channels": ("inapp", "email")})
            ent = hazard.enterprise
            for who, name, phone in (("responsible", hazard.responsible_person, hazard.responsible_phone),
                                     ("principal", ent.principal_name, ent.principal_phone),
                                     ("controller", ent.controller_name, ent.controller_phone)):
                if phone:
                    alerts.append({**common, "dedupe_key": f"{base}:{who}", "name": name, "phone": phone,
                                   "channels": ("sms",)})
        with transaction.atomic():
            created = notify_bulk(alerts)
            for (old, following), pks in moves.items():
                Hazard.objects.filter(pk__in=pks, next_alert_on=old).update(next_alert_on=following)
        return created

    for hazard in due.iterator(chunk_size=batch_size):
        chunk.append(hazard)
        if len(chunk) >= batch_size:
            sent += flush(chunk)
            chunk = []
    if chunk:
        sent += flush(chunk)
    return sent


def send_daily_digests(today=None, *, horizon_days: int = 7, max_lines: int = 30) -> int:
    """One digest a day per officer/leader of each department that leads a sector (or its parent
    sector) in a county: its open hazards overdue or due within ``horizon_days``, in-app and by
    e-mail (the list), SMS (the counts). Idempotent: the dedupe key holds the day and the user.
    Returns how many new messages were created."""
    from django.utils import timezone

    from accounts.models import Competence, Membership, Organisation, Sector
    from core.notifications import notify_bulk

    from . import workflow
    from .models import Hazard

    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=horizon_days)
    leads: dict = {}
    for dept, county, sector in Competence.objects.filter(
            role=Competence.Role.LEAD, department__kind=Organisation.Kind.DEPARTMENT, department__is_active=True
    ).exclude(department__county_code="").values_list("department_id", "department__county_code", "sector_id"):
        leads.setdefault(dept, (county, set()))[1].add(sector)
    if not leads:
        return 0
    children: dict = {}
    for pk, parent in Sector.objects.filter(parent__isnull=False).values_list("pk", "parent_id"):
        children.setdefault(parent, set()).add(pk)
    staff: dict = {}
    for u in (User.objects.filter(membership__organisation_id__in=list(leads), is_active=True,
                                  membership__role__in=[Membership.Role.OFFICER, Membership.Role.LEADER])
              .select_related("membership")):
        staff.setdefault(u.membership.organisation_id, []).append(_Recipients._row(u))
    alerts = []
    for dept, (county, sectors) in leads.items():
        if dept not in staff:
            continue
        wanted = set(sectors).union(*(children.get(s, set()) for s in sectors))
        rows = list(Hazard.objects.filter(status__in=workflow.OPEN_STATES, deadline__isnull=False, deadline__lte=horizon,
                                          county_code=county, sector_id__in=wanted)
                    .order_by("deadline", "pk").only("pk", "county_code", "deadline", "enterprise__name")
                    .select_related("enterprise"))
        if not rows:
            continue
        overdue = sum(1 for h in rows if h.deadline < today)
        due = len(rows) - overdue
        title = f"隐患整改期限每日汇总（{today:%Y-%m-%d}）：逾期 {overdue} 项，{horizon_days}日内到期 {due} 项"
        lines = [f"{h.number} {h.enterprise.name} 整改期限 {h.deadline:%Y-%m-%d}"
                 + (f"（已逾期 {(today - h.deadline).days} 天）" if h.deadline < today else "") for h in rows[:max_lines]]
        if len(rows) > max_lines:
            lines.append(f"……另有 {len(rows) - max_lines} 项，请在隐患台账中查看。")
        common = {"kind": "hazard.digest", "title": title, "url": "/hazards/?overdue=true", "obj_type": "", "obj_id": None}
        for user in staff[dept]:
            key = f"digest:{today.isoformat()}:user:{user[0]}"
            alerts.append({**common, "dedupe_key": key, "body": "\n".join(lines), "user": user,
                           "channels": ("inapp", "email")})
            alerts.append({**common, "dedupe_key": key, "body": "请登录平台查看。", "user": user, "channels": ("sms",)})
    return notify_bulk(alerts)


def send_daily_alerts(today=None, *, progress=None) -> dict:
    """The daily alert pass (a periodic job): per-hazard alerts, then the departments' digests."""
    sent = send_deadline_alerts(today)
    if progress:
        progress(1, 2, force=True)
    digests = send_daily_digests(today)
    return {"hazard_alerts": sent, "digests": digests}
