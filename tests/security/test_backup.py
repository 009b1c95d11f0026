"""数据备份恢复: round trip of every table and the uploaded files; refusals leave data alone."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from keyprojects.core.choices import Role
from keyprojects.ledger.models import Project
from keyprojects.security import audit, keys
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
    assert set(manifest["checksums"]) | {"manifest.json", "manifest.hmac"} == names
    assert AuditEvent.objects.order_by("-seq").first().event == "backup"


def _rewrite(archive: Path, out: Path, *, manifest=None, member=None, resign=True):
    """Copy an archive, changing the manifest and/or the bytes of one member. `resign`: sign
    the new manifest with the integrity key, to reach the checks behind the signature."""
    with tarfile.open(archive) as src:
        members = {m.name: (m, src.extractfile(m).read()) for m in src.getmembers()}
    if manifest:
        info, data = members["manifest.json"]
        members["manifest.json"] = (info, json.dumps(manifest(json.loads(data))).encode())
    if member:
        info, data = members[member[0]]
        members[member[0]] = (info, member[1](data))
    if resign:
        info, _ = members["manifest.hmac"]
        signature = keys.sign("backup", members["manifest.json"][1]).encode()
        members["manifest.hmac"] = (info, signature)
    with tarfile.open(out, "w:gz") as dst:
        for info, data in members.values():
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


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


def test_altered_and_rechecksummed_archive_is_refused_without_the_key(data, tmp_path, settings):
    """An intruder makes a user 办公室 inside the archive and fixes the checksum in the manifest;
    without the integrity key the manifest's signature no longer matches."""
    archive = tmp_path / "kp.tar.gz"
    factories.user(Role.LEADER, username="clerk")
    call_command("backup", str(archive))
    if connection.vendor == "sqlite":
        member = "db.sqlite3"

        def promote(raw):
            scratch = tmp_path / "scratch.sqlite3"
            scratch.write_bytes(raw)
            con = sqlite3.connect(scratch)
            con.execute(
                "UPDATE core_user SET role = 'office', is_staff = 1 WHERE username = 'clerk'"
            )
            con.commit()
            con.close()
            return scratch.read_bytes()
    else:
        member = "media/photos/a.jpg"

        def promote(raw):
            return b"\xff\xd8 planted"

    changed = {}

    def fix_checksum(manifest):
        manifest["checksums"][member] = changed["sha"]
        return manifest

    with tarfile.open(archive) as tar:
        changed["bytes"] = promote(tar.extractfile(member).read())
    changed["sha"] = hashlib.sha256(changed["bytes"]).hexdigest()
    forged = tmp_path / "forged.tar.gz"
    _rewrite(
        archive,
        forged,
        manifest=fix_checksum,
        member=(member, lambda _: changed["bytes"]),
        resign=False,
    )
    with pytest.raises(CommandError, match="未通过签名校验"):
        call_command("restore", "--check", str(forged))
    _refused(forged, "未通过签名校验")
    # Signed with the key, the same change would pass: the signature is what refuses it.
    resigned = tmp_path / "resigned.tar.gz"
    _rewrite(archive, resigned, manifest=fix_checksum, member=(member, lambda _: changed["bytes"]))
    call_command("restore", "--check", str(resigned))
    # Another server's key, or no key at all on a new machine: refused with the reason.
    settings.KP_INTEGRITY_KEY = "k" * 40
    with pytest.raises(CommandError, match="另一密钥"):
        call_command("restore", "--check", str(archive))
    settings.KP_INTEGRITY_KEY = ""
    settings.KP_INTEGRITY_KEY_FILE = tmp_path / "absent.key"
    with pytest.raises(CommandError, match="找不到完整性密钥文件"):
        call_command("restore", "--check", str(archive))


def _keyprojects(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "keyprojects", *args],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=300,
    )


def _fresh_database(tmp_path) -> tuple[str, callable]:
    """An empty database of the engine under test, and a reader of one table's rows there."""
    if connection.vendor == "sqlite":
        path = tmp_path / "new-data" / "keyprojects.sqlite3"

        def rows(sql):
            con = sqlite3.connect(path)
            try:
                return con.execute(sql).fetchall()
            finally:
                con.close()

        return "", rows
    import psycopg

    s = connection.settings_dict
    name = f"kp_fresh_{os.getpid()}"
    dsn = dict(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or None, user=s["USER"])
    with psycopg.connect(**dsn, dbname="postgres", autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')

    def rows(sql):
        with psycopg.connect(**dsn, dbname=name) as con:
            return con.execute(sql).fetchall()

    url = f"postgresql://{s['USER']}@{dsn['host']}:{s['PORT']}/{name}"
    return url, rows


def test_restore_onto_a_new_machine_is_one_command(data, settings, tmp_path):
    """Empty data folder and empty database: `keyprojects restore` creates the schema, checks
    the archive (with the key copied from the old machine) and restores; no traceback."""
    archive = tmp_path / "kp.tar.gz"
    call_command("backup", str(archive))
    url, rows = _fresh_database(tmp_path)
    new_data = tmp_path / "new-data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEYPROJECTS_", "DATABASE_"))}
    env.update(KEYPROJECTS_DATA_DIR=str(new_data), DJANGO_SETTINGS_MODULE="keyprojects.settings")
    if url:
        env["DATABASE_URL"] = url
    # Without the key the archive cannot be authenticated: a clear message, exit 1.
    refused = _keyprojects("restore", str(archive), env=env)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "找不到完整性密钥文件" in refused.stderr
    shutil.copyfile(keys.key_file(), new_data / "integrity.key")
    done = _keyprojects("restore", str(archive), env=env)
    assert done.returncode == 0, done.stderr
    assert "恢复完成" in done.stdout
    names = sorted(r[0] for r in rows("SELECT name FROM ledger_project"))
    assert names == ["项目0", "项目1", "项目2"]
    assert (new_data / "media" / "photos" / "a.jpg").read_bytes() == b"\xff\xd8 photo a"
    verified = _keyprojects("audit", "verify", env=env)
    assert verified.returncode == 0, verified.stderr
    # The new data folder is the application's alone.
    assert stat.S_IMODE(new_data.stat().st_mode) == 0o700
    private = [new_data / "integrity.key", new_data / "media" / "photos" / "a.jpg"]
    if not url:
        private.append(new_data / "keyprojects.sqlite3")
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in private} == {
        p.name: 0o600 for p in private
    }
