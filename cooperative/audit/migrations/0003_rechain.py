"""One-time re-anchoring of the audit log under the salted scheme (issue 13).

Until now each hash covered the private part as it was, so the private values (small
integers: member numbers, user ids, choices) could be recovered from the published hashes
by trying them all. This migration, for every event in order:

1. checks the event against the old scheme, to say in the log whether the old chain was
   intact (a re-anchoring must not quietly launder an altered log);
2. moves what may no longer be public into the private part: every public detail not on
   the list of public details, and for membership events the member as the event's
   object (see `cooperative/membership/services.py`); a secret ballot's result loses its
   per-group counts where a vote could be inferred from them (open ballots keep theirs
   privately);
3. rounds the time to the minute, gives the event a random 32-byte salt, and computes its
   commitment and its hash chained to the re-anchored event before it.

Finally it appends one event `audit.rechained` that publishes how many events were
re-anchored, the last hash of the old chain (whoever kept a copy of the old log can match
it) and whether the old chain was intact. The old hashes are gone after this; they were
the leak. The code is copied here as it was, so that later changes to the app do not
change what this migration does.
"""

import hashlib
import json
import secrets
from datetime import UTC

from django.conf import settings
from django.db import migrations
from django.utils import timezone

GENESIS_HASH = "0" * 64

PUBLIC_FIELDS = {
    "member_group", "document", "version", "in_force_from", "motion", "amends", "amendment",
    "title", "supporters", "text_sha256", "ballot", "state", "from", "to", "opens_at",
    "closes_at", "majority", "quorum_percent", "majority_in_every_group", "secret",
    "eligible", "participants", "adopted", "quorum_met", "majority_met", "total", "groups",
    "groups_met", "groups_withheld", "every_group_met", "holder", "holder_kind", "scope",
    "scope_organisation", "scope_tag", "valid_from", "valid_until", "puid", "decision",
    "target", "ground", "ground_type", "clause", "legal_ground", "rule_version", "source",
    "automated", "outcome", "consultation", "automatic", "slow_mode_minutes",
    "young_account_days", "surge_alert", "previous_head", "events", "previous_chain_intact",
    "previous_chain_broken_at",
}  # fmt: skip
NOT_DECISIONS = {
    "moderation.notice",
    "moderation.notice_rejected",
    "moderation.appeal",
    "moderation.appeal_decided",
}


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(text: str | bytes) -> str:
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


def old_hash(event) -> str:
    return sha256(
        canonical_json(
            {
                "seq": event.seq,
                "occurred_at": event.occurred_at.astimezone(UTC).isoformat(
                    timespec="microseconds"
                ),
                "kind": event.kind,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "public": event.public,
                "private": event.private,
                "prev_hash": event.prev_hash,
            }
        )
    )


def commitment(salt: str, private: dict) -> str:
    return sha256(bytes.fromhex(salt) + canonical_json(private).encode())


def new_hash(event) -> str:
    return sha256(
        canonical_json(
            {
                "seq": event.seq,
                "occurred_at": event.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ"),
                "kind": event.kind,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "public": event.public,
                "commitment": event.commitment,
                "prev_hash": event.prev_hash,
            }
        )
    )


def group_disclosable(count: dict, min_voters: int) -> bool:
    votes = [int(count.get(choice, 0)) for choice in ("yes", "no", "abstain")]
    if sum(votes) == 0:
        return True
    if sum(votes) < min_voters:
        return False
    with_votes = [n for n in votes if n > 0]
    return len(with_votes) == 3 or (len(with_votes) == 2 and min(with_votes) >= 2)


def to_private(private: dict, key: str, value) -> None:
    if key in private and private[key] != value:
        key = f"published_{key}"
    private[key] = value


def reshape(event, secret_ballots: set[str], min_voters: int) -> None:
    public = dict(event.public)
    private = dict(event.private)
    move = [key for key in public if key not in PUBLIC_FIELDS]
    if event.kind == "moderation.notice_rejected":
        move.append("reasons")
    if event.kind.startswith("moderation.") and event.kind not in NOT_DECISIONS:
        move.append("consultation")
    if event.kind.startswith("membership."):
        move.append("shares")
        if event.object_type == "cooperative_membership.member" and event.object_id:
            to_private(private, "member", int(event.object_id))
        event.object_type = ""
        event.object_id = ""
    if event.kind == "ballot.result" and isinstance(public.get("groups"), dict):
        groups = public["groups"]
        if not all(group_disclosable(count, min_voters) for count in groups.values()):
            if event.object_id not in secret_ballots:
                to_private(private, "groups", groups)
                to_private(private, "groups_met", public.get("groups_met") or {})
            met = public.get("groups_met") or {}
            public.pop("groups", None)
            public.pop("groups_met", None)
            public["groups_withheld"] = True
            if met:
                public["every_group_met"] = all(met.values())
    for key in dict.fromkeys(move):
        if key in public:
            to_private(private, key, public.pop(key))
    event.public = public
    event.private = private


def rechain(apps, schema_editor):
    AuditEvent = apps.get_model("cooperative_audit", "AuditEvent")
    Ballot = apps.get_model("cooperative_governance", "Ballot")
    events = list(AuditEvent.objects.order_by("seq"))
    if not events:
        return
    min_voters = int(getattr(settings, "GOVERNANCE_SECRET_GROUP_MIN_VOTERS", 5))
    secret_ballots = {str(pk) for pk in Ballot.objects.filter(secret=True).values_list("pk", flat=True)}

    broken_at = None
    prev = GENESIS_HASH
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq or event.prev_hash != prev or old_hash(event) != event.hash:
            broken_at = event.seq
            break
        prev = event.hash
    old_head = events[-1].hash

    prev = GENESIS_HASH
    last_time = None
    for event in events:
        reshape(event, secret_ballots, min_voters)
        event.occurred_at = event.occurred_at.astimezone(UTC).replace(second=0, microsecond=0)
        if last_time is not None and event.occurred_at < last_time:
            event.occurred_at = last_time
        last_time = event.occurred_at
        event.salt = secrets.token_hex(32)
        event.commitment = commitment(event.salt, event.private)
        event.prev_hash = prev
        event.hash = new_hash(event)
        prev = event.hash
    AuditEvent.objects.bulk_update(
        events,
        [
            "occurred_at", "object_type", "object_id", "public", "private", "salt",
            "commitment", "prev_hash", "hash",
        ],
        batch_size=500,
    )  # fmt: skip

    public = {
        "events": len(events),
        "previous_head": old_head,
        "previous_chain_intact": broken_at is None,
    }
    if broken_at is not None:
        public["previous_chain_broken_at"] = broken_at
    marker = AuditEvent(
        seq=events[-1].seq + 1,
        occurred_at=max(timezone.now().astimezone(UTC).replace(second=0, microsecond=0), last_time),
        kind="audit.rechained",
        object_type="",
        object_id="",
        public=json.loads(canonical_json(public)),
        private={},
        salt=secrets.token_hex(32),
        prev_hash=prev,
    )
    marker.commitment = commitment(marker.salt, marker.private)
    marker.hash = new_hash(marker)
    marker.save(force_insert=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cooperative_audit", "0002_salt_commitment"),
        ("cooperative_governance", "0003_secret_results_without_small_groups"),
    ]

    # Irreversible on purpose: the old hashes were the leak, and going back would leave
    # a chain the old code could not verify. Restore a backup instead.
    operations = [migrations.RunPython(rechain, elidable=False)]
