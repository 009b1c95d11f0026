"""Typed readers for environment variables.

Each refuses a bad value with a message that names the variable, so that a
typo in a deployment stops start-up instead of silently using a default.
"""

import os
import secrets
from decimal import Decimal, InvalidOperation
from pathlib import Path


class ConfigError(Exception):
    pass


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, "") or default


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in ("true", "1", "yes", "on"):
        return True
    if raw in ("false", "0", "no", "off"):
        return False
    raise ConfigError(f"环境变量 {name}={raw!r} 无效：请使用 true 或 false")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"环境变量 {name}={raw!r} 无效：应为整数") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"环境变量 {name}={raw!r} 无效：不应小于 {minimum}")
    return value


def env_decimal(name: str, default: Decimal) -> Decimal:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise ConfigError(f"环境变量 {name}={raw!r} 无效：应为数字") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_secret(name: str, data_dir: Path) -> str:
    """The secret key from the environment, else one generated once into the data folder."""
    raw = os.environ.get(name, "").strip()
    if raw:
        if len(raw) < 32:
            raise ConfigError(f"环境变量 {name} 太短：至少 32 个字符")
        return raw
    path = data_dir / "secret_key.txt"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Written with owner-only permissions: the key signs sessions.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
