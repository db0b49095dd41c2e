"""A secret ballot keeps who voted apart from what was voted: no common key, no time, no
order that links the two; the receipt shows the voter their ballot was counted."""

import pytest
from django.db import connection
from django.urls import reverse

from cooperative.audit.models import AuditEvent
from cooperative.governance.models import SecretChoice, SecretParticipation
from cooperative.governance.selectors import receipt_lookup
from cooperative.governance.services import ballot_vote_cast
from tests.cooperative.governance.helpers import (
    board_member,
    end_ballot,
    member_of,
    open_ballot,
    supported_motion,
)

pytestmark = pytest.mark.django_db


def _columns(model) -> set[str]:
    return {f.column for f in model._meta.concrete_fields}


def test_the_tables_share_no_key_and_no_time():
    assert _columns(SecretParticipation) == {"id", "ballot_id", "member_id", "by_proxy_id"}
    assert _columns(SecretChoice) == {"id", "ballot_id", "member_group", "choice", "receipt_hash"}
    # The choice's key is random, not a sequence that runs alongside the participation's.
    assert SecretChoice._meta.pk.get_internal_type() == "UUIDField"
    assert SecretChoice._meta.ordering == ["id"]
    # Nothing on either table refers to the other.
    for field in SecretChoice._meta.get_fields():
        assert getattr(field, "related_model", None) is not SecretParticipation
    for field in SecretParticipation._meta.get_fields():
        assert getattr(field, "related_model", None) is not SecretChoice


def _physical_order(ballot) -> list[str]:
    table = SecretChoice._meta.db_table
    position = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT choice FROM {table} WHERE ballot_id = %s ORDER BY {position}",  # noqa: S608
            [ballot.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def test_neither_order_nor_log_links_a_member_to_a_choice():
    board = board_member()
    members = [member_of(board=board) for _ in range(24)]
    ballot = open_ballot(supported_motion(members[0], members[1:3]), secret=True)
    cast = ["yes"] * 12 + ["no"] * 12
    receipts = {}
    for member, choice in zip(members, cast, strict=True):
        receipts[member.pk] = ballot_vote_cast(
            user=member.user, ballot=ballot, member=member, choice=choice
        ).receipt
    participation_order = list(
        SecretParticipation.objects.filter(ballot=ballot)
        .order_by("pk")
        .values_list("member_id", flat=True)
    )
    assert participation_order == [m.pk for m in members]
    # Read the way the application reads them (random key order): not the order of writing.
    assert list(SecretChoice.objects.filter(ballot=ballot).values_list("choice", flat=True)) != cast
    # The log says that each member voted, never what.
    for event in AuditEvent.objects.filter(kind="ballot.vote_cast"):
        assert "choice" not in event.public and "choice" not in event.private
    ballot = end_ballot(ballot)
    assert ballot.result["total"] == {"yes": 12, "no": 12, "abstain": 0}
    assert "votes" not in ballot.minutes
    # After the count the rows are written anew in random order: even the table's physical
    # order no longer follows the order of voting.
    assert sorted(_physical_order(ballot)) == sorted(cast)
    assert _physical_order(ballot) != cast
    # Receipts survive the rewrite.
    for member, choice in zip(members, cast, strict=True):
        assert receipt_lookup(ballot, receipts[member.pk]).choice == choice


def test_the_receipt_checks_the_ballot_and_reveals_nothing_else():
    board = board_member()
    a, b, c = (member_of(board=board) for _ in range(3))
    ballot = open_ballot(supported_motion(a, [b, c]), secret=True)
    other = open_ballot(supported_motion(b, [a, c], body="Ganz neue Netiquette."), secret=True)
    receipt = ballot_vote_cast(user=a.user, ballot=ballot, member=a, choice="abstain").receipt
    assert len(receipt) == 20
    found = receipt_lookup(ballot, receipt)
    assert found is not None and found.choice == "abstain"
    assert receipt_lookup(ballot, receipt.upper()) == found  # typed in capitals
    assert receipt_lookup(ballot, "0" * 20) is None
    assert receipt_lookup(other, receipt) is None  # a receipt belongs to its ballot
    # Only a hash of the code is stored.
    assert not SecretChoice.objects.filter(receipt_hash__contains=receipt).exists()
    # An open ballot gives no receipt.
    open_one = open_ballot(supported_motion(c, [a, b], body="Noch eine Fassung."))
    assert ballot_vote_cast(user=a.user, ballot=open_one, member=a, choice="yes").receipt == ""


def test_no_page_shows_a_choice_rows_key(client):
    """The random key of a choice row is the one thing that could be matched to something
    else later: neither the receipt check nor the ballot page, before or after the count,
    names it."""
    board = board_member()
    a, b, c = (member_of(board=board) for _ in range(3))
    ballot = open_ballot(supported_motion(a, [b, c]), secret=True)
    receipt = ballot_vote_cast(user=a.user, ballot=ballot, member=a, choice="no").receipt
    ballot_vote_cast(user=b.user, ballot=ballot, member=b, choice="yes")
    client.force_login(a.user)

    def pages() -> str:
        check = client.get(reverse("ballot_receipt", args=[ballot.pk]), {"code": receipt})
        assert check.status_code == 200
        detail = client.get(ballot.get_absolute_url())
        return check.content.decode() + detail.content.decode()

    keys = [str(pk) for pk in SecretChoice.objects.values_list("pk", flat=True)]
    seen = pages()
    assert not [key for key in keys if key in seen or key.replace("-", "") in seen]
    ballot = end_ballot(ballot)
    keys = [str(pk) for pk in SecretChoice.objects.values_list("pk", flat=True)]
    seen = pages()
    assert not [key for key in keys if key in seen or key.replace("-", "") in seen]
