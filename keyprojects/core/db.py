"""Database upkeep the application does itself."""

from django.db import connections, transaction


def refresh_statistics(using: str = "default") -> None:
    """Let the query planner see the data as it now is, after a bulk change (a month closed,
    a ledger imported): ANALYZE, once the change is committed.

    Without statistics SQLite guesses join orders and, on a county ledger of 10,000 projects,
    scans the projects to find a handful of problems; PostgreSQL's autovacuum catches up only
    after a while. Both read a sample, so it stays well under a second at that scale.
    """

    def analyze():
        connection = connections[using]
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # A bounded sample per index (what PRAGMA optimize uses): milliseconds, not a
                # full scan of every table each time a month closes.
                cursor.execute("PRAGMA analysis_limit=400")
            cursor.execute("ANALYZE")

    transaction.on_commit(analyze, using=using)
