"""Who is told what about hazards. Each alert has a dedupe key, so it is sent once."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.notifications import notify

from .models import hazard_number

User = get_user_model()


def _enterprise_users(enterprise, roles=("principal",)):
    if not enterprise.organisation_id:
        return User.objects.none()
    return User.objects.filter(membership__organisation_id=enterprise.organisation_id, membership__role__in=roles, is_active=True)


# The one scheme of a unit alert's recipients and dedupe keys, for the alert sent at once (``tell_the_unit``)
# and the ones written in bulk (the import's ``notify_major_registered_bulk``, the deadline pass): an alert
# ``<model>:<pk>:<what>`` goes to each principal account (``…:user:<pk>``) and by SMS to each person named
# on the record (``…:<role>``), one SMS per number — a 主要负责人 who is also the 实际控制人 (or the hazard's
# 整改责任人) gets one message, not two.

def alert_prefix(model_name: str, pk: int, what: str) -> str:
    return f"{model_name}:{pk}:{what}"


def user_key(prefix: str, user_pk: int) -> str:
    return f"{prefix}:user:{user_pk}"


def sms_recipients(*people):
    """(role, name, phone) of the people to text, in the order given, the first of each number (spaces
    ignored); a person without a phone is skipped. Their dedupe key is ``f"{prefix}:{role}"``."""
    seen = set()
    for role, name, phone in people:
        number = (phone or "").replace(" ", "")
        if number and number not in seen:
            seen.add(number)
            yield role, name, phone


def unit_people(ent) -> tuple:
    """The unit's 主要负责人 and 实际控制人 as ``sms_recipients`` takes them."""
    return (("principal", ent.principal_name, ent.principal_phone),
            ("controller", ent.controller_name, ent.controller_phone))


def tell_the_unit(ent, obj, url: str, kind: str, key: str, title: str, body: str) -> None:
    """The unit ``ent``'s principal users (in-app and e-mail) and its 主要负责人 and 实际控制人 by SMS, once per
    ``key`` of ``obj`` (a hazard, a case) whose page is ``url``."""
    prefix = alert_prefix(obj._meta.model_name, obj.pk, key)
    for user in _enterprise_users(ent):
        notify(kind=kind, dedupe_key=user_key(prefix, user.pk),
               title=title, body=body, url=url, obj=obj, user=user, channels=("inapp", "email"))
    for role, name, phone in sms_recipients(*unit_people(ent)):
        notify(kind=kind, dedupe_key=f"{prefix}:{role}", title=title, body=body, obj=obj, name=name, phone=phone,
               channels=("sms",))


def _tell_the_unit(hazard, kind: str, key: str, title: str, body: str) -> None:
    tell_the_unit(hazard.enterprise, hazard, f"/hazards/{hazard.pk}/", kind, key, title, body)


def _major_registered_text(hazard, enterprise_name: str | None = None) -> tuple[str, str]:
    return (f"重大事故隐患登记通知：{hazard.enterprise.name if enterprise_name is None else enterprise_name}",
            f"{hazard.number}：{hazard.description[:60]}；整改期限 {hazard.deadline or '待定'}。")


def notify_major_registered(hazard) -> None:
    """重大隐患 registered (or a hazard become major by a merge): the principal and the actual controller
    (PRODUCT.md; seed 002 item 11)."""
    _tell_the_unit(hazard, "hazard.major_registered", "registered", *_major_registered_text(hazard))


