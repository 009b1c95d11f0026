from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _sqlite_functions(sender, connection, **kwargs):
    """The audit table's SQLite DELETE trigger asks Python whether a delete is a permitted purge
    (or the test runner's flush); without this function (e.g. the sqlite3 shell) it fails."""
    if connection.vendor == "sqlite":
        from keyprojects.security.audit import sqlite_delete_allowed

        connection.connection.create_function(
            "kp_audit_delete_allowed", 1, sqlite_delete_allowed, deterministic=False
        )


class SecurityConfig(AppConfig):
    name = "keyprojects.security"
    label = "security"
    verbose_name = "安全管理"

    def ready(self):
        from keyprojects.security import checks, signals  # noqa: F401

        connection_created.connect(_sqlite_functions, dispatch_uid="kp_sqlite_functions")
