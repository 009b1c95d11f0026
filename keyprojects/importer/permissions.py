"""Who may upload tables and see import jobs."""

from django.db.models import QuerySet

from keyprojects.core.permissions import is_office, is_reporter
from keyprojects.importer.models import ImportJob


def can_import(user) -> bool:
    """Office and department reporters upload; a leader reads but never writes."""
    return is_office(user) or is_reporter(user)


def jobs_for(user) -> QuerySet:
    """Imports a user may see: the office all of them, a reporter their own."""
    if is_office(user):
        return ImportJob.objects.all()
    if is_reporter(user):
        return ImportJob.objects.filter(created_by=user)
    return ImportJob.objects.none()


def can_download_upload(user, job) -> bool:
    """The uploaded file as it came in is kept for the office (audit)."""
    return is_office(user)
