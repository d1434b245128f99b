"""Deadline alerts for open hazards (7 days / 1 day before, overdue). Idempotent: run it daily
(or hourly) from cron or a systemd timer; each alert is sent once per hazard and deadline."""

from django.core.management.base import BaseCommand

from hazards.alerts import send_deadline_alerts


class Command(BaseCommand):
    help = "发送隐患整改期限提醒（到期前7天、1天和逾期），重复运行不会重复发送。"

    def handle(self, *args, **options):
        sent = send_deadline_alerts()
        self.stdout.write(f"sent {sent} new alert(s)")
