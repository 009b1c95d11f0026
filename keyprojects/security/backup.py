"""数据备份与恢复: one archive with the database, the uploaded files and a manifest.

Archive (`.tar.gz`):
    manifest.json   format, time, database vendor, per-table row counts, SHA-256 of every
                    member, applied migrations
    manifest.hmac   HMAC-SHA256 of manifest.json with the integrity key (security/keys.py),
                    which is not in the archive: whoever alters a member and fixes its checksum
                    in the manifest cannot sign the manifest again
    db.sqlite3      SQLite: a consistent copy made with SQLite's online backup API
    db.sql          PostgreSQL: `pg_dump --clean` taken in the same snapshot as the counts
    media/…         the uploaded files (MEDIA_ROOT)

`restore()` verifies everything (signature, checksums, migration state, the database copy loaded and
counted in a scratch place) before it touches the live database, then replaces the data in one
step: SQLite's backup API copies all pages at once under a write lock; PostgreSQL loads the dump
with `psql --single-transaction`.
"""

import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from keyprojects.security import audit, keys
from keyprojects.security.choices import EventType, Result

# 2: manifest.hmac added. A format-1 archive has nothing to authenticate it and is refused.
FORMAT = 2
SIGNATURE = "manifest.hmac"


class BackupError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- helpers --------------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _tables(conn_tables) -> list[str]:
    return sorted(t for t in conn_tables if not t.startswith("sqlite_"))


def live_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cur:
        for table in _tables(connection.introspection.table_names(cur)):
            cur.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
            counts[table] = cur.fetchone()[0]
    return counts


def _sqlite_counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in _tables(names)}
    finally:
        con.close()


def _pg_bin(name: str) -> str:
    candidate = Path(settings.KP_PG_BIN_DIR) / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"找不到 PostgreSQL 程序 {name}（设置 KEYPROJECTS_PG_BIN_DIR）")
    return found


def _pg_args(dbname: str | None = None) -> tuple[list[str], dict]:
    s = connection.settings_dict
    args = ["-h", s.get("HOST") or "127.0.0.1", "-U", s.get("USER") or "postgres"]
    if s.get("PORT"):
        args += ["-p", str(s["PORT"])]
    args += ["-d", dbname or s["NAME"]]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def _run(cmd: list[str], env: dict, what: str) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, cwd="/")
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise BackupError(f"{what}失败：{' '.join(detail)}")


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


# --- backup ---------------------------------------------------------------------------------


