"""The security audit log (安全审计): append, verify, purge.

Other apps call `record()` inside the transaction of the change it describes, e.g.

    from keyprojects.security import audit
    audit.record("import", user=by, request=request, obj=batch,
                 sha256=digest, rows=120, sheet="台账")

The row commits with that change or not at all. Rows are hash-chained: each row's `hash` is the
SHA-256 of its content and the previous row's hash; `verify()` recomputes the chain.
"""

import hashlib
import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from keyprojects.security.choices import EventType, Result
from keyprojects.security.models import AuditEvent

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


def compute_hash(row) -> str:
    created = row.created_at.astimezone(UTC).isoformat(timespec="microseconds")
    payload = json.dumps(
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
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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
    return row


@dataclass
class Broken:
    seq: int
    pk: int
    reason: str

    def __str__(self):
        return f"第 {self.seq} 号审计记录（id={self.pk}）{self.reason}"


def verify() -> Broken | None:
    """The first row whose hash, link or sequence does not match; None when the chain holds."""
    prev = None
    for row in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if prev is not None:
            if row.seq != prev.seq + 1:
                return Broken(row.seq, row.pk, f"之前缺少第 {prev.seq + 1} 号记录（被删除）")
            if row.prev_hash != prev.hash:
                return Broken(row.seq, row.pk, "的上一条哈希与前一条记录不符")
        if compute_hash(row) != row.hash:
            return Broken(row.seq, row.pk, "的内容与哈希不符（被修改）")
        prev = row
    return None


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
            f"只能清理 {timezone.localtime(limit):%Y-%m-%d} 之前的记录"
        )
    qs = AuditEvent.objects.filter(created_at__lt=before)
    count = qs.count()
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
        before=before.isoformat(),
        username=by.get_username() if by else "系统",
    )
    return count
