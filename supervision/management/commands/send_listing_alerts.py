"""Daily job: overdue listings to the listing body (and the next-higher 安委办 after 30 days),
progress-report reminders to enterprises. Idempotent (dedupe keys)."""

import datetime

from django.core.management.base import BaseCommand

from supervision.alerts import send_listing_alerts


class Command(BaseCommand):
    help = "挂牌督办逾期提醒与升级（幂等）"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD（测试用）")

    def handle(self, *args, today=None, **options):
        counts = send_listing_alerts(today)
        self.stdout.write(f"逾期提醒 {counts['overdue']} 条，升级提醒 {counts['escalated']} 条，进展催报 {counts['progress_due']} 条")
