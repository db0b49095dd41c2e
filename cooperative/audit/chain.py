"""The arithmetic of the audit chain: what is hashed, and how. Pure functions, no database.

Each event has a public part and a private part. The private part (member numbers, user
ids, choices, names) is bound into the chain through a commitment

    commitment = SHA-256(salt || canonical JSON of the private part)

where `salt` is 32 random bytes of its own, stored with the private part and never
published. The event's hash covers only what is published:

    hash = SHA-256(canonical JSON of {seq, occurred_at, kind, object_type, object_id,
                                      public, commitment, prev_hash})

so anyone can recompute the chain from the public log, and nobody can recover a private
value by trying candidates: without the salt (2^256 possibilities) a guess cannot be
checked against the commitment. A salt rather than an HMAC with a server key: the chain
stays verifiable without any key, no key can leak or need rotating, and the board can
prove one event's private part to an auditor by showing its salt.

`occurred_at` is published and hashed to the minute only.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
SALT_BYTES = 32


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def audit_minute(moment: datetime) -> datetime:
    """The moment as the log keeps and publishes it: in UTC, to the minute."""
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def audit_time_text(occurred_at: datetime) -> str:
    """The time as it is hashed (and shown to machines): `2026-05-04T09:30Z`."""
    return audit_minute(occurred_at).strftime("%Y-%m-%dT%H:%MZ")


def private_commitment(*, salt: str, private: dict) -> str:
    """SHA-256 over the salt's bytes followed by the private part's canonical JSON.
    Raises ValueError for a salt that is not 32 bytes of hex."""
    raw = bytes.fromhex(salt)
    if len(raw) != SALT_BYTES:
        raise ValueError("an audit salt is 32 bytes")
    return hashlib.sha256(raw + canonical_json(private).encode()).hexdigest()


def audit_payload(
    *,
    seq: int,
    occurred_at: datetime,
    kind: str,
    object_type: str,
    object_id: str,
    public: dict,
    commitment: str,
    prev_hash: str,
) -> str:
    """The exact text whose SHA-256 is the event's hash; the public page shows it."""
    return canonical_json(
        {
            "seq": seq,
            "occurred_at": audit_time_text(occurred_at),
            "kind": kind,
            "object_type": object_type,
            "object_id": object_id,
            "public": public,
            "commitment": commitment,
            "prev_hash": prev_hash,
        }
    )


def audit_event_hash(**fields: Any) -> str:
    return hashlib.sha256(audit_payload(**fields).encode()).hexdigest()
