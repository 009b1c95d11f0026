"""What the import and export commands share: the acting user, the progress bar, output."""

from pathlib import Path

from django.core.management.base import CommandError

from keyprojects.core.choices import Role
from keyprojects.core.models import User
from keyprojects.importer import safety


def acting_user(username: str | None) -> User:
    """--user, or the first active office account: history records who imported."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在或已停用")
        return user
    user = User.objects.filter(role=Role.OFFICE, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError("没有可用的办公室账号，请用 --user 指定导入人")
    return user


def read_file(path: str) -> bytes:
    p = Path(path)
    if not p.is_file():
        raise CommandError(f"文件不存在：{path}")
    size = p.stat().st_size
    if size > safety.MAX_BYTES:
        # Checked before reading: a multi-GB file never enters memory.
        raise CommandError(
            f"文件大小 {size / 1048576:.1f}MB，超过上限 {safety.MAX_BYTES // 1048576}MB"
        )
    return p.read_bytes()


def progress_bar(stderr):
    """A tqdm bar on long files (only on a terminal); returns (callback, close)."""
    from tqdm import tqdm

    bar = tqdm(total=0, unit="行", file=stderr, disable=None, leave=False)

    def update(done: int, total: int):
        bar.total = total
        bar.n = done
        bar.refresh()

    return update, bar.close


def parse_month(text: str) -> tuple[int, int]:
    """--month as every command reads it (months.parse_month: 2022-03, 2022年3月, 202203)."""
    from keyprojects import months

    try:
        return months.parse_month(text)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
