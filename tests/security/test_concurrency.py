"""No lost update: randomized interleavings of two editors; SQLite WAL under 8 writer threads."""

import random
import sqlite3
import threading
from decimal import Decimal

import pytest
from django.db import OperationalError, connection, connections

from keyprojects.core.errors import StaleEdit
from keyprojects.core.versioning import save_versioned
from keyprojects.ledger.models import Project


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(20))
def test_random_interleavings_of_two_editors_lose_nothing(seed, project, office, reporter):
    rng = random.Random(seed)
    editors = {"A": office, "B": reporter}
    loaded: dict[str, Project] = {}
    last_saved_version = project.version
    saved_names = []
    for step in range(40):
        who = rng.choice("AB")
        if who not in loaded or rng.random() < 0.4:
            loaded[who] = Project.objects.get(pk=project.pk)  # opens the edit form
            continue
        copy = loaded.pop(who)  # submits the form
        base = copy.version
        copy.name = f"{who}{step}"
        try:
            save_versioned(copy, by=editors[who], expected_version=base)
        except StaleEdit as exc:
            assert base != last_saved_version
            assert "保存未成功" in exc.message and "您填写的内容已保留" in exc.message
            assert Project.objects.get(pk=project.pk).name == (saved_names or [project.name])[-1]
        else:
            # A save succeeds only from the latest version: nobody's change was overwritten.
            assert base == last_saved_version
            last_saved_version = copy.version
            saved_names.append(copy.name)
            assert Project.objects.get(pk=project.pk).version == base + 1
    final = Project.objects.get(pk=project.pk)
    assert final.version == project.version + len(saved_names)
    assert final.history.count() == len(saved_names) + 1


@pytest.mark.django_db(transaction=True)
def test_two_threads_retrying_on_conflict_lose_no_increment(dept, office, reporter):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite 测试库在内存中（共享缓存）不支持多线程写；文件库见 WAL 测试")
    project = Project.objects.create(
        department=dept,
        code="C1",
        name="并发",
        year=2022,
        category="new",
        sector="infrastructure",
        total_investment_wan=Decimal("1000"),
        completed_before_year_wan=Decimal("0"),
        annual_plan_wan=Decimal("0"),
        status="not_started",
    )
    rounds, errors, conflicts = 25, [], []

    def editor(user):
        try:
            for _ in range(rounds):
                while True:
                    p = Project.objects.get(pk=project.pk)
                    p.annual_plan_wan += 1
                    try:
                        save_versioned(p, by=user, expected_version=p.version)
                        break
                    except StaleEdit:
                        conflicts.append(1)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=editor, args=(u,)) for u in (office, reporter)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Project.objects.get(pk=project.pk).annual_plan_wan == 2 * rounds


def _wal_connection(cfg):
    """A connection with the production settings' OPTIONS, outside the test's `connections`
    (the test framework forbids new aliases in threads); same backend code as the app."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    return DatabaseWrapper(cfg, alias="default")


def _write_once(w, increment=1):
    # What transaction.atomic() does on SQLite: BEGIN IMMEDIATE … COMMIT.
    w.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        with w.cursor() as c:
            c.execute("SELECT n FROM counter WHERE id = 1")
            n = c.fetchone()[0]
            c.execute("UPDATE counter SET n = %s WHERE id = 1", [n + increment])
        w.commit()
    except Exception:
        w.rollback()
        raise
    finally:
        w.set_autocommit(True)


@pytest.mark.django_db
def test_sqlite_wal_8_threads_200_writes_no_lock_errors(tmp_path):
    """The production SQLite options (WAL, IMMEDIATE, busy timeout) on a file database."""
    base = connections.settings["default"]
    if not base["ENGINE"].endswith("sqlite3"):
        pytest.skip("只针对 SQLite")
    assert base["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    path = tmp_path / "wal.sqlite3"
    cfg = {**base, "NAME": str(path)}
    setup = _wal_connection(cfg)
    with setup.cursor() as cur:
        cur.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
        cur.execute("INSERT INTO counter VALUES (1, 0)")
        cur.execute("PRAGMA journal_mode")
        assert cur.fetchone()[0] == "wal"
    locked, other = [], []
    threads_n, writes = 8, 200

    def writer():
        w = _wal_connection(cfg)
        try:
            for _ in range(writes):
                try:
                    _write_once(w)
                except OperationalError as exc:
                    (locked if "locked" in str(exc) else other).append(exc)
        finally:
            w.close()

    threads = [threading.Thread(target=writer) for _ in range(threads_n)]
    for t in threads:
        t.start()
    # An online backup (SQLite backup API, as `keyprojects backup`) while the writers run.
    copy = tmp_path / "copy.sqlite3"
    src, dst = sqlite3.connect(path, timeout=20), sqlite3.connect(copy)
    src.backup(dst)
    assert dst.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    src.close()
    dst.close()
    for t in threads:
        t.join()
    assert (locked, other) == ([], [])
    with setup.cursor() as cur:
        cur.execute("SELECT n FROM counter")
        assert cur.fetchone()[0] == threads_n * writes  # and no lost increment
    setup.close()
