from django.core.management.base import BaseCommand

from tips.alerts import send_alerts, send_handling_alerts


class Command(BaseCommand):
    help = "举报办理期限提醒（幂等：每条提醒只发一次）"

    def handle(self, *args, **options):
        self.stdout.write(f"sent {send_alerts()}, handling {send_handling_alerts()}")
