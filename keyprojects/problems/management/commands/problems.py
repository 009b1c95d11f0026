from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from keyprojects.problems import tasks
from keyprojects.problems.rules import cn


class Command(BaseCommand):
    help = "问题督办：escalate 按规则升级逾期问题（每日任务同此）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        esc = sub.add_parser("escalate", help="按规则升级逾期未办结的问题并签发督办单")
        esc.add_argument("--as-of", dest="as_of", help="执行日期，如 2022-05-01（默认今天）")
        esc.add_argument("--dry-run", action="store_true", help="只列出将要升级的问题，不写入")

    def handle(self, *args, action, as_of=None, dry_run=False, **options):
        if as_of:
            try:
                day = date.fromisoformat(as_of)
            except ValueError:
                raise CommandError(f"--as-of {as_of!r} 无效：应为 2022-05-01 这样的日期") from None
        else:
            day = timezone.localdate()
        results = tasks.run_for(day, dry_run=dry_run)
        verb = "将升级" if dry_run else "已升级"
        for r in results:
            self.stdout.write(
                f"{r.problem.project.name}：{r.problem.title} → {r.step.level.name}"
                f"（{r.step.reason}；新期限{cn(r.step.deadline)}）"
            )
        self.stdout.write(f"{cn(day)}：{verb}{len(results)}个问题")
