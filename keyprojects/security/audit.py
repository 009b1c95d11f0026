"""The security audit log (安全审计): append, verify, purge.

Other apps call `record()` inside the transaction of the change it describes, e.g.

    from keyprojects.security import audit
    audit.record("import", user=by, request=request, obj=batch,
                 sha256=digest, rows=120, sheet="台账")

The row commits with that change or not at all. Rows are hash-chained: each row's `hash` is an
HMAC-SHA256, keyed with the integrity key kept outside the database (security/keys.py), of its
content and the previous row's hash, so nobody who can only write to the database can re-hash
the chain after changing a row. After each commit the new head (seq, hash) is appended to the
anchor file outside the database and written to the log (logger "keyprojects.audit");
`verify()` recomputes the chain and checks it against the anchors, which finds a deleted tail
and a chain re-hashed with the key.
"""

import hmac
import json
import logging
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from keyprojects import dates
from keyprojects.security import keys
from keyprojects.security.choices import EventType, Result
from keyprojects.security.models import AuditEvent

log = logging.getLogger("keyprojects.audit")

GENESIS = "0" * 64
# 网络安全法 §21: network logs are kept for at least six months.
MIN_RETENTION_DAYS = 180
# Serialises appends on PostgreSQL (SQLite's IMMEDIATE transactions already serialise writers).
_PG_LOCK_KEY = 720_202_219

_state = threading.local()


class AuditError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def client_ip(request) -> str:
    """The client address; behind the TLS proxy (KEYPROJECTS_HTTPS) the last X-Forwarded-For hop."""
    if request is None:
        return ""
    if getattr(settings, "HTTPS", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:45]
    return (request.META.get("REMOTE_ADDR") or "")[:45]


def _normalise(details: dict) -> dict:
    # Stored and hashed in the same JSON form (Decimal, date … become strings).
    return json.loads(json.dumps(details, cls=DjangoJSONEncoder, ensure_ascii=False))


def payload(row) -> bytes:
    """The bytes a row's hash covers: every column and the previous row's hash."""
    created = row.created_at.astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps(
        [
            row.seq,
            created,
            row.user_id,
            row.username,
            row.ip,
            row.event,
            row.object_type,
            row.object_id,
            row.object_repr,
            row.result,
            row.details,
            row.prev_hash,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    ).encode("utf-8")


def compute_hash(row) -> str:
    return hmac.new(keys.subkey("audit"), payload(row), "sha256").hexdigest()


# --- Anchors: the chain's head, kept outside the database ------------------------------------


def anchor_file() -> Path:
    return Path(settings.KP_AUDIT_ANCHOR_FILE)


def write_anchor(seq: int, digest: str) -> None:
    """Append one head anchor (after the commit: a rolled-back row is never anchored)."""
    line = f"{seq}\t{digest}\t{timezone.now().isoformat(timespec='seconds')}\n"
    log.info("audit head seq=%s hash=%s", seq, digest)
    path = anchor_file()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="ascii") as fh:
            fh.write(line)
    except OSError as exc:
        # The row is committed; a missing anchor weakens verify() but must not fail the request.
        log.error("cannot write audit anchor to %s: %s", path, exc)


def read_anchors() -> dict[int, str]:
    """seq → hash of every anchor written so far (empty when there is no anchor file)."""
    anchors: dict[int, str] = {}
    try:
        text = anchor_file().read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return anchors
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isdigit():
            anchors[int(parts[0])] = parts[1]
    return anchors


def restart_anchors(reason: str) -> None:
    """The database was replaced (restore) or emptied (flush): the old anchors describe another
    chain. They are kept beside the file, renamed, and the current head is anchored anew."""
    path = anchor_file()
    if path.exists():
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S-%f")
        os.replace(path, path.with_name(f"{path.name}.{reason}-{stamp}"))
    head = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
    if head is not None:
        write_anchor(head.seq, head.hash)


