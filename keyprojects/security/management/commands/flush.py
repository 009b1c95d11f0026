"""Django's `flush`, allowed to empty the append-only audit table too.

`flush` wipes the whole database (the test runner uses it between tests); it is the one way the
SQLite DELETE trigger on security_auditevent lets rows go besides purging old ones.
(PostgreSQL's flush uses TRUNCATE, which row triggers do not see.) The anchors outside the
database describe the emptied chain: they are set aside, else `audit verify` would report the
flush as a truncation.
"""

from django.core.management.commands.flush import Command as FlushCommand

from keyprojects.security import audit


class Command(FlushCommand):
    def handle(self, **options):
        with audit.flushing():
            result = super().handle(**options)
        audit.restart_anchors("flushed")
        return result