def notify_major_registered_bulk(hazards) -> int:
    """``notify_major_registered`` for hazards registered in bulk (the ledger import, ``hazards.registering``):
    each major hazard gets the same messages under the same dedupe keys as one registered on the
    page (``tell_the_unit``), written set-based (``notify_bulk``: one query for the principals' accounts, the
    rows in bulk) inside the import's transaction (a major hazard is never imported as eliminated: 立即整改
    销号 is for 一般 only). Returns the number of new messages."""
    from core.notifications import notify_bulk

    majors = [h for h in hazards if h.grade == "major"]
    if not majors:
        return 0
    units = _units({h.enterprise_id for h in majors})
    recipients = _Recipients()
    recipients.prime({ent.organisation_id for ent in units.values()})
    alerts = []
    for h in majors:
        ent = units[h.enterprise_id]
        title, body = _major_registered_text(h, ent.name)
        prefix = alert_prefix("hazard", h.pk, "registered")
        common = {"kind": "hazard.major_registered", "title": title, "body": body, "url": f"/hazards/{h.pk}/",
                  "obj_type": "hazards.hazard", "obj_id": h.pk}
        for user in recipients.for_org(ent.organisation_id):
            alerts.append({**common, "dedupe_key": user_key(prefix, user[0]), "user": user, "channels": ("inapp", "email")})
        for role, name, phone in sms_recipients(*unit_people(ent)):
            alerts.append({**common, "url": "", "dedupe_key": f"{prefix}:{role}", "name": name, "phone": phone,
                           "channels": ("sms",)})
    return notify_bulk(alerts) if alerts else 0


def _units(enterprise_ids) -> dict:
    """What the unit alerts name of each enterprise (its name, unit and the people on its record),
    read in one query per batch: whatever the caller loaded of its enterprises (the import reads them
    with only the columns its checks need, and a deferred column read per hazard was a query each —
    five per major hazard, a third of a province import's time)."""
    from types import SimpleNamespace

    from core.bulk import where_in
    from enterprises.models import Enterprise

    columns = ("id", "name", "organisation_id", "principal_name", "principal_phone", "controller_name", "controller_phone")
    return {row[0]: SimpleNamespace(**dict(zip(columns, row)))
            for qs in where_in(Enterprise.objects.order_by().values_list(*columns), "id", enterprise_ids) for row in qs}


def notify_site_order(hazard, order, *, lifted: bool = False) -> None:
    """现场处理措施 ordered (the unit must withdraw, stop, stop using at once) or lifted (it may resume)."""
    if lifted:
        _tell_the_unit(hazard, "hazard.site_order_lifted", f"site_order:{order.pk}:lifted",
                       f"现场处理措施已解除：{hazard.number}",
                       f"{order.number}：经审查同意，自{order.lifted_on:%Y-%m-%d}起解除（{'；'.join(order.measures)}），"
                       "可以恢复生产经营和使用。")
        return
    _tell_the_unit(hazard, "hazard.site_order", f"site_order:{order.pk}",
                   f"现场处理措施决定：{hazard.number}",
                   f"{order.number}：责令{'；'.join(order.measures)}（自{order.ordered_on:%Y-%m-%d}起）。"
                   "重大事故隐患排除后，经审查同意，方可恢复生产经营和使用；决定书见隐患页面。")


def notify_compulsion(ent, obj, url: str, number: str, measure, *, defied: str, lifted: bool = False) -> None:
    """强制措施 (安全生产法 第七十条) taken against the unit ``ent`` for defying the ``defied`` decision, or
    lifted; told about ``obj`` (the hazard, the case) numbered ``number``."""
    kind = f"{obj._meta.model_name}.compulsory_measure"  # hazard.… / case.…: the events' verbs
    if lifted:
        tell_the_unit(ent, obj, url, f"{kind}_lifted", f"compulsory_measure:{measure.pk}:lifted",
                      f"强制措施已解除：{number}",
                      f"{measure.number}：{'；'.join(measure.measures)}自{measure.lifted_on:%Y-%m-%d}起解除。")
        return
    at = timezone.localtime(measure.takes_effect_at)
    tell_the_unit(ent, obj, url, kind, f"compulsory_measure:{measure.pk}", f"强制措施通知：{number}",
                  f"{measure.number}：因拒不执行{defied}，自{at:%Y-%m-%d %H:%M}起采取{'；'.join(measure.measures)}的措施"
                  "（安全生产法第七十条）。依法履行决定、消除事故隐患后，将及时解除。")


def notify_compulsory_measure(hazard, measure, *, lifted: bool = False) -> None:
    """强制措施 of a hazard's 现场处理措施 taken or lifted."""
    notify_compulsion(hazard.enterprise, hazard, f"/hazards/{hazard.pk}/", hazard.number, measure,
                      defied="现场处理措施决定", lifted=lifted)


