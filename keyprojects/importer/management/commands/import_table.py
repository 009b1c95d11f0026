from django.core.management.base import BaseCommand, CommandError

from keyprojects.importer import registry
from keyprojects.importer.management.commands._common import parse_month
from keyprojects.importer.management.commands.import_ledger import run_import


class Command(BaseCommand):
    help = "导入任一已登记的表格（台账、调度表、要素保障各表……）：打印预览；无错误时写入"

    def add_arguments(self, parser):
        kinds = "、".join(f"{k}（{label}）" for k, label in registry.kind_choices())
        parser.add_argument("kind", help=f"表格类型：{kinds}")
        parser.add_argument("file", help="Excel 文件（.xlsx/.xls/.ods）")
        parser.add_argument("--year", type=int, help="计划年度（台账没有“计划年度”列时）")
        parser.add_argument("--month", help="调度月份，如 2022-03（调度表必填）")
        parser.add_argument("--dry-run", action="store_true", help="只打印预览，不写入")
        parser.add_argument("--user", help="导入人用户名（默认：第一个办公室账号）")

    def handle(self, *args, kind, file, year=None, month=None, dry_run=False, user=None, **o):
        try:
            adapter = registry.get(kind)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError(f"年度 {year} 无效：应为2000至2100")
        m = None
        if month:
            year, m = parse_month(month)
        elif adapter.needs_month:
            raise CommandError(f"导入{adapter.label}时请用 --month 填写调度月份")
        run_import(self, kind, file, year=year, month=m, dry_run=dry_run, user=user)
