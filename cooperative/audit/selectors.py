from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from cooperative.audit.models import AuditEvent
from cooperative.audit.services import GENESIS_HASH, audit_event_hash


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def audit_chain_verify() -> ChainCheck:
    """Recompute every hash in order; the first row that does not fit breaks the chain."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainCheck(False, checked, event.seq, f"expected sequence number {expected_seq}")
        if event.prev_hash != prev_hash:
            return ChainCheck(False, checked, event.seq, "prev_hash does not match the row before")
        recomputed = audit_event_hash(
            seq=event.seq,
            occurred_at=event.occurred_at,
            kind=event.kind,
            object_type=event.object_type,
            object_id=event.object_id,
            public=event.public,
            private=event.private,
            prev_hash=event.prev_hash,
        )
        if recomputed != event.hash:
            return ChainCheck(False, checked, event.seq, "content does not match its hash")
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    return ChainCheck(True, checked)


def audit_events_public() -> QuerySet[AuditEvent]:
    """The log as the public sees it: the views show `public`, never `private`."""
    return AuditEvent.objects.order_by("-seq").defer("private")
