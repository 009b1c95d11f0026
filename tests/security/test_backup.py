"""数据备份恢复: round trip of every table and the uploaded files; refusals leave data alone."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from keyprojects.core.choices import Role
from keyprojects.ledger.models import Project
from keyprojects.security import audit
from keyprojects.security.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)  # backup and restore run outside transactions

AUDIT = "security_auditevent"


def all_tables() -> dict[str, list]:
    out = {}
    with connection.cursor() as cur:
        for table in connection.introspection.table_names(cur):
            if table.startswith("sqlite_"):
                continue
            cur.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            out[table] = sorted((tuple(map(str, row)) for row in cur.fetchall()), key=repr)
    return out


def media_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def data(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "photos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "photos" / "a.jpg").write_bytes(b"\xff\xd8 photo a")
    dept = factories.department(name="县住房和城乡建设委员会")
    office = factories.user(Role.OFFICE, username="office")
    for i in range(3):
        factories.started_project(dept, name=f"项目{i}")
    audit.record("import", user=office, rows=3)
    return office


def _mutate(settings):
    Project.objects.filter(name="项目0").update(name="改过的名字")
    factories.project(factories.department(), name="新项目")
    audit.record("export", username="later")
    (settings.MEDIA_ROOT / "photos" / "a.jpg").unlink()
    (settings.MEDIA_ROOT / "b.jpg").write_bytes(b"new")


def test_round_trip_gives_identical_tables_and_files(data, settings, tmp_path):
    archive = tmp_path / "kp.tar.gz"
    before = all_tables()
    chain = list(AuditEvent.objects.order_by("seq").values_list("seq", "hash"))
    files = media_files(settings.MEDIA_ROOT)
    call_command("backup", str(archive))
    _mutate(settings)
    assert all_tables() != before
    call_command("restore", str(archive))
    after = all_tables()
    assert set(after) == set(before)
    for table in before:
        if table != AUDIT:
            assert after[table] == before[table], table
    # The archive's audit rows come back; the restore itself is appended after them.
    restored = list(AuditEvent.objects.order_by("seq").values_list("seq", "hash"))
    assert restored[:-1] == chain
    events = list(AuditEvent.objects.order_by("seq").values_list("event", flat=True))
    assert events[-1] == "restore" and "export" not in events
    assert media_files(settings.MEDIA_ROOT) == files
    assert audit.verify() is None


def test_manifest_lists_counts_checksums_and_migrations(data, tmp_path):
    archive = tmp_path / "kp.tar.gz"
    call_command("backup", str(archive))
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
    assert manifest["tables"]["ledger_project"] == 3
    assert manifest["tables"][AUDIT] == AuditEvent.objects.count() - 1  # minus the backup row
    assert ["security", "0002_audit_triggers"] in manifest["migrations"]
    assert set(manifest["checksums"]) | {"manifest.json"} == names
    assert AuditEvent.objects.order_by("-seq").first().event == "backup"


def _rewrite(archive: Path, out: Path, *, manifest=None, member=None):
    """Copy an archive, changing the manifest and/or the bytes of one member."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for m in src.getmembers():
            data = src.extractfile(m).read()
            if m.name == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            if member and m.name == member[0]:
                data = member[1](data)
            m.size = len(data)
            dst.addfile(m, io.BytesIO(data))


def _refused(archive, fragment):
    before = all_tables()
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(archive))
    assert fragment in str(exc.value) and "未作任何改动" in str(exc.value)
    after = all_tables()
    assert {t: r for t, r in after.items() if t != AUDIT} == {
        t: r for t, r in before.items() if t != AUDIT
    }
    row = AuditEvent.objects.order_by("-seq").first()
    assert (row.event, row.result) == ("restore", "failure")


def test_corrupt_archive_is_refused(data, tmp_path):
    archive = tmp_path / "kp.tar.gz"
    call_command("backup", str(archive))
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    _refused(truncated, "损坏")
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not an archive at all")
    _refused(garbage, "损坏")
    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        tar.add(archive, arcname="something.bin")
    _refused(foreign, "缺少 manifest.json")
    hollow = tmp_path / "hollow.tar.gz"
    _rewrite(archive, hollow, manifest=lambda m: {**m, "tables": None})
    _refused(hollow, "清单内容不完整")


def test_altered_member_is_refused_by_checksum(data, tmp_path):
    archive = tmp_path / "kp.tar.gz"
    call_command("backup", str(archive))
    member = "db.sqlite3" if connection.vendor == "sqlite" else "db.sql"
    bad = tmp_path / "bad.tar.gz"
    _rewrite(archive, bad, member=(member, lambda b: b[:-10] + b"0123456789"))
    _refused(bad, "校验和不符")


def test_other_migration_state_is_refused(data, tmp_path):
    archive = tmp_path / "kp.tar.gz"
    call_command("backup", str(archive))
    older = tmp_path / "older.tar.gz"

    def drop_last(manifest):
        manifest["migrations"] = [m for m in manifest["migrations"] if m[0] != "security"]
        return manifest

    _rewrite(archive, older, manifest=drop_last)
    _refused(older, "迁移状态")


def test_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "nope.tar.gz"))


def test_backup_while_writers_run_is_consistent(data, tmp_path):
    """PostgreSQL: counts, migration state and dump come from one snapshot, so an archive taken
    while others write still verifies (loaded into a scratch database and counted).
    SQLite: see test_concurrency.py::test_sqlite_wal_8_threads_200_writes_no_lock_errors."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite 测试库在内存中，不能多线程写；SQLite 的在线备份见 WAL 测试")
    import threading

    from django.db import connections

    from keyprojects.security import backup

    stop = threading.Event()
    written = []

    def writer():
        try:
            while not stop.is_set():
                audit.record("export", username="writer")
                written.append(1)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        archive = tmp_path / "busy.tar.gz"
        manifest = backup.backup(archive)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert written and backup.verify(archive)["tables"] == manifest["tables"]
