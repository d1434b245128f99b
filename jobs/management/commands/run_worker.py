"""python manage.py run_worker — sync the declared schedules, load what the jobs look up
(``jobs.runner.warm``), then run the django-q2 cluster (its workers are forked from this process)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from jobs.runner import warm
from jobs.schedules import sync


class Command(BaseCommand):
    help = "同步定时任务并启动后台任务进程（django-q2 cluster）。"

    def handle(self, *args, **options):
        counts = sync()
        self.stdout.write(f"schedules: {counts}")
        warm()
        call_command("qcluster")
