"""python manage.py snapshot_board [--region CODE] — this week's five-colour board rows (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from campaigns.services import snapshot_boards
from regions.models import Region


class Command(BaseCommand):
    help = "写入本周五色图快照（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="区划代码；缺省为所有设有安委会办公室的区划")

    def handle(self, *args, **opts):
        if opts["region"]:
            regions = list(Region.objects.filter(code=opts["region"]))
            if not regions:
                raise CommandError(f"区划不存在：{opts['region']}")
        else:
            regions = list(Region.objects.filter(organisations__kind=Organisation.Kind.COMMITTEE).distinct())
        total, written = snapshot_boards(None, regions)
        self.stdout.write(f"本周快照共 {total} 条，本次写入 {written} 条。")
