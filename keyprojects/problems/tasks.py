"""The daily escalation, run by the task worker (django-tasks). `keyprojects serve` enqueues it
once a day (AppConfig.daily_tasks); with `--no-task-worker` deployments run
`keyprojects problems escalate` from cron instead. Idempotent for a date: an escalated problem
has a new deadline after that date, so running twice changes nothing."""

from datetime import date

from django.utils import timezone
from django_tasks import task

from keyprojects.problems import services
from keyprojects.problems.models import EscalationRun


def run_for(as_of: date, *, dry_run: bool = False) -> list:
    results = services.escalate_all(as_of=as_of, dry_run=dry_run)
    if not dry_run:
        run, _ = EscalationRun.objects.get_or_create(as_of=as_of)
        run.escalated += len(results)
        run.finished_at = timezone.now()
        run.save()
    return results


@task()
def escalate_daily(as_of: str) -> int:
    return len(run_for(date.fromisoformat(as_of)))
