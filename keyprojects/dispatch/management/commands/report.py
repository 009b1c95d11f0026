"""`keyprojects report <kind> …`: documents written from the figures.

Each kind is one subcommand with its own arguments and `handle_<kind>` method, so a later
`quarterly` (or any other report) is added by registering one more subparser and method.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from keyprojects import months


class Command(BaseCommand):
    help = "生成报告：keyprojects report monthly --month 2022-03 --out 通报.docx"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, title="报告类型")
        monthly = sub.add_parser("monthly", help="月度调度通报（Word）")
        monthly.add_argument("--month", required=True, help="通报月份，如 2022-03")
        monthly.add_argument("--out", required=True, help="输出的 .docx 文件路径")

    def handle(self, *args, kind, **options):
        return getattr(self, f"handle_{kind}")(**options)

    def handle_monthly(self, *, month: str, out: str, **_):
        from keyprojects.dispatch import brief
        from keyprojects.ledger.models import Project
        from keyprojects.security import audit

        try:
            year, m = months.parse_month(month)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if months.is_future_month(year, m, timezone.localdate()):
            raise CommandError(f"{year}年{m}月尚未结束，不能生成通报")
        path = Path(out)
        if path.suffix.lower() != ".docx":
            raise CommandError(f"输出文件“{out}”应以 .docx 结尾")
        if not path.parent.exists():
            raise CommandError(f"输出目录“{path.parent}”不存在")
        data = brief.collect(year, m, Project.objects.live())
        path.write_bytes(brief.render_docx(data))
        audit.record(
            "report",
            kind="monthly_brief",
            year=data.year,
            month=data.month,
            file=str(path),
            username="命令行",
        )
        self.stdout.write(
            f"已生成{data.title}：{path}（红灯{len(data.red)}个、黄灯{len(data.yellow)}个、"
            f"未报送{len(data.not_reported)}个）"
        )
