"""Alert enterprises about 特种作业操作证 expiring or due for 复审 (60 and 30 days before).

Idempotent: each (worker, deadline, threshold, recipient) alert has one dedupe key, so running
the command daily sends every alert once.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from core.notifications import notify
from obligations.models import SpecialWorker
from obligations.services import rule


def send_alerts(today: datetime.date) -> int:
    thresholds = sorted({rule("certificate_alert_days_first"), rule("certificate_alert_days_second")}, reverse=True)
    horizon = today + datetime.timedelta(days=max(thresholds))
    sent = 0
    workers = SpecialWorker.objects.select_related("enterprise").filter(review_due_on__lte=horizon, expires_on__gte=today)
    for worker in workers:
        deadline = min(worker.expires_on, worker.review_due_on)
        if deadline < today:
            continue
        days = (deadline - today).days
        threshold = min(t for t in thresholds if days <= t)
        what = "到期" if deadline == worker.expires_on else "复审到期"
        org = worker.enterprise.organisation
        if org is None:
            continue
        recipients = Membership.objects.filter(
            organisation=org, role__in=[Membership.Role.PRINCIPAL, Membership.Role.SAFETY_MANAGER],
            user__is_active=True).select_related("user")
        with transaction.atomic():
            for m in recipients:
                created = notify(
                    kind="obligations.certificate", user=m.user, obj=worker, channels=("inapp",),
                    dedupe_key=f"cert:{worker.pk}:{deadline:%Y%m%d}:{threshold}:{m.user_id}",
                    title=f"特种作业操作证将于{deadline}{what}",
                    body=f"{worker.name}（{worker.get_operation_display()}，证号{worker.certificate_no}）的证书将于{deadline}{what}，"
                         f"请在到期前办理复审或延期。",
                    url=f"/obligations/enterprise/{worker.enterprise_id}/")
                sent += created
    return sent


class Command(BaseCommand):
    help = "发送特种作业操作证到期（复审）提醒（到期前60日、30日），可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按该日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        try:
            today = datetime.date.fromisoformat(options["today"]) if options.get("today") else timezone.localdate()
        except ValueError:
            raise CommandError("--today 须为 YYYY-MM-DD")
        sent = send_alerts(today)
        self.stdout.write(f"sent {sent} alert(s)")