def notify_rejected(hazard, acceptance, reason: str, next_steps: str) -> None:
    """The submitter is told why the acceptance failed and what to do next."""
    if acceptance.submitted_by_id is None:
        return
    notify(kind="hazard.rejected", dedupe_key=f"hazard:{hazard.pk}:rejected:{acceptance.pk}",
           title=f"隐患整改验收未通过：{hazard.number}", body=f"理由：{reason}；下一步：{next_steps or '按要求继续整改'}",
           url=f"/hazards/{hazard.pk}/", obj=hazard, user=acceptance.submitted_by, channels=("inapp", "email"))


# ---------------------------------------------------------------- deadline alerts (send_hazard_alerts)

DEADLINE_KINDS = {"due7": "整改期限还有7天", "due1": "整改期限还有1天", "overdue": "已逾期未整改"}


def _deadline_text(kind: str, deadline, today) -> str:
    """What an alert's title says: the days actually left (a 7-day alert sent late, or for a
    hazard registered with 3 days left, says 3), 今天 on the day itself, or overdue."""
    days = (deadline - today).days
    if kind == "overdue" or days < 0:
        return DEADLINE_KINDS["overdue"]
    return "整改期限为今天" if days == 0 else f"整改期限还有{days}天"


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

    def prime(self, org_ids) -> None:
        from accounts.models import Membership

        orgs = {o for o in org_ids if o} - set(self.enterprises)
        if orgs:
            by_org = {o: [] for o in orgs}
            for u in (User.objects.filter(membership__organisation_id__in=orgs, is_active=True,
                                          membership__role=Membership.Role.PRINCIPAL).select_related("membership")):
                by_org[u.membership.organisation_id].append(self._row(u))
            self.enterprises.update(by_org)

    def for_org(self, org_id) -> list[tuple]:
        return self.enterprises.get(org_id, []) if org_id else []


def schedule_new(hazards) -> None:
    """Store the first alert date that ``build_hazard`` set on newly inserted hazards (their
    ``next_alert_on``) in the schedule: register_hazard and the import (hazards.registering), in
    their transaction; one statement for the lot (``core.bulk.insert_columns``)."""
    from core.bulk import insert_columns

    from .models import AlertSchedule

    armed = [(h.pk, h.__dict__["_next_alert_on"]) for h in hazards if h.__dict__.get("_next_alert_on") is not None]
    if armed:
        insert_columns(AlertSchedule, {"hazard_id": [pk for pk, _ in armed], "next_alert_on": [on for _, on in armed]},
                       len(armed))


def set_schedule(hazard_pk: int, next_alert_on) -> None:
    """Re-arm (a date) or stop (None) the deadline alerts of one hazard (hazards.services._transition)."""
    from .models import AlertSchedule

    if not AlertSchedule.objects.filter(hazard_id=hazard_pk).update(next_alert_on=next_alert_on) and next_alert_on:
        AlertSchedule.objects.create(hazard_id=hazard_pk, next_alert_on=next_alert_on)


def _stage(deadline, today):
    """(kind of the alert due today or None, the following ``next_alert_on``) for a due hazard."""
    if deadline is None:
        return None, None
    kind = deadline_kind(deadline, today)
    return kind, (next_alert_after(kind, deadline) if kind else deadline - datetime.timedelta(days=7))


