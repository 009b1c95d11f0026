"""`keyprojects report <kind> …`: documents written from the figures.

Each kind is one subcommand with its own arguments and `handle_<kind>` method, so a later
`quarterly` (or any other report) is added by registering one more subparser and method.
"""

from datetime import date as _date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from keyprojects import months


class Command(BaseCommand):
    help = (
        "生成报告：keyprojects report monthly --month 2022-03 --out 通报.docx；"
        "keyprojects report quarterly --year 2022 --quarter 1 --out 报告.docx"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, title="报告类型")
        monthly = sub.add_parser("monthly", help="月度调度通报（Word）")
        monthly.add_argument("--month", required=True, help="通报月份，如 2022-03")
        monthly.add_argument("--out", required=True, help="输出的 .docx 文件路径")
        quarterly = sub.add_parser("quarterly", help="季度重点项目工作报告（Word，公文格式）")
        quarterly.add_argument("--year", type=int, required=True, help="计划年度，如 2022")
        quarterly.add_argument(
            "--quarter", type=int, required=True, choices=[1, 2, 3, 4], help="季度 1–4"
        )
        quarterly.add_argument("--department", default="", help="只写一个部门，如 规资")
        quarterly.add_argument("--out", required=True, help="输出的 .docx 文件路径")
        quarterly.add_argument("--date", default="", help="成文日期，如 2022-04-10（默认今天）")
        quarterly.add_argument("--appendix", action="store_true", help="附数字所依据的项目清单")

    def handle(self, *args, kind, **options):
        return getattr(self, f"handle_{kind}")(**options)

    def _out(self, out: str) -> Path:
        path = Path(out)
        if path.suffix.lower() != ".docx":
            raise CommandError(f"输出文件“{out}”应以 .docx 结尾")
        if not path.parent.exists():
            raise CommandError(f"输出目录“{path.parent}”不存在")
        return path

    def handle_quarterly(
        self, *, year: int, quarter: int, department: str, out: str, date: str, appendix, **_
    ):
        from django.db.models import Q

        from keyprojects.core.models import Department
        from keyprojects.report import services
        from keyprojects.security import audit

        if not 2000 <= year <= 2100:
            raise CommandError(f"年度 {year} 无效：应为2000至2100")
        path = self._out(out)
        dept = None
        if department:
            dept = Department.objects.filter(Q(short_name=department) | Q(name=department)).first()
            if dept is None:
                raise CommandError(f"部门“{department}”不存在")
        dated = None
        if date:
            try:
                dated = _date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"成文日期“{date}”无效，应写作 2022-04-10") from None
        report = services.generate(
            year, quarter, department=dept, by=None, dated=dated, appendix=appendix
        )
        path.write_bytes(bytes(report.docx))
        audit.record(
            "report",
            kind="quarterly_report",
            year=year,
            quarter=quarter,
            report=report.pk,
            file=str(path),
            username="命令行",
        )
        self.stdout.write(f"已生成{report.title}：{path}（报告编号{report.pk}）")
        for block in services.rebuild(report).omissions():
            self.stdout.write(f"  {block.text}")

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
        path = self._out(out)
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
            f"已生成{data.title}：{path}（红灯{data.red_total}个、黄灯{data.yellow_total}个、"
            f"未报送{data.not_reported_total}个）"
        )
