"""The integrity key: kept outside the database and outside every backup archive.

One secret keys the audit chain (HMAC of every row) and authenticates backup manifests. Whoever
can write to the database but not read this key cannot forge a row or re-hash the chain, and
whoever can alter an archive cannot re-sign its manifest.

Source, first found: the environment variable KEYPROJECTS_INTEGRITY_KEY (≥ 32 characters), else
the file settings.KP_INTEGRITY_KEY_FILE (default <data folder>/integrity.key), created 0600 on
first use. A replacement machine needs the same key (copy the file or set the variable) to
verify the old audit rows and restore the old backups.
"""

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from django.conf import settings


class MissingKey(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def key_file() -> Path:
    return Path(settings.KP_INTEGRITY_KEY_FILE)


def master_key(*, create: bool = True) -> bytes:
    """The raw key; generated into the key file when neither source exists and `create`."""
    from_env = getattr(settings, "KP_INTEGRITY_KEY", "")
    if from_env:
        return from_env.encode("utf-8")
    path = key_file()
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        if not create:
            raise MissingKey(
                f"找不到完整性密钥文件 {path}：请从原服务器复制该文件（权限 0600），"
                "或设置环境变量 KEYPROJECTS_INTEGRITY_KEY"
            ) from None
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode("ascii")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


_cache: dict = {}


def subkey(purpose: str, *, create: bool = True) -> bytes:
    """A separate key per use (audit rows, backup manifests) derived from the master key."""
    # Every audit row is hashed with it: read the file once per source, not once per row.
    source = (purpose, getattr(settings, "KP_INTEGRITY_KEY", ""), str(key_file()))
    if source not in _cache:
        master = master_key(create=create)
        _cache[source] = hmac.new(master, purpose.encode(), hashlib.sha256).digest()
    return _cache[source]


def sign(purpose: str, data: bytes, *, create: bool = True) -> str:
    return hmac.new(subkey(purpose, create=create), data, hashlib.sha256).hexdigest()
