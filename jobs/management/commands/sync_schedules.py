"""python manage.py sync_schedules — write jobs.schedules.PERIODIC into django-q2's schedule table."""

from django.core.management.base import BaseCommand

from jobs.schedules import sync


class Command(BaseCommand):
    help = "同步代码中声明的定时任务。"

    def handle(self, *args, **options):
        self.stdout.write(str(sync()))
