"""The audit log's hash chain: `manage.py audit_verify` passes on an untouched log and
names the first row whose public part, private part, salt, commitment, time, place or
presence was changed; anchors noted from the public log find a log cut short or rewritten
from some point on."""

import itertools
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from cooperative.audit.chain import (
    GENESIS_HASH,
    audit_event_hash,
    new_salt,
    private_commitment,
)
from cooperative.audit.models import AuditEvent
from cooperative.audit.services import audit_record
from tests.cooperative.governance.helpers import board_member, member_of, netiquette

pytestmark = pytest.mark.django_db


@pytest.fixture
def log():
    board = board_member()
    for _ in range(3):
        member_of(board=board)
    netiquette()
    return list(AuditEvent.objects.order_by("seq"))


def verify(*anchors: str) -> str:
    out = StringIO()
    call_command("audit_verify", *[f"--anchor={a}" for a in anchors], stdout=out)
    return out.getvalue()


def rehash(event: AuditEvent) -> str:
    return audit_event_hash(
        seq=event.seq,
        occurred_at=event.occurred_at,
        kind=event.kind,
        object_type=event.object_type,
        object_id=event.object_id,
        public=event.public,
        commitment=event.commitment,
        prev_hash=event.prev_hash,
    )


def test_an_untouched_log_verifies_and_names_its_head(log):
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    assert log[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(log))
    assert all(e.occurred_at.second == 0 and e.occurred_at.microsecond == 0 for e in log)
    out = verify(f"{log[2].seq}:{log[2].hash}", f"{log[-1].seq}:{log[-1].hash}")
    assert f"{len(log)} events" in out
    assert f"#{log[-1].seq} {log[-1].hash}" in out


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"public": {"member_group": "parties"}}, "content does not match its hash"),
        ({"kind": "membership.rejected"}, "content does not match its hash"),
        ({"object_id": "12345"}, "content does not match its hash"),
        ({"commitment": "0" * 64}, "private part or salt does not match its commitment"),
        ({"private": {}}, "private part or salt does not match its commitment"),
        ({"salt": "1" * 64}, "private part or salt does not match its commitment"),
        ({"salt": "not hex"}, "private part or salt does not match its commitment"),
    ],
)
def test_an_altered_row_breaks_the_chain_at_that_row(log, change, reason):
    target = log[3]
    AuditEvent.objects.filter(pk=target.pk).update(**change)
    with pytest.raises(CommandError, match=rf"event #{target.seq}: {reason}"):
        verify()


def test_a_changed_private_value_is_found(log):
    target = next(e for e in log if e.kind == "membership.admitted")
    private = {**target.private, "member_number": target.private["member_number"] + 1}
    AuditEvent.objects.filter(pk=target.pk).update(private=private)
    with pytest.raises(CommandError, match=rf"event #{target.seq}: private part or salt"):
        verify()


def test_a_time_moved_is_found(log):
    target = log[2]
    AuditEvent.objects.filter(pk=target.pk).update(
        occurred_at=target.occurred_at - timedelta(minutes=3)
    )
    with pytest.raises(CommandError, match=rf"event #{target.seq}: content does not match"):
        verify()
    # Seconds that the published minute does not show are not a hiding place either.
    AuditEvent.objects.filter(pk=target.pk).update(
        occurred_at=target.occurred_at + timedelta(seconds=17)
    )
    with pytest.raises(CommandError, match=rf"event #{target.seq}: time is not to the minute"):
        verify()


def test_a_rehashed_row_breaks_the_link_to_the_next(log):
    target = log[2]
    target.public = {"member_group": "parties"}
    target.hash = rehash(target)
    AuditEvent.objects.filter(pk=target.pk).update(public=target.public, hash=target.hash)
    with pytest.raises(CommandError, match=rf"event #{target.seq + 1}: prev_hash"):
        verify()


def test_a_removed_row_is_found(log):
    AuditEvent.objects.filter(pk=log[4].pk).delete()
    with pytest.raises(CommandError, match=rf"event #{log[5].seq}: expected sequence number"):
        verify()


def test_an_inserted_row_is_found(log):
    # Make room after row 3 and put a well-formed, correctly hashed event there.
    at = log[3].seq
    for event in reversed(log[3:]):
        AuditEvent.objects.filter(pk=event.pk).update(seq=event.seq + 1)
    salt = new_salt()
    forged = AuditEvent(
        seq=at,
        occurred_at=log[2].occurred_at,
        kind="membership.excluded",
        public={"member_group": "citizens"},
        private={},
        salt=salt,
        commitment=private_commitment(salt=salt, private={}),
        prev_hash=log[2].hash,
    )
    forged.hash = rehash(forged)
    forged.save(force_insert=True)
    with pytest.raises(CommandError, match=rf"event #{at + 1}: prev_hash"):
        verify()


def test_reordered_rows_are_found(log):
    a, b = log[2], log[3]
    AuditEvent.objects.filter(pk=a.pk).update(seq=10_000)
    AuditEvent.objects.filter(pk=b.pk).update(seq=a.seq)
    AuditEvent.objects.filter(pk=a.pk).update(seq=b.seq)
    with pytest.raises(CommandError, match=rf"event #{a.seq}: prev_hash"):
        verify()


def test_a_log_cut_short_is_found_by_an_anchor(log):
    head = log[-1]
    AuditEvent.objects.filter(pk=head.pk).delete()
    assert "events" in verify()  # the rest of the chain is consistent in itself...
    with pytest.raises(CommandError, match=rf"event #{head.seq}: an event noted earlier"):
        verify(f"{head.seq}:{head.hash}")  # ...but the hash someone noted is gone


def test_a_chain_rewritten_from_some_point_on_is_found_by_an_anchor(log):
    # Whoever can write the table can recompute every hash after a change: the chain is
    # consistent again, and only a hash noted from the public log earlier shows it.
    noted_seq, noted_hash = log[-1].seq, log[-1].hash
    prev = log[2].hash
    for event in log[3:]:
        event.public = {**event.public, "member_group": "parties"}
        event.prev_hash = prev
        event.hash = rehash(event)
        AuditEvent.objects.filter(pk=event.pk).update(
            public=event.public, prev_hash=event.prev_hash, hash=event.hash
        )
        prev = event.hash
    assert "events" in verify()
    with pytest.raises(CommandError, match=rf"event #{noted_seq}: hash differs"):
        verify(f"{noted_seq}:{noted_hash}")


def test_a_malformed_anchor_is_refused_clearly(log):
    with pytest.raises(CommandError, match="expected SEQ:HASH"):
        verify("7:abc")


def test_a_public_detail_that_is_not_declared_public_is_refused(log):
    refused = pytest.raises(ValueError, match=r"\['member_number'\] are not declared public")
    with refused, transaction.atomic():
        audit_record(kind="membership.admitted", public={"member_number": 7})
    assert AuditEvent.objects.count() == len(log)
