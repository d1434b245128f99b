"""Deadline alerts for open hazards (7 days / 1 day before, overdue). Idempotent: run it daily
(the job worker runs it daily, jobs.schedules); each alert is sent once per hazard and deadline."""

from django.core.management.base import BaseCommand

from hazards.alerts import send_daily_alerts


class Command(BaseCommand):
    help = "发送隐患整改期限提醒（到期前7天、1天和逾期），重复运行不会重复发送。"

    def handle(self, *args, **options):
        counts = send_daily_alerts()
        self.stdout.write(f"sent {counts['hazard_alerts']} new alert(s), {counts['digests']} digest message(s)")
