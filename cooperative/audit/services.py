"""Writing the audit log: one event at a time, each chained to the one before.

Writers are serialised: on PostgreSQL by a transaction-scoped advisory lock, elsewhere by
locking the last row (SQLite writes one transaction at a time anyway). The event is part
of the transaction of the act it records, so an act and its record commit together.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from cooperative.audit.models import AuditEvent

GENESIS_HASH = "0" * 64
AUDIT_LOCK_SPACE = 7401


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def audit_event_hash(
    *,
    seq: int,
    occurred_at: datetime,
    kind: str,
    object_type: str,
    object_id: str,
    public: dict,
    private: dict,
    prev_hash: str,
) -> str:
    payload = canonical_json(
        {
            "seq": seq,
            "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "kind": kind,
            "object_type": object_type,
            "object_id": object_id,
            "public": public,
            "private": private,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _lock_chain() -> AuditEvent | None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [AUDIT_LOCK_SPACE])
        return AuditEvent.objects.order_by("-seq").first()
    return AuditEvent.objects.select_for_update().order_by("-seq").first()


def audit_record(
    *,
    kind: str,
    obj: Any = None,
    public: dict | None = None,
    private: dict | None = None,
) -> AuditEvent:
    """Append one event. Call inside the transaction of the act it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the act's transaction")
    # JSON round trip: what is hashed is exactly what the database gives back later.
    public = json.loads(canonical_json(public or {}))
    private = json.loads(canonical_json(private or {}))
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    last = _lock_chain()
    seq = last.seq + 1 if last else 1
    prev_hash = last.hash if last else GENESIS_HASH
    occurred_at = timezone.now()
    if last and occurred_at < last.occurred_at:
        occurred_at = last.occurred_at  # the log never runs backwards
    event = AuditEvent(
        seq=seq,
        occurred_at=occurred_at,
        kind=kind,
        object_type=object_type,
        object_id=object_id,
        public=public,
        private=private,
        prev_hash=prev_hash,
    )
    event.hash = audit_event_hash(
        seq=seq,
        occurred_at=occurred_at,
        kind=kind,
        object_type=object_type,
        object_id=object_id,
        public=public,
        private=private,
        prev_hash=prev_hash,
    )
    event.save(force_insert=True)
    return event
