"""Writing the audit log: one event at a time, each chained to the one before.

Writers are serialised: on PostgreSQL by a transaction-scoped advisory lock, elsewhere by
locking the last row (SQLite writes one transaction at a time anyway). The event is part
of the transaction of the act it records, so an act and its record commit together.
What is hashed and why the private part cannot be recovered from the public log:
`cooperative/audit/chain.py`.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.utils import timezone

from cooperative.audit.chain import (
    GENESIS_HASH,
    audit_event_hash,
    audit_minute,
    canonical_json,
    new_salt,
    private_commitment,
)
from cooperative.audit.fields import PUBLIC_FIELDS
from cooperative.audit.models import AuditEvent

__all__ = ["GENESIS_HASH", "audit_record"]

AUDIT_LOCK_SPACE = 7401


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
    """Append one event. Call inside the transaction of the act it records.

    `obj` and `public` are published: `obj` by its type and id, so pass None where the
    object itself would tell who acted or was concerned (and put its id in `private`).
    Anything that names a person or a choice goes into `private`."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the act's transaction")
    undeclared = sorted(set(public or {}) - set(PUBLIC_FIELDS))
    if undeclared:
        raise ValueError(
            f"audit_record({kind!r}): {undeclared} are not declared public in "
            "cooperative/audit/fields.py; personal details belong in private="
        )
    # JSON round trip: what is hashed is exactly what the database gives back later.
    public = json.loads(canonical_json(public or {}))
    private = json.loads(canonical_json(private or {}))
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    last = _lock_chain()
    seq = last.seq + 1 if last else 1
    prev_hash = last.hash if last else GENESIS_HASH
    occurred_at = audit_minute(timezone.now())
    if last and occurred_at < last.occurred_at:
        occurred_at = last.occurred_at  # the log never runs backwards
    # A salt for every event, even with nothing private: an empty private part must not
    # be told apart from a full one by its commitment.
    salt = new_salt()
    commitment = private_commitment(salt=salt, private=private)
    event = AuditEvent(
        seq=seq,
        occurred_at=occurred_at,
        kind=kind,
        object_type=object_type,
        object_id=object_id,
        public=public,
        private=private,
        salt=salt,
        commitment=commitment,
        prev_hash=prev_hash,
    )
    event.hash = audit_event_hash(
        seq=seq,
        occurred_at=occurred_at,
        kind=kind,
        object_type=object_type,
        object_id=object_id,
        public=public,
        commitment=commitment,
        prev_hash=prev_hash,
    )
    event.save(force_insert=True)
    return event
