import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regions.loader import DATA_FILE, TEST_FILE, load_regions
from regions.models import Region


class Command(BaseCommand):
    help = "加载全国行政区划（省、地、县、乡四级）。可重复运行：已存在且未变化的记录不做修改。"

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=None, help="TSV(.gz) file; default: the committed national file")
        parser.add_argument("--test", action="store_true", help="load the small test fixture instead")

    def handle(self, *args, file=None, test=False, **options):
        path = TEST_FILE if test else (file or DATA_FILE)
        started = time.monotonic()
        try:
            result = load_regions(path)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        counts = {lvl: Region.objects.filter(level=lvl).count() for lvl in ("province", "city", "county", "township")}
        self.stdout.write(
            f"regions: {result['created']} created, {result['updated']} updated in {time.monotonic() - started:.1f}s; "
            + ", ".join(f"{k}={v}" for k, v in counts.items())
        )
