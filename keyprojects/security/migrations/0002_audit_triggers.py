"""Database triggers that make security_auditevent append-only.

SQLite: UPDATE is always refused; DELETE only when kp_audit_delete_allowed(created_at) says so,
a function the application registers on its own connections (purge of rows older than 180
days, or `flush`); elsewhere (e.g. the sqlite3 shell) the function is missing and the DELETE fails.
PostgreSQL: UPDATE is always refused; DELETE only inside a transaction that set
keyprojects.audit_maintenance = 'purge', and only of rows older than 180 days. (TRUNCATE, used by
`flush`, needs the table owner and is not a row operation.)
"""

from django.db import migrations

SQLITE_UP = [
    """
    CREATE TRIGGER security_auditevent_no_update
    BEFORE UPDATE ON security_auditevent
    BEGIN
        SELECT RAISE(ABORT, '安全审计记录只能追加，不能修改');
    END
    """,
    """
    CREATE TRIGGER security_auditevent_no_delete
    BEFORE DELETE ON security_auditevent
    WHEN kp_audit_delete_allowed(OLD.created_at) = 0
    BEGIN
        SELECT RAISE(ABORT, '安全审计记录只能追加，不能删除');
    END
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS security_auditevent_no_update",
    "DROP TRIGGER IF EXISTS security_auditevent_no_delete",
]

PG_UP = [
    """
    CREATE OR REPLACE FUNCTION security_auditevent_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE'
           AND current_setting('keyprojects.audit_maintenance', true) = 'purge'
           AND OLD.created_at < now() - interval '180 days' THEN
            RETURN OLD;
        END IF;
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION '安全审计记录只能追加，不能修改';
        END IF;
        RAISE EXCEPTION '安全审计记录只能追加，不能删除';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER security_auditevent_append_only
    BEFORE UPDATE OR DELETE ON security_auditevent
    FOR EACH ROW EXECUTE FUNCTION security_auditevent_guard()
    """,
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS security_auditevent_append_only ON security_auditevent",
    "DROP FUNCTION IF EXISTS security_auditevent_guard()",
]


def _run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}),
        )
    ]
