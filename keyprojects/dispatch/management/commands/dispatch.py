from django.core.management.base import BaseCommand, CommandError

from keyprojects import months
from keyprojects.dispatch import reminders


class Command(BaseCommand):
    help = (
        "月度调度：keyprojects dispatch remind --month 2022-03（列出待报项目并邮件提醒填报员）；"
        "keyprojects dispatch close --month 2022-03（结束该月调度，冻结各项目数字）"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="子命令")
        remind = sub.add_parser("remind", help="列出某月未报送调度报告的在建项目，并邮件提醒")
        remind.add_argument("--month", required=True, help="报告月份，如 2022-03")
        remind.add_argument("--dry-run", action="store_true", help="只列出，不发送邮件")
        close = sub.add_parser("close", help="结束某月调度（关账），冻结各项目当月数字")
        group = close.add_mutually_exclusive_group(required=True)
        group.add_argument("--month", help="要结束的月份，如 2022-03")
        group.add_argument(
            "--due", action="store_true", help="按自动关账日结束已到期的月份（供定时任务调用）"
        )

    def handle(self, *args, action, **options):
        return getattr(self, f"handle_{action}")(**options)

    def handle_remind(self, *, month: str, dry_run: bool = False, **_):
        try:
            year, m = months.parse_month(month)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        results = reminders.remind(year, m, send=not dry_run)
        total = sum(len(r["projects"]) for r in results)
        self.stdout.write(f"{year}年{m}月待报项目共{total}个：")
        for r in results:
            to = "、".join(r["recipients"]) or "（无填报员邮箱，未发送）"
            state = "已发送" if r["sent"] else "未发送"
            self.stdout.write(f"{r['department'].name}（{len(r['projects'])}个）→ {to} {state}")
            for p in r["projects"]:
                self.stdout.write(f"  {p.code} {p.name}")

    def handle_close(self, *, month: str | None = None, due: bool = False, **_):
        from keyprojects.core.errors import NotAllowed
        from keyprojects.figures import services as figures_services

        if due:
            closed = figures_services.close_due_periods(by=None)
            if not closed:
                self.stdout.write("没有到期需要结束的调度月份")
            for period in closed:
                self.stdout.write(f"已结束{period.year}年{period.month}月调度（自动关账）")
            return
        try:
            year, m = months.parse_month(month)
            period = figures_services.close_period(year, m, by=None)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        except NotAllowed as exc:
            raise CommandError(exc.message) from None
        rows = period.rows.count()
        self.stdout.write(
            f"已结束{year}年{m}月调度，冻结{rows}个项目的数字（序时进度{period.expected_share}%）"
        )
