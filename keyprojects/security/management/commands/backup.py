from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keyprojects.security import backup


class Command(BaseCommand):
    help = "备份数据库、上传文件与清单到一个归档文件（SQLite 在线备份；PostgreSQL 用 pg_dump）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="归档文件路径，如 backup.tar.gz")

    def handle(self, *args, file, **options):
        try:
            manifest = backup.backup_to_file(Path(file))
        except backup.BackupError as exc:
            raise CommandError(exc.message) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"备份完成：{file}（{len(manifest['tables'])} 张表，{rows} 行）")
