from django.core.management.base import BaseCommand

from keyprojects.importer.management.commands._common import parse_month
from keyprojects.importer.management.commands.import_ledger import run_import


class Command(BaseCommand):
    help = "导入月度调度表 Excel：1-N月累计与系统一致；办公室导入即审核通过"

    def add_arguments(self, parser):
        parser.add_argument("file", help="调度表文件")
        parser.add_argument("--month", required=True, help="调度月份，如 2022-03")
        parser.add_argument("--dry-run", action="store_true", help="只打印预览，不写入")
        parser.add_argument("--user", help="导入人用户名（默认：第一个办公室账号）")

    def handle(self, *args, file, month, dry_run=False, user=None, **options):
        year, m = parse_month(month)
        run_import(self, "dispatch", file, year=year, month=m, dry_run=dry_run, user=user)
