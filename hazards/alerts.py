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
    """Recipients for a batch of hazards, looked up with two queries per batch: the enterprises'
    principals, and the staff of departments that lead each hazard's sector (or its parent) in
    its county."""

    def __init__(self):
        self.enterprises: dict = {}
        self.departments: dict = {}

    @staticmethod
    def _row(u):
        return (u.pk, u.get_full_name() or u.username, u.email, getattr(getattr(u, "membership", None), "phone", ""))

    def prime(self, hazards) -> None:
        from accounts.models import Competence, Membership, Organisation

        orgs = {h.enterprise.organisation_id for h in hazards if h.enterprise.organisation_id} - set(self.enterprises)
        if orgs:
            by_org = {o: [] for o in orgs}
            for u in (User.objects.filter(membership__organisation_id__in=orgs, is_active=True,
                                          membership__role=Membership.Role.PRINCIPAL).select_related("membership")):
                by_org[u.membership.organisation_id].append(self._row(u))
            self.enterprises.update(by_org)
        wanted = {(h.county_code, h.sector_id, h.sector.parent_id) for h in hazards} - set(self.departments)
        if not wanted:
            return
        counties = {w[0] for w in wanted}
        sectors = {w[1] for w in wanted} | {w[2] for w in wanted if w[2]}
        leads: dict = {}
        for county, sector, dept in Competence.objects.filter(
                role=Competence.Role.LEAD, sector_id__in=sectors, department__kind=Organisation.Kind.DEPARTMENT,
                department__is_active=True, department__county_code__in=counties).values_list(
                "department__county_code", "sector_id", "department_id"):
            leads.setdefault((county, sector), set()).add(dept)
        depts = set().union(*leads.values()) if leads else set()
        staff: dict = {d: [] for d in depts}
        if depts:
            for u in (User.objects.filter(membership__organisation_id__in=depts, is_active=True,
                                          membership__role__in=[Membership.Role.OFFICER, Membership.Role.LEADER])
                      .select_related("membership")):
                staff[u.membership.organisation_id].append(self._row(u))
        for county, sector, parent in wanted:
            ids = leads.get((county, sector), set()) | (leads.get((county, parent), set()) if parent else set())
            rows = {r[0]: r for d in ids for r in staff[d]}
            self.departments[(county, sector, parent)] = list(rows.values())

    def for_hazard(self, hazard) -> list[tuple]:
        own = self.enterprises.get(hazard.enterprise.organisation_id, []) if hazard.enterprise.organisation_id else []
        merged = {row[0]: row for row in own + self.departments[(hazard.county_code, hazard.sector_id, hazard.sector.parent_id)]}
        return list(merged.values())


def send_deadline_alerts(today=None, *, batch_size: int = 2000) -> int:
    """Alert the responsible person, the enterprise's principals and the competent department's
    users at 7 days and 1 day before the deadline and when overdue — each exactly once per
    deadline (the dedupe key holds the deadline date, so an approved extension re-arms them).

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
           .order_by().select_related("enterprise", "sector"))
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
            if hazard.responsible_phone:
                alerts.append({**common, "dedupe_key": f"{base}:responsible", "name": hazard.responsible_person,
                               "phone": hazard.responsible_phone, "channels": ("sms",)})
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


def send_daily_alerts(today=None, *, progress=None) -> dict:
    """The daily alert pass (a periodic job): the per-hazard deadline alerts."""
    sent = send_deadline_alerts(today)
    return {"sent": sent}