def _advance(moves: dict) -> None:
    """Move ``next_alert_on`` of a batch in ONE set-based UPDATE, compare-and-set per row: a row
    whose ``next_alert_on`` changed since it was read (an extension, a closure, an overlapping run)
    is left as it is. Plain SQL: on PostgreSQL an UPDATE … FROM unnest(ids, old dates, next dates)
    (a hash join; a CASE of id lists is quadratic there), elsewhere a CASE over the batch's
    (old, next) groups with the ids bound as they are (SQLite turns each IN list into an index)."""
    from django.db import connection

    from .models import AlertSchedule

    if not moves:
        return
    qn, adapt = connection.ops.quote_name, connection.ops.adapt_datefield_value
    table, col, pk = qn(AlertSchedule._meta.db_table), qn("next_alert_on"), qn(AlertSchedule._meta.pk.column)
    if connection.vendor == "postgresql":  # a hash join with the batch as three arrays
        ids, olds, follows = [], [], []
        for (old, following), group in moves.items():
            ids += group
            olds += [old] * len(group)
            follows += [following] * len(group)
        with connection.cursor() as cur:
            # h.id = ANY(ids) as well: the batch's rows are found through the primary key instead of
            # hashing the whole schedule table once per batch (which grows dead rows as a pass moves it)
            cur.execute(f"UPDATE {table} AS h SET {col} = v.following "
                        f"FROM unnest(%s::bigint[], %s::date[], %s::date[]) AS v(id, old, following) "
                        f"WHERE h.{pk} = v.id AND h.{pk} = ANY(%s::bigint[]) AND h.{col} = v.old",
                        [ids, olds, follows, ids])
        return
    whens, params, ids = [], [], []
    for (old, following), group in moves.items():
        marks = ", ".join(["%s"] * len(group))
        whens.append(f"WHEN {col} = %s AND {pk} IN ({marks}) THEN {'%s' if following else 'NULL'}")
        params += [adapt(old), *group, *([adapt(following)] if following else [])]
        ids += group
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET {col} = CASE {' '.join(whens)} ELSE {col} END "
                    f"WHERE {pk} IN ({', '.join(['%s'] * len(ids))})", [*params, *ids])


def send_deadline_alerts(today=None, *, batch_size: int = 5000) -> int:
    """The immediate per-hazard alert, at 7 days and 1 day before the deadline and when overdue:
    to the enterprise's principal (account: in-app + e-mail; 主要负责人 and 实际控制人 phones: SMS)
    and the responsible person (SMS) — each exactly once per deadline (the dedupe key holds the
    deadline date, so an approved extension re-arms them). Department staff get the daily digest.

    Set-based: the due hazards (``next_alert_on`` has come: an indexed range scan) are streamed as
    plain rows with their enterprise's columns; per batch of ``batch_size`` hazards, one query for
    the principals, the alerts built in memory and inserted by ``notify_bulk`` (dedupe keys checked
    in bulk), and ONE compare-and-set UPDATE moving ``next_alert_on`` to the next stage. The number
    of queries grows with the batches, not the hazards; a second pass reads the empty due range
    (one query) and sends nothing. Returns how many new messages were created."""
    from django.db import transaction
    from django.db.models.functions import Left
    from django.utils import timezone

    from core.notifications import notify_bulk, queue_delivery

    from . import workflow
    from .models import AlertSchedule

    today = today or timezone.localdate()
    h = "hazard__"
    # the status is read, not filtered in SQL: the schedule's date range then drives the join on every
    # backend (SQLite, without statistics, would otherwise walk every open hazard by its status index
    # and look its schedule up); a scheduled hazard no longer open is unscheduled below
    due = (AlertSchedule.objects.filter(next_alert_on__isnull=False, next_alert_on__lte=today)
           .order_by().annotate(head=Left(f"{h}description", 60))
           .values_list("hazard_id", f"{h}county_code", f"{h}deadline", "next_alert_on", "head", f"{h}responsible_person",
                        f"{h}responsible_phone", f"{h}enterprise__name", f"{h}enterprise__organisation_id",
                        f"{h}enterprise__principal_name", f"{h}enterprise__principal_phone",
                        f"{h}enterprise__controller_name", f"{h}enterprise__controller_phone", f"{h}status"))
    recipients = _Recipients()
    open_states = frozenset(workflow.OPEN_STATES)
    waiting = workflow.PENDING_ACCEPTANCE
    sent = 0
    chunk: list = []

    def flush(rows) -> int:
        alerts, moves = [], {}
        recipients.prime({r[8] for r in rows})
        for (pk, county, deadline, old, head, resp_name, resp_phone, ent_name, org,
             principal_name, principal_phone, controller_name, controller_phone, status) in rows:
            if status not in open_states:  # closed meanwhile without its schedule cleared: nothing more to send
                moves.setdefault((old, None), []).append(pk)
                continue
            kind, following = _stage(deadline, today)
            moves.setdefault((old, following), []).append(pk)
            if kind is None or status == waiting:
                # completion submitted: the enterprise has done its part and is not told 逾期未整改 while
                # the acceptance is pending (the accepting department's digest lists it); a rejection
                # re-arms the schedule (services._transition)
                continue
            base = alert_prefix("hazard", pk, f"{kind}:{deadline.isoformat()}")
            common = {"kind": f"hazard.{kind}", "title": f"隐患{_deadline_text(kind, deadline, today)}：{ent_name}",
                      "body": f"{hazard_number(county, pk)}：{head}；整改期限 {deadline:%Y-%m-%d}。",
                      "url": f"/hazards/{pk}/", "obj_type": "hazards.hazard", "obj_id": pk}
            for user in recipients.for_org(org):
                alerts.append({**common, "dedupe_key": user_key(base, user[0]), "user": user, "channels": ("inapp", "email")})
            for role, name, phone in sms_recipients(("responsible", resp_name, resp_phone),
                                                    ("principal", principal_name, principal_phone),
                                                    ("controller", controller_name, controller_phone)):
                alerts.append({**common, "dedupe_key": f"{base}:{role}", "name": name, "phone": phone,
                               "channels": ("sms",)})
        with transaction.atomic():
            created = notify_bulk(alerts, queue=False)
            _advance(moves)
        return created

    for row in due.iterator(chunk_size=batch_size):
        chunk.append(row)
        if len(chunk) >= batch_size:
            sent += flush(chunk)
            chunk = []
    if chunk:
        sent += flush(chunk)
    if sent:  # once the due rows' cursor is closed (see notify_bulk's ``queue``)
        transaction.on_commit(queue_delivery)
    return sent


