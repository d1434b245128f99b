from django.core.management.base import BaseCommand

from accidents.alerts import send_alerts


class Command(BaseCommand):
    help = "Send accident deadline alerts (迟报, 补报, 调查报告, 批复, 评估, 整改措施)."

    def handle(self, *args, **options):
        self.stdout.write(f"sent {send_alerts()}")
