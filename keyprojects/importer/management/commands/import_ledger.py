from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keyprojects.core.errors import NotAllowed
from keyprojects.importer import services
from keyprojects.importer.base import ImportRejected
from keyprojects.importer.management.commands._common import acting_user, progress_bar, read_file


class Command(BaseCommand):
    help = "导入项目台账 Excel（.xlsx/.xls/.ods）：打印预览；无错误时写入（--dry-run 只预览）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="台账文件")
        parser.add_argument("--year", type=int, help="计划年度（文件没有“计划年度”列时必填）")
        parser.add_argument("--dry-run", action="store_true", help="只打印预览，不写入")
        parser.add_argument("--user", help="导入人用户名（默认：第一个办公室账号）")

    def handle(self, *args, file, year=None, dry_run=False, user=None, **options):
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError(f"年度 {year} 无效：应为2000至2100")
        run_import(self, "ledger", file, year=year, month=None, dry_run=dry_run, user=user)


def run_import(command, kind, path, *, year, month, dry_run, user):
    data = read_file(path)
    actor = acting_user(user)
    update, close = progress_bar(command.stderr)
    try:
        if dry_run:
            preview = services.run_file(
                kind,
                data,
                path,
                user=actor,
                year=year,
                month=month,
                dry_run=True,
                progress=update,
            )
        else:
            preview = services.run_recorded(
                kind, data, Path(path).name, user=actor, year=year, month=month, progress=update
            )
    except NotAllowed as exc:
        close()
        raise CommandError(exc.message) from None
    except ImportRejected as exc:
        close()
        for line in exc.preview.lines():
            command.stdout.write(line)
        raise CommandError(f"有 {len(exc.preview.errors)} 处错误，未导入任何数据") from None
    close()
    for line in preview.lines():
        command.stdout.write(line)
    if dry_run:
        command.stdout.write("（--dry-run：未写入）")
    else:
        command.stdout.write(command.style.SUCCESS("已导入"))
