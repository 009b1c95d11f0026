from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keyprojects.figures import periods
from keyprojects.ledger.adapters import export_ledger
from keyprojects.ledger.models import Project
from keyprojects.security import audit


class Command(BaseCommand):
    help = "导出某年项目台账为 .xlsx（打印版式：标题、合并表头、按单位分组小计、合计）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="输出文件 .xlsx")
        parser.add_argument("--year", type=int, required=True, help="计划年度")

    def handle(self, *args, file, year, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度 {year} 无效：应为2000至2100")
        if not file.lower().endswith(".xlsx"):
            raise CommandError("输出文件应以 .xlsx 结尾")
        period = periods.default_period(year)
        data = export_ledger(Project.objects.live(), year=year, period=period)
        Path(file).write_bytes(data)
        audit.record("export", kind="ledger", year=year, file=file, username="命令行")
        self.stdout.write(f"已导出 {year} 年台账：{file}")