def record(event, *, user=None, request=None, obj=None, result="success", **details):
    """Append one audit row in the current transaction and return it.

    event: an EventType value ("import", "export", "report", "backup" …).
    user: who did it (default: request.user when logged in). obj: the object concerned (model
    instance or any object; its str() is kept). result: "success", "failure" or "denied".
    details: anything JSON-serialisable (file checksum, counts, filters, rows …).
    """
    if event not in EventType.values:
        raise ValueError(f"unknown audit event {event!r}")
    if result not in Result.values:
        raise ValueError(f"unknown audit result {result!r}")
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    username = details.pop("username", None) or (user.get_username() if user else "")
    object_type = object_id = object_repr = ""
    if obj is not None:
        meta = getattr(obj, "_meta", None)
        object_type = meta.label_lower if meta else type(obj).__name__
        object_id = str(getattr(obj, "pk", "") or "")
        object_repr = str(obj)[:200]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
        row = AuditEvent(
            seq=(last.seq + 1) if last else 1,
            created_at=timezone.now(),
            user_id=user.pk if user is not None else None,
            username=username[:150],
            ip=client_ip(request),
            event=event,
            object_type=object_type[:100],
            object_id=object_id[:64],
            object_repr=object_repr,
            result=result,
            details=_normalise(details),
            prev_hash=last.hash if last else GENESIS,
        )
        row.hash = compute_hash(row)
        row.save(force_insert=True)
        seq, digest = row.seq, row.hash
        transaction.on_commit(lambda: write_anchor(seq, digest))
    return row


@dataclass
class Broken:
    seq: int
    pk: int | None
    reason: str

    def __str__(self):
        where = f"（id={self.pk}）" if self.pk is not None else ""
        return f"第 {self.seq} 号审计记录{where}{self.reason}"


def verify() -> Broken | None:
    """The first row whose hash, link, sequence or anchor does not match; None when it holds."""
    anchors = read_anchors()
    prev = None
    for row in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if prev is None and row.seq != 1 and not _purged_up_to(row.seq - 1):
            return Broken(row.seq, row.pk, f"之前的第 1～{row.seq - 1} 号记录被删除（不是清理）")
        if prev is not None:
            if row.seq != prev.seq + 1:
                return Broken(row.seq, row.pk, f"之前缺少第 {prev.seq + 1} 号记录（被删除）")
            if row.prev_hash != prev.hash:
                return Broken(row.seq, row.pk, "的上一条哈希与前一条记录不符")
        if compute_hash(row) != row.hash:
            return Broken(
                row.seq, row.pk, "的内容与哈希不符（被修改，或哈希不是用本系统密钥计算的）"
            )
        if row.seq in anchors and anchors[row.seq] != row.hash:
            return Broken(row.seq, row.pk, "的哈希与链外锚点不符（审计链被重新计算）")
        prev = row
    if anchors:
        anchored = max(anchors)
        if prev is None or prev.seq < anchored:
            last = f"表中只到第 {prev.seq} 号" if prev else "表中已没有记录"
            return Broken(anchored, None, f"已写入链外锚点，但{last}：末尾的记录被删除")
    return None


def _purged_up_to(seq: int) -> bool:
    """Rows up to `seq` went by a recorded purge (its row names the last one it deleted)."""
    return AuditEvent.objects.filter(event=EventType.AUDIT_PURGE, details__last_seq=seq).exists()


# --- Deletion: only purging of old rows, and `flush` (which empties the whole database) ------


def maintenance_mode() -> str:
    return getattr(_state, "mode", "")


@contextmanager
def _mode(mode: str):
    previous = maintenance_mode()
    _state.mode = mode
    try:
        yield
    finally:
        _state.mode = previous


def flushing():
    """Used by the `flush` command (test runner, emptying the database): deletes are allowed."""
    return _mode("flush")


def sqlite_delete_allowed(created_at: str) -> int:
    """SQLite trigger helper (registered per connection): 1 when this row may be deleted."""
    mode = maintenance_mode()
    if mode == "flush":
        return 1
    if mode == "purge" and created_at:
        cutoff = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=MIN_RETENTION_DAYS)
        return int(created_at < cutoff.strftime("%Y-%m-%d %H:%M:%S.%f"))
    return 0


def retention_days() -> int:
    return max(MIN_RETENTION_DAYS, getattr(settings, "KP_AUDIT_RETENTION_DAYS", 180))


@transaction.atomic
def purge(before: datetime, *, by=None) -> int:
    """Delete rows older than `before`; refuses a date younger than the retention period."""
    limit = timezone.now() - timedelta(days=retention_days())
    if before > limit:
        raise AuditError(
            f"审计记录至少保存 {retention_days()} 天（网络安全法第二十一条），"
            f"只能清理 {dates.cn_date(timezone.localtime(limit))} 之前的记录"
        )
    qs = AuditEvent.objects.filter(created_at__lt=before)
    count = qs.count()
    last_seq = qs.order_by("-seq").values_list("seq", flat=True).first()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET LOCAL keyprojects.audit_maintenance = 'purge'")
    with _mode("purge"):
        qs._raw_delete(qs.db)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET LOCAL keyprojects.audit_maintenance = ''")
    record(
        EventType.AUDIT_PURGE,
        user=by,
        rows=count,
        last_seq=last_seq,
        before=before.isoformat(),
        username=by.get_username() if by else "系统",
    )
    return count
