import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "准备并启动网站（gunicorn + whitenoise）：迁移数据库、收集静态文件，空库时载入示例数据"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("KEYPROJECTS_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("KEYPROJECTS_WORKERS", "2"))
        )
        parser.add_argument("--no-demo", action="store_true", help="空库时也不载入示例数据")

    def handle(self, *args, bind, workers, no_demo, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        from keyprojects.core import demo
        from keyprojects.core.models import DemoMarker
        from keyprojects.ledger.models import Project

        if not no_demo and not Project.objects.exists():
            call_command("demo")
        elif DemoMarker.objects.exists():
            self.stdout.write("示例数据已在库中。")
            self.stdout.write("\n".join(demo.login_lines()))
        self.stdout.write(f"数据目录：{settings.DATA_DIR}")
        self.stdout.write(f"网址：http://{bind}/")
        sys.stdout.flush()
        argv = [
            "gunicorn",
            "keyprojects.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ]
        os.execvp(sys.executable, [sys.executable, "-m", *argv])
