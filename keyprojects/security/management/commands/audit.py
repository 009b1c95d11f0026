"""`keyprojects audit verify` checks the hash chain; `keyprojects audit purge --before DATE`."""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from keyprojects.security import audit


class Command(BaseCommand):
    help = "安全审计记录：verify 校验哈希链；purge --before 日期 清理过期记录（至少保留180天）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验审计记录哈希链，发现被修改或删除的记录时以非零状态退出")
        purge = sub.add_parser("purge", help="删除某日期之前的审计记录")
        purge.add_argument("--before", required=True, help="日期，如 2025-01-01")

    def handle(self, *args, action, **options):
        if action == "verify":
            self.verify()
        else:
            self.purge(options["before"])

    def verify(self):
        broken = audit.verify()
        if broken is not None:
            raise CommandError(f"审计记录校验失败：{broken}")
        count = audit.AuditEvent.objects.count()
        self.stdout.write(f"审计记录校验通过：共 {count} 条，哈希链完整")

    def purge(self, before: str):
        try:
            day = datetime.strptime(before, "%Y-%m-%d").date()
        except ValueError:
            raise CommandError(f"日期 {before!r} 无效，应为 YYYY-MM-DD") from None
        try:
            count = audit.purge(timezone.make_aware(datetime.combine(day, time())))
        except audit.AuditError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"已清理 {count} 条 {day} 之前的审计记录")