def _digest_keys(today, user_pk) -> dict:
    """The dedupe keys of one recipient's digest of ``today``, by channel (as notify_bulk stores them)."""
    key = f"digest:{today.isoformat()}:user:{user_pk}"
    return {"inapp": f"{key}:inapp", "email": f"{key}:email", "sms": f"{key}:sms"}


def _existing_keys(model, keys) -> set:
    from core.notifications import existing_keys

    return existing_keys(model, keys)


def send_daily_digests(today=None, *, horizon_days: int = 7, max_lines: int = 30) -> int:
    """One digest a day per officer/leader of each department that leads a sector (or its parent
    sector) in a county — and, for the sectors nobody leads there, of the county's comprehensive
    department or else its committee office (``_add_fallback_leads``): its open hazards overdue or
    due within ``horizon_days``, in-app and by
    e-mail (the list), SMS (the counts). Idempotent: the dedupe key holds the day and the user.

    Set-based, a constant number of queries whatever the number of hazards: the lead competences,
    the sector tree, the staff, and their digest keys of the day (checked in bulk first: a second
    pass on the same day stops there, sending nothing); then ONE windowed query gives, per county ×
    sector, the counts of due and overdue hazards and the first ``max_lines`` of them (from the
    partial index hazard_open_digest_idx alone, in its order); each department's digest is merged
    from its county × sectors in memory, the names of the listed hazards' enterprises read in one
    query (per BULK_CHUNK), and inserted with notify_bulk.
    Returns how many new messages were created."""
    from django.db import connection
    from django.db.models import F, IntegerField, Q, Sum, Value, Window
    from django.db.models.functions import RowNumber
    from django.utils import timezone

    from accounts.models import Competence, Membership, Organisation, Sector
    from core.models import Notification, OutboxMessage
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
    _add_fallback_leads(leads)
    if not leads:
        return 0
    staff: dict = {}
    for u in (User.objects.filter(membership__organisation_id__in=list(leads), is_active=True,
                                  membership__role__in=[Membership.Role.OFFICER, Membership.Role.LEADER])
              .select_related("membership")):
        staff.setdefault(u.membership.organisation_id, []).append(_Recipients._row(u))
    # idempotency first, in bulk: the departments whose every recipient has all of today's keys are done
    keys = {u[0]: _digest_keys(today, u[0]) for users in staff.values() for u in users}
    done = (_existing_keys(Notification, [k["inapp"] for k in keys.values()])
            | _existing_keys(OutboxMessage, [k[c] for k in keys.values() for c in ("email", "sms")]))
    pending = {dept: leads[dept] for dept, users in staff.items()
               if any(key not in done for u in users for key in keys[u[0]].values())}
    if not pending:
        return 0
    children: dict = {}
    for pk, parent in Sector.objects.filter(parent__isnull=False).values_list("pk", "parent_id"):
        children.setdefault(parent, set()).add(pk)
    wanted = {dept: set(sectors).union(*(children.get(s, set()) for s in sectors)) for dept, (county, sectors) in pending.items()}
    # one windowed query: per county × sector, the due/overdue counts and its first max_lines hazards
    part = [F("county_code"), F("sector_id")]
    if len(pending) <= 50:  # a later pass of the day: only the few departments still without a digest
        cells = Q()
        for dept, (county, _sectors) in pending.items():
            cells |= Q(county_code=county, sector_id__in=wanted[dept])
    else:  # the first pass of the day: every county × sector led somewhere (a superset, filtered below)
        cells = Q(county_code__in={county for county, _ in pending.values()}, sector_id__in=set().union(*wanted.values()))
    due = Hazard.objects.filter(cells, status__in=workflow.OPEN_STATES, deadline__isnull=False, deadline__lte=horizon)
    if connection.vendor == "postgresql":
        rows = _digest_rows_lateral(due, today, horizon, max_lines)
    else:
        rows = (due.order_by()
                .annotate(rank=Window(RowNumber(), partition_by=part, order_by=[F("deadline").asc(), F("pk").asc()]),
                          n_total=Window(Sum(Value(1, output_field=IntegerField())), partition_by=part),
                          n_overdue=Window(Sum(_overdue_case(today)), partition_by=part))
                .filter(rank__lte=max_lines)
                .values_list("county_code", "sector_id", "pk", "deadline", "enterprise_id", "n_total", "n_overdue"))
    tops: dict = {}
    counts: dict = {}
    for county, sector, pk, deadline, enterprise, n_total, n_overdue in rows:
        tops.setdefault((county, sector), []).append((deadline, pk, county, enterprise))
        counts[(county, sector)] = (n_total, n_overdue)
    digests = []
    for dept, (county, _sectors) in pending.items():
        cells = [(county, s) for s in wanted[dept] if (county, s) in counts]
        if not cells:
            continue
        total = sum(counts[c][0] for c in cells)
        overdue = sum(counts[c][1] for c in cells)
        digests.append((dept, total, overdue, sorted(h for c in cells for h in tops[c])[:max_lines]))
    # the names of the listed hazards' enterprises only (joining them in the window above would
    # make it visit the heap of every open due hazard instead of reading its index alone)
    names = _enterprise_names({h[3] for *_, first in digests for h in first})
    alerts = []
    for dept, total, overdue, first in digests:
        due = total - overdue
        title = f"隐患整改期限每日汇总（{today:%Y-%m-%d}）：逾期 {overdue} 项，{horizon_days}日内到期 {due} 项"
        lines = [f"{hazard_number(cty, pk)} {names[enterprise]} 整改期限 {deadline:%Y-%m-%d}"
                 + (f"（已逾期 {(today - deadline).days} 天）" if deadline < today else "")
                 for deadline, pk, cty, enterprise in first]
        if total > max_lines:
            lines.append(f"……另有 {total - max_lines} 项，请在隐患台账中查看。")
        # the ledger filtered to exactly what the digest lists: open, overdue or due within the horizon
        common = {"kind": "hazard.digest", "title": title, "url": "/hazards/?progress=due&sort=deadline", "obj_type": "",
                  "obj_id": None}
        for user in staff[dept]:
            key = f"digest:{today.isoformat()}:user:{user[0]}"
            alerts.append({**common, "dedupe_key": key, "body": "\n".join(lines), "user": user,
                           "channels": ("inapp", "email")})
            alerts.append({**common, "dedupe_key": key, "body": "请登录平台查看。", "user": user, "channels": ("sms",)})
    return notify_bulk(alerts) if alerts else 0


