from django.core.management.base import BaseCommand

from bench.generator import PROFILES, generate


class Command(BaseCommand):
    help = "生成可复现的规模测试数据：--profile county|province --seed N（批量写入，含业务事件）。"

    def add_arguments(self, parser):
        parser.add_argument("--profile", choices=sorted(PROFILES), default="county")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, profile, seed, batch, **options):
        result = generate(profile, seed, stdout=self.stdout, batch=batch)
        self.stdout.write(self.style.SUCCESS(f"done: {result}"))