def backup(path: Path) -> dict:
    """Write the archive to `path` and return its manifest (no audit row: see backup_to_file)."""
    path = Path(path)
    if connection.in_atomic_block:
        # A backup shows committed data only: SQLite's would wait forever on this transaction's
        # write lock, and pg_dump (another process) cannot see its uncommitted rows.
        raise BackupError("不能在数据库事务中备份，请直接运行备份")
    work = Path(tempfile.mkdtemp(prefix="kp-backup-"))
    try:
        if connection.vendor == "sqlite":
            member = "db.sqlite3"
            db_file = work / member
            connection.ensure_connection()
            dst = sqlite3.connect(db_file)
            try:
                connection.connection.backup(dst)  # consistent online copy, writers may run
            finally:
                dst.close()
            counts = _sqlite_counts(db_file)
            migrations = applied_migrations()
        elif connection.vendor == "postgresql":
            member = "db.sql"
            db_file = work / member
            # Counts, migration state and the dump all see one snapshot.
            with transaction.atomic():
                with connection.cursor() as cur:
                    cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    cur.execute("SELECT pg_export_snapshot()")
                    snapshot = cur.fetchone()[0]
                counts = live_counts()
                migrations = applied_migrations()
                args, env = _pg_args()
                _run(
                    [
                        _pg_bin("pg_dump"),
                        *args,
                        f"--snapshot={snapshot}",
                        "--clean",
                        "--if-exists",
                        "--no-owner",
                        "--no-privileges",
                        "-f",
                        str(db_file),
                    ],
                    env,
                    "pg_dump 导出数据库",
                )
        else:
            raise BackupError(f"不支持的数据库：{connection.vendor}")

        checksums = {member: _sha256_file(db_file)}
        media_root = Path(settings.MEDIA_ROOT)
        media_files = []
        if media_root.is_dir():
            for f in sorted(media_root.rglob("*")):
                if f.is_file():
                    rel = f.relative_to(media_root).as_posix()
                    media_files.append(rel)
                    checksums[f"media/{rel}"] = _sha256_file(f)
        manifest = {
            "format": FORMAT,
            "application": "keyprojects",
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "vendor": connection.vendor,
            "database": member,
            "tables": counts,
            "migrations": migrations,
            "checksums": checksums,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        with tarfile.open(partial, "w:gz") as tar:
            _add_bytes(tar, "manifest.json", manifest_bytes)
            _add_bytes(tar, SIGNATURE, keys.sign("backup", manifest_bytes).encode("ascii"))
            tar.add(db_file, arcname=member)
            for rel in media_files:
                tar.add(media_root / rel, arcname=f"media/{rel}")
        os.replace(partial, path)  # never a half-written archive under the final name
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def backup_to_file(path: Path, *, by=None, request=None) -> dict:
    try:
        manifest = backup(path)
    except BackupError as exc:
        audit.record(
            EventType.BACKUP, user=by, request=request, result=Result.FAILURE, error=exc.message
        )
        raise
    audit.record(
        EventType.BACKUP,
        user=by,
        request=request,
        file=Path(path).name,
        sha256=_sha256_file(Path(path)),
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        username=by.get_username() if by else "系统",
    )
    return manifest


def backup_to_dir(*, by=None, request=None) -> Path:
    name = f"keyprojects-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
    path = Path(settings.KP_BACKUP_DIR) / name
    backup_to_file(path, by=by, request=request)
    return path


def list_backups() -> list[dict]:
    folder = Path(settings.KP_BACKUP_DIR)
    if not folder.is_dir():
        return []
    return [
        {
            "name": f.name,
            "size": f.stat().st_size,
            "time": timezone.localtime(
                timezone.datetime.fromtimestamp(
                    f.stat().st_mtime, tz=timezone.get_current_timezone()
                )
            ),
        }
        for f in sorted(folder.glob("*.tar.gz"), reverse=True)
    ]


# --- verify and restore ---------------------------------------------------------------------


def _extract(path: Path, work: Path) -> dict:
    """Unpack into `work` after checking every member; return the manifest."""
    try:
        with tarfile.open(path, "r:*") as tar:
            members = tar.getmembers()
            names = [m.name for m in members]
            if "manifest.json" not in names:
                raise BackupError("备份文件无效：缺少 manifest.json")
            raw = tar.extractfile("manifest.json").read()
            _check_signature(raw, tar.extractfile(SIGNATURE).read() if SIGNATURE in names else b"")
            manifest = json.loads(raw.decode("utf-8"))
            if manifest.get("application") != "keyprojects" or manifest.get("format") != FORMAT:
                raise BackupError("备份文件无效：不是本系统的备份或格式版本不符")
            expected = manifest.get("checksums")
            if not (
                isinstance(expected, dict)
                and manifest.get("database") in expected
                and isinstance(manifest.get("tables"), dict)
                and isinstance(manifest.get("migrations"), list)
            ):
                raise BackupError("备份文件无效：清单内容不完整")
            for m in members:
                if m.name in ("manifest.json", SIGNATURE):
                    continue
                if not m.isfile() or m.name not in expected:
                    raise BackupError(f"备份文件无效：含有清单之外的内容 {m.name}")
            missing = sorted(set(expected) - set(names))
            if missing:
                raise BackupError(f"备份文件不完整：缺少 {missing[0]}")
            tar.extractall(work, filter="data")
    except (tarfile.TarError, EOFError, OSError, zlib.error, ValueError) as exc:
        raise BackupError(f"备份文件已损坏，无法读取：{exc}") from None
    for name, digest in expected.items():
        if _sha256_file(work / name) != digest:
            raise BackupError(f"备份文件已损坏：{name} 的校验和不符")
    return manifest


def _check_signature(manifest: bytes, signature: bytes) -> None:
    if not signature:
        raise BackupError("备份文件无效：缺少清单签名 manifest.hmac（不是本版本程序生成的备份）")
    try:
        expected = keys.sign("backup", manifest, create=False)
    except keys.MissingKey as exc:
        raise BackupError(f"无法校验备份签名：{exc.message}") from None
    if not hmac.compare_digest(expected.encode("ascii"), signature.strip()):
        raise BackupError(
            "备份文件未通过签名校验：清单在备份后被改动，或备份由使用另一密钥的服务器生成"
        )


def schema_is_empty() -> bool:
    """No migration applied yet: a new machine or an empty PostgreSQL database."""
    return not MigrationRecorder(connection).has_table() or not applied_migrations()


def code_migrations() -> list[list[str]]:
    from django.db.migrations.loader import MigrationLoader

    return sorted([app, name] for app, name in MigrationLoader(None).disk_migrations)


def _check_migrations(manifest: dict) -> None:
    theirs = {tuple(x) for x in manifest.get("migrations", [])}
    # An empty database is compared with the program's migrations, which restore applies first.
    ours = {tuple(x) for x in (code_migrations() if schema_is_empty() else applied_migrations())}
    if theirs != ours:
        only_theirs = sorted(theirs - ours)
        only_ours = sorted(ours - theirs)
        parts = []
        if only_theirs:
            parts.append("备份中多出迁移 " + "、".join(".".join(x) for x in only_theirs[:5]))
        if only_ours:
            parts.append("备份中缺少迁移 " + "、".join(".".join(x) for x in only_ours[:5]))
        raise BackupError(
            "备份的数据库结构（迁移状态）与当前程序不一致："
            + "；".join(parts)
            + "。请用生成该备份的同一版本程序恢复"
        )


def _compare_counts(manifest: dict, counts: dict) -> None:
    if counts != manifest.get("tables"):
        diff = sorted(
            t
            for t in set(counts) | set(manifest.get("tables", {}))
            if counts.get(t) != manifest["tables"].get(t)
        )
        raise BackupError(f"备份的数据库与清单不符：表 {diff[0]} 的行数不一致")


def _verify_sqlite(manifest: dict, db_file: Path) -> None:
    try:
        con = sqlite3.connect(db_file)
        try:
            result = con.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"备份中的数据库已损坏：{exc}") from None
    if result != "ok":
        raise BackupError(f"备份中的数据库未通过完整性检查：{result}")
    _compare_counts(manifest, _sqlite_counts(db_file))