def _add_fallback_leads(leads: dict) -> None:
    """The sectors nobody leads in a county (neither they nor their parent) go into the digest of
    the county's comprehensive department (应急管理局), else of its committee office — the same
    fallback as a tip's routing (tips.routing.route) — so that no due hazard reaches no official.
    ``leads``: {organisation pk: (county code, {sector pk})}, completed in place."""
    from accounts.models import Sector
    from tips.routing import fallback_offices

    sectors = dict(Sector.objects.values_list("pk", "parent_id"))
    covered: dict = {}
    for county, led in leads.values():
        covered.setdefault(county, set()).update(s for s, parent in sectors.items() if s in led or parent in led)
    for county, org in fallback_offices().items():
        unled = set(sectors) - covered.get(county, set())
        if unled:
            leads.setdefault(org, (county, set()))[1].update(unled)


def _digest_rows_lateral(due, today, horizon, max_lines) -> list:
    """PostgreSQL: the digest's rows as the windowed query gives them — (county, sector, pk, deadline,
    enterprise, due count, overdue count) for the first ``max_lines`` hazards of each county × sector
    — from ONE query that counts per cell with a GROUP BY (an index-only scan of
    hazard_open_digest_idx aggregated by hash, without the per-row window bookkeeping of three
    window functions) and reads each cell's first lines with a LATERAL LIMIT (an ordered index-only
    range of ``max_lines`` entries per cell). Measured on the province copy (374k open due rows,
    1,258 cells): 0.8 s for the counts against 1.7 s for the windows, on a loaded machine."""
    from django.db import connection
    from django.db.models import Count, Sum

    from . import workflow
    from .models import Hazard

    counted = (due.order_by().values("county_code", "sector_id")
               .annotate(n_total=Count("pk"), n_overdue=Sum(_overdue_case(today)))
               .values_list("county_code", "sector_id", "n_total", "n_overdue"))
    inner, params = counted.query.sql_with_params()
    qn = connection.ops.quote_name
    table = qn(Hazard._meta.db_table)
    states = ", ".join(["%s"] * len(workflow.OPEN_STATES))
    sql = (f"SELECT c.county_code, c.sector_id, t.id, t.deadline, t.enterprise_id, c.n_total, c.n_overdue "
           f"FROM ({inner}) AS c(county_code, sector_id, n_total, n_overdue) CROSS JOIN LATERAL ("
           f"SELECT h.id, h.deadline, h.enterprise_id FROM {table} h WHERE h.county_code = c.county_code "
           f"AND h.sector_id = c.sector_id AND h.status IN ({states}) AND h.deadline IS NOT NULL "
           f"AND h.deadline <= %s ORDER BY h.deadline, h.id LIMIT %s) AS t")
    with connection.cursor() as cur:
        cur.execute(sql, [*params, *workflow.OPEN_STATES, horizon, max_lines])
        return cur.fetchall()


