"""`keyprojects db_worker`: django-tasks-db's worker, which first marks the import jobs a
dead worker left reading or writing as failed (Chinese reason, can be run again).

This app comes before django_tasks_db in INSTALLED_APPS, so this command is the one run.
"""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from keyprojects.importer import services


class Command(WorkerCommand):
    def handle(self, *args, **options):
        recovered = services.recover_interrupted()
        if recovered:
            self.stderr.write(f"已将 {recovered} 个中断的导入任务标记为失败，可重新运行")
        return super().handle(*args, **options)
