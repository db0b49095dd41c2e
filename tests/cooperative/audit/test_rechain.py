"""The one-time re-anchoring (migration 0003): a log written under the old scheme, whose
private parts could be recovered from its hashes, becomes a salted chain that
`audit_verify` accepts, with what may no longer be public moved to the private part, the
times rounded, and an `audit.rechained` entry naming the old head and whether the old chain
was intact."""

import hashlib
import importlib
import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from cooperative.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

rechain = importlib.import_module("cooperative.audit.migrations.0003_rechain").rechain


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _old_log(rows) -> list[AuditEvent]:
    """Events as the code before the fix wrote them."""
    prev = "0" * 64
    events = []
    for seq, (kind, object_type, object_id, public, private) in enumerate(rows, start=1):
        at = datetime(2026, 3, 1, 9, seq, 12, 345678, tzinfo=UTC)
        digest = hashlib.sha256(
            _canonical(
                {
                    "seq": seq,
                    "occurred_at": at.isoformat(timespec="microseconds"),
                    "kind": kind,
                    "object_type": object_type,
                    "object_id": object_id,
                    "public": public,
                    "private": private,
                    "prev_hash": prev,
                }
            ).encode()
        ).hexdigest()
        events.append(
            AuditEvent.objects.create(
                seq=seq,
                occurred_at=at,
                kind=kind,
                object_type=object_type,
                object_id=object_id,
                public=public,
                private=private,
                prev_hash=prev,
                hash=digest,
            )
        )
        prev = digest
    return events


OLD_ROWS = [
    (
        "membership.admitted",
        "cooperative_membership.member",
        "17",
        {"member_group": "citizens", "shares": 12, "member_number": 9},
        {"name": "Erika Beispiel"},
    ),
    (
        "moderation.notice_rejected",
        "participation_moderation.report",
        "3",
        {"reasons": "Frau Beispiel, das ist keine Beleidigung."},
        {"moderator": 5},
    ),
    (
        "moderation.hide",
        "participation_moderation.moderationdecision",
        "4",
        {"puid": "6d1c7f0e-0000-4000-8000-000000000000", "consultation": 8},
        {"moderator": 5},
    ),
    ("ballot.vote_cast", "cooperative_governance.ballot", "2", {"ballot": 2}, {"choice": "no"}),
]


def test_an_old_log_is_rechained_under_the_salted_scheme():
    old = _old_log(OLD_ROWS)
    rechain(apps, None)

    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "5 events" in out.getvalue()
    events = list(AuditEvent.objects.order_by("seq"))
    assert {e.hash for e in events}.isdisjoint({e.hash for e in old})
    assert all(e.occurred_at.second == 0 and e.occurred_at.microsecond == 0 for e in events)
    admitted, rejected, hidden, vote, marker = events
    assert admitted.public == {"member_group": "citizens"}
    assert (admitted.object_type, admitted.object_id) == ("", "")
    assert admitted.private == {
        "name": "Erika Beispiel",
        "member": 17,
        "shares": 12,
        "member_number": 9,
    }
    assert rejected.public == {} and rejected.private["reasons"].startswith("Frau Beispiel")
    assert hidden.public == {"puid": "6d1c7f0e-0000-4000-8000-000000000000"}
    assert hidden.private == {"moderator": 5, "consultation": 8}
    assert vote.private == {"choice": "no"} and len(vote.salt) == 64
    assert marker.kind == "audit.rechained"
    assert marker.public == {
        "events": 4,
        "previous_head": old[-1].hash,
        "previous_chain_intact": True,
    }


def test_a_broken_old_log_is_rechained_but_says_so():
    old = _old_log(OLD_ROWS)
    AuditEvent.objects.filter(pk=old[1].pk).update(private={"moderator": 6})
    rechain(apps, None)
    marker = AuditEvent.objects.get(kind="audit.rechained")
    assert marker.public["previous_chain_intact"] is False
    assert marker.public["previous_chain_broken_at"] == 2


def test_an_empty_log_stays_empty():
    rechain(apps, None)
    assert not AuditEvent.objects.exists()
