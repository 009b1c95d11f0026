from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keyprojects.security import backup


class Command(BaseCommand):
    help = (
        "先校验归档文件（签名、校验和、迁移状态），再用其中的数据整体替换当前数据库与上传文件；"
        "数据库为空（新服务器）时先建立数据库结构"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="由 keyprojects backup 生成的归档文件")
        parser.add_argument("--check", action="store_true", help="只校验归档文件，不恢复")

    def handle(self, *args, file, check, **options):
        try:
            if check:
                manifest = backup.verify(Path(file))
                self.stdout.write(f"归档文件校验通过（备份时间 {manifest['created_at']}）")
                return
            if Path(file).is_file() and backup.prepare_schema():
                self.stdout.write("数据库为空：已先建立数据库结构（migrate）")
            manifest = backup.restore(Path(file))
        except backup.BackupError as exc:
            raise CommandError(f"{exc.message}。当前数据库未作任何改动。") from None
        self.stdout.write(f"恢复完成：数据来自 {manifest['created_at']} 的备份")
