from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cooperative.audit.chain import (
    GENESIS_HASH,
    audit_event_hash,
    audit_minute,
    audit_payload,
    audit_time_text,
    private_commitment,
)
from cooperative.audit.fields import PUBLIC_FIELDS, PUBLIC_VALUES
from cooperative.audit.models import AuditEvent

# What the public log reads from the table; `private` and `salt` are never loaded for it.
PUBLIC_COLUMNS = (
    "seq",
    "occurred_at",
    "kind",
    "object_type",
    "object_id",
    "public",
    "commitment",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    head_seq: int = 0
    head_hash: str = GENESIS_HASH


def _commitment_holds(event: AuditEvent) -> bool:
    try:
        return private_commitment(salt=event.salt, private=event.private) == event.commitment
    except ValueError:
        return False


def audit_chain_verify(anchors: Iterable[tuple[int, str]] = ()) -> ChainCheck:
    """Recompute every commitment and hash in order; the first row that does not fit
    breaks the chain. `anchors` are (seq, hash) pairs someone noted from the public log
    earlier: each must still be there, so a log cut short or rewritten from some point on
    is found even though every link after the cut is consistent."""
    expected = dict(anchors)
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0

    def broken(event: AuditEvent, reason: str) -> ChainCheck:
        return ChainCheck(False, checked, event.seq, reason, expected_seq - 1, prev_hash)

    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return broken(event, f"expected sequence number {expected_seq}")
        if event.prev_hash != prev_hash:
            return broken(event, "prev_hash does not match the row before")
        if event.occurred_at != audit_minute(event.occurred_at):
            return broken(event, "time is not to the minute as published")
        if not _commitment_holds(event):
            return broken(event, "private part or salt does not match its commitment")
        recomputed = audit_event_hash(
            seq=event.seq,
            occurred_at=event.occurred_at,
            kind=event.kind,
            object_type=event.object_type,
            object_id=event.object_id,
            public=event.public,
            commitment=event.commitment,
            prev_hash=event.prev_hash,
        )
        if recomputed != event.hash:
            return broken(event, "content does not match its hash")
        if event.seq in expected and expected.pop(event.seq) != event.hash:
            return broken(event, "hash differs from the one noted earlier (anchor)")
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    if expected:
        missing = min(expected)
        return ChainCheck(
            False,
            checked,
            missing,
            "an event noted earlier (anchor) is missing: the log was cut short",
            checked,
            prev_hash,
        )
    return ChainCheck(True, checked, head_seq=checked, head_hash=prev_hash)


@dataclass(frozen=True)
class PublicAuditEntry:
    """An event as the public sees it: the published fields only, with the text its hash
    is computed from, so that anyone can check the chain from the page."""

    seq: int
    occurred_at: datetime
    kind: str
    object_type: str
    object_id: str
    public: dict
    commitment: str
    prev_hash: str
    hash: str
    details: list[tuple[str, str]] = field(default_factory=list)

    @property
    def time_text(self) -> str:
        return audit_time_text(self.occurred_at)

    @property
    def payload(self) -> str:
        return audit_payload(
            seq=self.seq,
            occurred_at=self.occurred_at,
            kind=self.kind,
            object_type=self.object_type,
            object_id=self.object_id,
            public=self.public,
            commitment=self.commitment,
            prev_hash=self.prev_hash,
        )


def audit_events_public() -> QuerySet[AuditEvent]:
    """The log as the public sees it, newest first, without the private part and salt;
    turn rows into `audit_entry_public` before they reach a template."""
    return AuditEvent.objects.order_by("-seq").only(*PUBLIC_COLUMNS)


def audit_entry_public(event: AuditEvent) -> PublicAuditEntry:
    return PublicAuditEntry(
        **{name: getattr(event, name) for name in PUBLIC_COLUMNS},
        details=audit_event_details(event.public),
    )


def audit_entries_public(events: Iterable[AuditEvent]) -> list[PublicAuditEntry]:
    return [audit_entry_public(event) for event in events]


def _plain(value, key: str = "") -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, str) and (key, value) in PUBLIC_VALUES:
        return str(PUBLIC_VALUES[(key, value)])
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_plain(inner)}" for key, inner in value.items())
    if isinstance(value, list):
        return ", ".join(_plain(inner) for inner in value)
    return str(value)


def audit_event_details(public: dict) -> list[tuple[str, str]]:
    """The public details of an event as (label, value) pairs for the page."""
    details = []
    for key, value in public.items():
        if value is None or value == "" or value == {}:
            continue
        if isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()):
            value = "; ".join(f"{k} ({_plain(v)})" for k, v in value.items())
        details.append((str(PUBLIC_FIELDS.get(key, key)), _plain(value, key)))
    return details
