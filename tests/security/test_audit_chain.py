"""安全审计: the chain holds against someone who can write to the database but does not hold the
integrity key or the anchor file — REPLACE/UPSERT, re-hashing, truncating the tail."""

import hashlib
import logging
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from keyprojects.security import audit, keys
from keyprojects.security.models import AuditEvent

pytestmark = pytest.mark.django_db

COLUMNS = (
    "id, seq, created_at, user_id, username, ip, event, object_type, object_id, object_repr, "
    "result, details, prev_hash, hash"
)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """record() as in production: its anchor is written when the transaction commits."""

    def write(n, **details):
        rows = []
        for i in range(n):
            with django_capture_on_commit_callbacks(execute=True):
                rows.append(audit.record("export", username="office", n=i, **details))
        return rows

    return write


def _drop_guard():
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER security_auditevent_no_update")
            cur.execute("DROP TRIGGER security_auditevent_no_delete")
            cur.execute("DROP TRIGGER security_auditevent_no_replace")
        else:
            cur.execute("ALTER TABLE security_auditevent DISABLE TRIGGER USER")


def _copy_of(row, username):
    with connection.cursor() as cur:
        cur.execute(f"SELECT {COLUMNS} FROM security_auditevent WHERE id = %s", [row.pk])
        values = list(cur.fetchone())
    values[4] = username
    return values


def test_insert_or_replace_and_upsert_are_refused(committed):
    row = committed(3)[1]
    values = _copy_of(row, "mallory")
    marks = ", ".join(["%s"] * len(values))
    if connection.vendor == "sqlite":
        statements = [
            f"INSERT OR REPLACE INTO security_auditevent ({COLUMNS}) VALUES ({marks})",
            f"REPLACE INTO security_auditevent ({COLUMNS}) VALUES ({marks})",
            f"INSERT INTO security_auditevent ({COLUMNS}) VALUES ({marks}) "
            "ON CONFLICT(id) DO UPDATE SET username = excluded.username",
        ]
    else:
        statements = [
            f"INSERT INTO security_auditevent ({COLUMNS}) VALUES ({marks}) "
            "ON CONFLICT (id) DO UPDATE SET username = excluded.username"
        ]
    for sql in statements:
        with (
            pytest.raises(DatabaseError, match="安全审计记录只能追加"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql, values)
    # A REPLACE that collides on seq alone (a fresh id) is refused as well.
    if connection.vendor == "sqlite":
        values[0] = 10_000
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                f"INSERT OR REPLACE INTO security_auditevent ({COLUMNS}) VALUES ({marks})", values
            )
    assert (
        list(AuditEvent.objects.order_by("seq").values_list("username", flat=True))
        == ["office"] * 3
    )
    assert audit.verify() is None


def _rehash(from_seq, digest):
    """What an intruder does after editing a row: recompute every hash from there on."""
    prev = AuditEvent.objects.filter(seq=from_seq - 1).first()
    for row in AuditEvent.objects.filter(seq__gte=from_seq).order_by("seq"):
        row.prev_hash = prev.hash if prev else audit.GENESIS
        row.hash = digest(row)
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE security_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
                [row.prev_hash, row.hash, row.pk],
            )
        prev = row


def _edit(seq):
    with connection.cursor() as cur:
        cur.execute("UPDATE security_auditevent SET username = 'mallory' WHERE seq = %s", [seq])


def test_rewritten_and_rehashed_without_the_key_is_found(committed):
    rows = committed(5)
    _drop_guard()
    _edit(rows[2].seq)
    # The formula of the code, but without the key: plain SHA-256 of the same content.
    _rehash(rows[2].seq, lambda r: hashlib.sha256(audit.payload(r)).hexdigest())
    broken = audit.verify()
    assert (broken.seq, broken.pk) == (rows[2].seq, rows[2].pk)
    assert "被修改" in broken.reason
    with pytest.raises(CommandError, match=f"第 {rows[2].seq} 号"):
        call_command("audit", "verify")


def test_rewritten_and_rehashed_with_the_key_is_found_by_the_anchors(committed):
    rows = committed(5)
    _drop_guard()
    _edit(rows[2].seq)
    _rehash(rows[2].seq, audit.compute_hash)  # even the key does not help
    broken = audit.verify()
    assert broken.seq == rows[2].seq and "锚点" in broken.reason


@pytest.mark.parametrize("keep", [3, 0])
def test_truncated_tail_is_found(committed, keep):
    rows = committed(5)
    _drop_guard()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM security_auditevent WHERE seq > %s", [keep])
    broken = audit.verify()
    assert broken is not None and broken.seq == rows[-1].seq
    assert "末尾的记录被删除" in broken.reason
    with pytest.raises(CommandError, match="末尾的记录被删除"):
        call_command("audit", "verify")


def test_anchors_follow_commits_only_and_go_to_the_log(committed, settings, caplog):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record("export", username="rolled back")
        raise RuntimeError
    with caplog.at_level(logging.INFO, logger="keyprojects.audit"):
        rows = committed(2)
    assert audit.read_anchors() == {r.seq: r.hash for r in rows}
    assert [r.getMessage() for r in caplog.records] == [
        f"audit head seq={r.seq} hash={r.hash}" for r in rows
    ]
    assert stat.S_IMODE(settings.KP_AUDIT_ANCHOR_FILE.stat().st_mode) == 0o600


def test_hashes_are_keyed_with_a_0600_key_outside_the_database(office, settings, tmp_path):
    settings.KP_INTEGRITY_KEY_FILE = tmp_path / "keys" / "integrity.key"
    row = audit.record("export", user=office)
    assert stat.S_IMODE(settings.KP_INTEGRITY_KEY_FILE.stat().st_mode) == 0o600
    assert row.hash != hashlib.sha256(audit.payload(row)).hexdigest()
    assert audit.verify() is None
    # Another key (another installation, or a guess) does not verify these rows.
    settings.KP_INTEGRITY_KEY = "x" * 40
    assert "被修改" in audit.verify().reason
    settings.KP_INTEGRITY_KEY = ""
    settings.KP_INTEGRITY_KEY_FILE = tmp_path / "elsewhere.key"
    with pytest.raises(keys.MissingKey, match="KEYPROJECTS_INTEGRITY_KEY"):
        keys.master_key(create=False)


def test_deleted_head_is_found_unless_purged(committed):
    rows = committed(4)
    _drop_guard()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM security_auditevent WHERE seq <= %s", [rows[1].seq])
    broken = audit.verify()
    assert (broken.seq, broken.pk) == (rows[2].seq, rows[2].pk)
    assert "不是清理" in broken.reason