def _pg_scratch_verify(manifest: dict, dump: Path) -> None:
    """Load the dump into a scratch database, count, drop it."""
    scratch = f"kp_restore_check_{os.getpid()}"
    args, env = _pg_args()
    psql = _pg_bin("psql")
    _run(
        [psql, *args, "-v", "ON_ERROR_STOP=1", "-c", f'DROP DATABASE IF EXISTS "{scratch}"'],
        env,
        "准备校验库",
    )
    _run(
        [psql, *args, "-v", "ON_ERROR_STOP=1", "-c", f'CREATE DATABASE "{scratch}"'],
        env,
        "创建校验库",
    )
    try:
        sargs, _ = _pg_args(scratch)
        _run(
            [psql, *sargs, "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", str(dump)],
            env,
            "备份中的数据库无法载入，",
        )
        import psycopg

        s = connection.settings_dict
        with psycopg.connect(
            host=s.get("HOST") or "127.0.0.1",
            port=s.get("PORT") or None,
            user=s.get("USER") or "postgres",
            password=s.get("PASSWORD") or None,
            dbname=scratch,
            autocommit=True,
        ) as con:
            names = [
                r[0]
                for r in con.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                ).fetchall()
            ]
            counts = {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in names}
        _compare_counts(manifest, counts)
    finally:
        _run([psql, *args, "-c", f'DROP DATABASE IF EXISTS "{scratch}"'], env, "删除校验库")


def verify(path: Path) -> dict:
    """Check an archive completely without touching the live database; return its manifest."""
    work = Path(tempfile.mkdtemp(prefix="kp-verify-"))
    try:
        return _verify_into(Path(path), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _verify_into(path: Path, work: Path) -> dict:
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}")
    manifest = _extract(path, work)
    if manifest.get("vendor") != connection.vendor:
        raise BackupError(
            f"备份来自 {manifest.get('vendor')} 数据库，当前是 {connection.vendor}，不能直接恢复"
        )
    _check_migrations(manifest)
    if connection.vendor == "sqlite":
        _verify_sqlite(manifest, work / manifest["database"])
    else:
        _pg_scratch_verify(manifest, work / manifest["database"])
    return manifest


def prepare_schema() -> bool:
    """On an empty database create the schema first (the audit table among it), so a restore
    onto a new machine is one command. True when it did."""
    if not schema_is_empty():
        return False
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return True


def restore(path: Path, *, by=None) -> dict:
    """Verify, then replace the live data (database and uploaded files) with the archive's.
    On an empty database the schema is created first (see prepare_schema)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}")
    prepare_schema()
    work = Path(tempfile.mkdtemp(prefix="kp-restore-"))
    try:
        try:
            manifest = _verify_into(path, work)
        except BackupError as exc:
            audit.record(
                EventType.RESTORE,
                user=by,
                result=Result.FAILURE,
                file=path.name,
                error=exc.message,
                username=by.get_username() if by else "系统",
            )
            raise
        db_file = work / manifest["database"]
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            if connection.in_atomic_block:
                raise BackupError("不能在事务中恢复数据库")
            src = sqlite3.connect(db_file)
            try:
                src.backup(connection.connection)  # all pages in one step, under a write lock
            finally:
                src.close()
        else:
            connection.close()
            args, env = _pg_args()
            _run(
                [
                    _pg_bin("psql"),
                    *args,
                    "-q",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "--single-transaction",
                    "-f",
                    str(db_file),
                ],
                env,
                "恢复数据库",
            )
        _replace_media(work / "media")
        audit.restart_anchors("restored")
        audit.record(
            EventType.RESTORE,
            user=None,
            file=path.name,
            sha256=_sha256_file(path),
            backup_time=manifest["created_at"],
            rows=sum(manifest["tables"].values()),
            username=by.get_username() if by else "系统",
        )
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _replace_media(new: Path) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    staged = media_root.with_name(media_root.name + ".restoring")
    old = media_root.with_name(media_root.name + ".replaced")
    shutil.rmtree(staged, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    if new.is_dir():
        # copyfile, not copy2: restored files take this installation's 0600, not the modes
        # recorded in the archive.
        shutil.copytree(new, staged, copy_function=shutil.copyfile)
    else:
        staged.mkdir(parents=True)
    if media_root.exists():
        os.replace(media_root, old)
    os.replace(staged, media_root)
    shutil.rmtree(old, ignore_errors=True)
