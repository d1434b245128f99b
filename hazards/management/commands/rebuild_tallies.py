"""python manage.py rebuild_tallies [--region CODE] [--check] — recount the hazard tallies
(hazards.tallies) from the hazards table; reinstalls the triggers if a bulk load left them off.
``--check`` only compares and reports (exit status 1 when they differ)."""

from django.core.management.base import BaseCommand, CommandError

from hazards import tallies


class Command(BaseCommand):
    help = "重建隐患统计计数表（按地区或全部）；--check 仅核对。"

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="只重建该地区（行政区划代码）")
        parser.add_argument("--check", action="store_true", help="只核对，不重建")

    def handle(self, *args, region="", check=False, **options):
        target = None
        if region:
            from regions.models import Region

            target = Region.objects.filter(code=region).first()
            if target is None:
                raise CommandError(f"未知的行政区划代码：{region}")
        if check:
            diff = tallies.differences(target)
            if not tallies.installed():
                raise CommandError("计数触发器未安装或已停用：请运行 rebuild_tallies。")
            if diff:
                raise CommandError(f"计数与隐患台账不一致：{len(diff)} 个分组。")
            self.stdout.write("计数与隐患台账一致。")
            return
        tallies.ensure_installed()
        tallies.fold()  # deadline weeks now past counted as one key, as the triggers will
        result = tallies.rebuild(target)
        self.stdout.write(f"已重建隐患计数：{result['rows']} 个分组，周计数 {result['week_rows']} 个分组。")
