from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

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


FIELD_LABELS = {
    "member_group": _("member group"),
    "shares": _("shares"),
    "document": _("rule document"),
    "version": _("version"),
    "in_force_from": _("in force from"),
    "motion": _("motion"),
    "amends": _("amendment to"),
    "amendment": _("amendment"),
    "title": _("title"),
    "supporters": _("supporting members"),
    "ballot": _("ballot"),
    "state": _("state"),
    "from": _("from state"),
    "to": _("to state"),
    "opens_at": _("opens"),
    "closes_at": _("closes"),
    "majority": _("majority"),
    "quorum_percent": _("quorum (%)"),
    "majority_in_every_group": _("majority in every member group"),
    "secret": _("secret ballot"),
    "eligible": _("eligible members"),
    "participants": _("participants"),
    "adopted": _("adopted"),
    "quorum_met": _("quorum reached"),
    "majority_met": _("majority reached"),
    "total": _("votes"),
    "holder": _("holder"),
    "holder_kind": _("kind of holder"),
    "scope": _("scope"),
    "scope_organisation": _("organisation"),
    "scope_tag": _("topic tag"),
    "valid_from": _("valid from"),
    "valid_until": _("valid until"),
    "reason": _("reason"),
    "text_sha256": _("SHA-256 of the text"),
}


def audit_event_details(event: AuditEvent) -> list[tuple[str, str]]:
    """The public details of an event as (label, value) pairs for the page."""
    details = []
    for key, value in event.public.items():
        if value is None or value == "" or value == {}:
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items() if not isinstance(v, dict))
        details.append((str(FIELD_LABELS.get(key, key)), str(value)))
    return details
