"""python manage.py backfill_board [--region CODE --since YYYY-MM-DD] — weekly five-colour snapshots
from the event trail for the weeks not written yet (idempotent). Without options: every running
campaign since its start (what creating the campaign and the weekly job do anyway)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.cockpit import board_region
from campaigns.models import Campaign
from campaigns.services import backfill_board, backfill_campaign
from regions.models import Region


class Command(BaseCommand):
    help = "从历史记录回填五色图周快照（可重复运行，已有的周不变）。"

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="区划代码；缺省为所有进行中的专项行动的区划")
        parser.add_argument("--since", default="", help="起始日期（YYYY-MM-DD），与 --region 一起使用")

    def handle(self, *args, **opts):
        if opts["region"]:
            region = Region.objects.filter(code=opts["region"]).first()
            if region is None:
                raise CommandError(f"区划不存在：{opts['region']}")
            try:
                since = datetime.date.fromisoformat(opts["since"])
            except ValueError:
                raise CommandError("请用 --since 给出起始日期（YYYY-MM-DD）。")
            total, _ = backfill_board(None, board_region(region), since)
        else:
            today = timezone.localdate()
            total = sum(backfill_campaign(None, c)[0] for c in Campaign.objects.filter(start__lte=today, end__gte=today))
        self.stdout.write(f"已回填 {total} 条快照。")