def _enterprise_names(pks) -> dict:
    """{enterprise pk: its name} for ``pks``: plain SQL, the ids as one array parameter on
    PostgreSQL (core.notifications.sql_in), in chunks of ``BULK_CHUNK``."""
    from django.db import connection

    from core.notifications import BULK_CHUNK, sql_in
    from enterprises.models import Enterprise

    table, pks, names = connection.ops.quote_name(Enterprise._meta.db_table), list(pks), {}
    with connection.cursor() as cur:
        for start in range(0, len(pks), BULK_CHUNK):
            where, params = sql_in("id", pks[start:start + BULK_CHUNK])
            cur.execute(f"SELECT id, name FROM {table} WHERE {where}", params)
            names.update(cur.fetchall())
    return names


def _overdue_case(today):
    from django.db.models import Case, IntegerField, Value, When

    return Case(When(deadline__lt=today, then=Value(1)), default=Value(0), output_field=IntegerField())


def send_daily_alerts(today=None, *, progress=None) -> dict:
    """The daily alert pass (a periodic job): per-hazard alerts, then the departments' digests."""
    sent = send_deadline_alerts(today)
    if progress:
        progress(1, 2, force=True)
    digests = send_daily_digests(today)
    return {"hazard_alerts": sent, "digests": digests}
