from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keyprojects.dispatch.adapters import export_dispatch
from keyprojects.importer.management.commands._common import parse_month
from keyprojects.ledger.models import Project
from keyprojects.security import audit


class Command(BaseCommand):
    help = "导出某月重点项目调度表为 .xlsx（已审核的数字）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="输出文件 .xlsx")
        parser.add_argument("--month", required=True, help="调度月份，如 2022-03")

    def handle(self, *args, file, month, **options):
        year, m = parse_month(month)
        if not file.lower().endswith(".xlsx"):
            raise CommandError("输出文件应以 .xlsx 结尾")
        data = export_dispatch(Project.objects.live(), year=year, month=m)
        Path(file).write_bytes(data)
        audit.record("export", kind="dispatch", year=year, month=m, file=file, username="命令行")
        self.stdout.write(f"已导出 {year}年{m}月调度表：{file}")
