"""Configuration from the environment: bad values stop start-up naming the variable."""

import os
import subprocess
import sys
from decimal import Decimal

import pytest

from keyprojects import envconf


@pytest.mark.parametrize(
    "raw, expected", [("", True), ("true", True), ("FALSE", False), ("1", True), ("off", False)]
)
def test_env_bool(monkeypatch, raw, expected):
    monkeypatch.setenv("KP_X", raw)
    assert envconf.env_bool("KP_X", True) is expected


@pytest.mark.parametrize(
    "reader, raw, message",
    [
        (
            lambda: envconf.env_bool("KP_X", False),
            "maybe",
            "KP_X='maybe' 无效：请使用 true 或 false",
        ),
        (lambda: envconf.env_int("KP_X", 1), "ten", "KP_X='ten' 无效：应为整数"),
        (lambda: envconf.env_int("KP_X", 1, minimum=1), "0", "不应小于 1"),
        (lambda: envconf.env_decimal("KP_X", Decimal(1)), "3,5", "应为数字"),
    ],
)
def test_bad_values_name_the_variable(monkeypatch, reader, raw, message):
    monkeypatch.setenv("KP_X", raw)
    with pytest.raises(envconf.ConfigError, match=message.replace("(", r"\(")):
        reader()


def test_secret_key_is_generated_once_with_owner_only_permissions(tmp_path, monkeypatch):
    monkeypatch.delenv("KP_SECRET", raising=False)
    first = envconf.env_secret("KP_SECRET", tmp_path)
    assert first == envconf.env_secret("KP_SECRET", tmp_path)
    assert oct((tmp_path / "secret_key.txt").stat().st_mode & 0o777) == "0o600"


def test_short_secret_key_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("KP_SECRET", "short")
    with pytest.raises(envconf.ConfigError, match="太短"):
        envconf.env_secret("KP_SECRET", tmp_path)


@pytest.mark.parametrize(
    "name, value",
    [
        ("KEYPROJECTS_DEBUG", "yes please"),
        ("KEYPROJECTS_SESSION_IDLE_MINUTES", "-3"),
        ("DATABASE_URL", "mysql://x@y/z"),
    ],
)
def test_console_script_refuses_bad_configuration(tmp_path, name, value):
    env = {**os.environ, "KEYPROJECTS_DATA_DIR": str(tmp_path), name: value}
    result = subprocess.run(
        [sys.executable, "-m", "keyprojects", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.startswith("配置错误：") and name in result.stderr


def test_sqlite_file_database_runs_in_wal_mode_with_foreign_keys(tmp_path):
    env = {**os.environ, "KEYPROJECTS_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    code = (
        "import django, os\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'keyprojects.settings'\n"
        "django.setup()\n"
        "from django.db import connection\n"
        "cur = connection.cursor()\n"
        "print(*(cur.execute(f'PRAGMA {p}').fetchone()[0] for p in "
        "('journal_mode', 'foreign_keys', 'busy_timeout', 'synchronous')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["wal", "1", "20000", "1"]


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["kp", "import-ledger", "a-b.xlsx"], ["kp", "import_ledger", "a-b.xlsx"]),
        (["kp", "stats", "--year", "2022"], ["kp", "stats", "--year", "2022"]),
        (["kp", "--help"], ["kp", "--help"]),
        (["kp"], ["kp"]),
    ],
)
def test_hyphenated_command_names(argv, expected):
    from keyprojects.cli import _command_name

    assert _command_name(argv) == expected
