from django.core.management.base import BaseCommand

from core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "加载演示数据（天津市河北区）并打印演示账号。可重复运行。"

    def handle(self, *args, **options):
        ctx = load_demo()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪：天津市河北区（120105）"))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, name, org, role in ctx["logins"]:
            self.stdout.write(f"  {username:<18} {role:<10} {org} · {name}")
        self.stdout.write("打开 http://127.0.0.1:8000/ 登录。")
