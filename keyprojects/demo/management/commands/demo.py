from django.core.management.base import BaseCommand, CommandError

from keyprojects.demo import data as demo


class Command(BaseCommand):
    help = "向空数据库载入2022年示例数据（示例数据），并创建各角色的示例账号"

    def handle(self, *args, **options):
        try:
            counts = demo.load()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"已载入示例数据：{counts['departments']}个单位、{counts['projects']}个项目、"
            f"{counts['users']}个账号。"
        )
        self.stdout.write("\n".join(demo.login_lines()))
