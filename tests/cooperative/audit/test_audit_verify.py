"""The audit log's hash chain: `manage.py audit_verify` passes on an untouched log and
names the first row that was altered or removed."""

import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cooperative.audit.models import AuditEvent
from cooperative.audit.services import GENESIS_HASH
from tests.cooperative.governance.helpers import board_member, member_of, netiquette

pytestmark = pytest.mark.django_db


@pytest.fixture
def log():
    board = board_member()
    for _ in range(3):
        member_of(board=board)
    netiquette()
    return list(AuditEvent.objects.order_by("seq"))


def verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_an_untouched_log_verifies(log):
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    assert log[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(log))
    assert f"{len(log)} events" in verify()


@pytest.mark.parametrize(
    "change",
    [
        {"public": {"member_number": 99}},
        {"kind": "membership.rejected"},
        {"object_id": "12345"},
        {"private": {}},
    ],
)
def test_an_altered_row_breaks_the_chain_at_that_row(log, change):
    target = log[3]
    AuditEvent.objects.filter(pk=target.pk).update(**change)
    with pytest.raises(CommandError, match=rf"event #{target.seq}: content does not match"):
        verify()


def test_a_rehashed_row_breaks_the_link_to_the_next(log):
    from cooperative.audit.services import audit_event_hash

    target = log[2]
    fields = {
        f: getattr(target, f)
        for f in ("seq", "occurred_at", "kind", "object_type", "object_id", "private", "prev_hash")
    }
    forged = audit_event_hash(**fields, public={"forged": True})
    AuditEvent.objects.filter(pk=target.pk).update(public={"forged": True}, hash=forged)
    with pytest.raises(CommandError, match=rf"event #{target.seq + 1}: prev_hash"):
        verify()


def test_a_removed_row_is_found(log):
    AuditEvent.objects.filter(pk=log[4].pk).delete()
    with pytest.raises(CommandError, match=rf"event #{log[5].seq}: expected sequence number"):
        verify()
