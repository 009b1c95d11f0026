import os
import signal
import subprocess
import sys
import time

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
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            help="不在本机启动后台任务进程（另有 `keyprojects db_worker` 时使用）",
        )

    def handle(self, *args, bind, workers, no_demo, no_task_worker, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        from keyprojects.core.models import DemoMarker
        from keyprojects.demo import data as demo
        from keyprojects.ledger.models import Project

        if not no_demo and not Project.objects.exists():
            call_command("demo")
        elif DemoMarker.objects.exists():
            self.stdout.write("示例数据已在库中。")
            self.stdout.write("\n".join(demo.login_lines()))
        self.stdout.write(f"数据目录：{settings.DATA_DIR}")
        self.stdout.write(f"网址：http://{bind}/")
        sys.stdout.flush()
        gunicorn = [
            sys.executable,
            "-m",
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
        if no_task_worker:
            os.execvp(sys.executable, gunicorn)
        # Imports and other long work run in a task worker beside the web server; both stop
        # together (Ctrl+C, or SIGTERM from a service manager).
        kp = [sys.executable, "-m", "keyprojects"]
        children = [
            subprocess.Popen([*kp, "db_worker", "--queue-name", "*", "--interval", "1"]),
            subprocess.Popen(gunicorn),
        ]
        self._supervise(children)

    def _enqueue_daily(self, last_day):
        """Once a day (at start and after midnight) queue each app's daily tasks
        (AppConfig.daily_tasks) for the task worker; e.g. the 督办 escalation."""
        from django.apps import apps
        from django.utils import timezone
        from django.utils.module_loading import import_string

        today = timezone.localdate()
        if today == last_day:
            return last_day
        for config in apps.get_app_configs():
            for path in getattr(config, "daily_tasks", []):
                try:
                    import_string(path).enqueue(today.isoformat())
                except Exception as exc:  # the web server keeps running; the log says why
                    self.stderr.write(f"每日任务 {path} 未能排队：{exc}")
        return today

    def _supervise(self, children):
        asked_to_stop = []

        def stop(signum, frame):
            if signum is not None:
                asked_to_stop.append(signum)
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        last_day = None
        try:
            while all(child.poll() is None for child in children):
                last_day = self._enqueue_daily(last_day)
                time.sleep(0.5)
        finally:
            stop(None, None)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
        code = children[1].returncode
        # Asked to stop (Ctrl+C, or SIGTERM to the process group as service managers send it),
        # gunicorn ending by that same signal is a clean stop, not a failure.
        if code and not (asked_to_stop and code in (-signal.SIGTERM, -signal.SIGINT)):
            sys.exit(code)
