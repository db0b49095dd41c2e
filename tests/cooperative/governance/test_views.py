"""The cooperative's pages over HTTP: who sees what, and every form without JavaScript."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cooperative.governance.models import Ballot, Motion, Proxy, Vote
from cooperative.governance.services import rule_version_publish
from cooperative.mandates.models import ModerationMandate
from cooperative.mandates.services import mandate_grant
from cooperative.membership.models import Member
from tests.cooperative.governance.helpers import (
    board_member,
    end_ballot,
    member_of,
    netiquette,
    open_ballot,
    supported_motion,
)
from tests.factories import UserFactory, log_in_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    board = board_member()
    members = [member_of(board=board, group=g) for g in ("citizens", "parties", "citizens")]
    document = netiquette()
    rule_version_publish(
        document=document,
        body="Wir begegnen uns mit Respekt.\nKeine Werbung.",
        in_force_from=timezone.now() - timedelta(days=1),
        summary="Keine Werbung",
    )
    return board, members, document


def test_rules_pages_are_public(client, setup):
    _board, _members, _document = setup
    response = client.get(reverse("rule_document_list"))
    assert response.status_code == 200 and "Netiquette" in response.text
    response = client.get(reverse("rule_document", args=["netiquette"]))
    assert "Keine Werbung." in response.text and "Keine Beleidigungen" not in response.text
    old = client.get(reverse("rule_version", args=["netiquette", 1]))
    assert "Keine Beleidigungen" in old.text
    diff = client.get(reverse("rule_diff", args=["netiquette"]) + "?von=1&bis=2")
    assert re.search(r"<ins>.*Keine Werbung\.</ins>", diff.text)
    assert re.search(r"<del>.*Keine Beleidigungen\.</del>", diff.text)
    assert client.get(reverse("rule_diff", args=["netiquette"])).status_code == 302
    assert client.get(reverse("rule_document", args=["nope"])).status_code == 404
    assert client.get(reverse("cooperative_home")).status_code == 200
    assert client.get(reverse("audit_log")).status_code == 200
    assert client.get(reverse("mandate_list")).status_code == 200


def test_motions_and_ballots_are_for_members(client, setup):
    board, members, _document = setup
    motion = supported_motion(members[0], members[1:])
    anonymous = client.get(reverse("motion_detail", args=[motion.pk]))
    assert anonymous.status_code == 302 and "/konto/" in anonymous["Location"]
    client.force_login(UserFactory())
    assert client.get(reverse("motion_detail", args=[motion.pk])).status_code == 403
    assert client.get(reverse("motion_list")).status_code == 403
    client.force_login(members[0].user)
    page = client.get(reverse("motion_detail", args=[motion.pk]))
    assert page.status_code == 200 and motion.title in page.text
    log_in_with_second_factor(client, board)
    page = client.get(reverse("motion_detail", args=[motion.pk]))
    assert "Schedule a ballot" in page.text or "Abstimmung ansetzen" in page.text


def test_a_member_proposes_others_support_and_discuss(client, setup, settings):
    settings.GOVERNANCE_MOTION_SUPPORTERS = 2
    _board, members, document = setup
    client.force_login(members[0].user)
    response = client.post(
        reverse("motion_create"),
        {
            "member": members[0].pk,
            "document": document.pk,
            "title": "Keine Kettenbriefe",
            "rationale": "Sie stören.",
            "proposed_body": "Wir begegnen uns mit Respekt.\nKeine Werbung.\nKeine Kettenbriefe.",
        },
    )
    motion = Motion.objects.get(title="Keine Kettenbriefe")
    assert response.status_code == 302 and response["Location"] == motion.get_absolute_url()
    client.force_login(members[1].user)
    client.post(reverse("motion_support", args=[motion.pk]), {"member": members[1].pk})
    motion.refresh_from_db()
    assert motion.state == Motion.State.SUPPORTED
    client.post(
        reverse("motion_comment", args=[motion.pk]),
        {"member": members[1].pk, "body": "<b>Gute</b> Idee"},
    )
    page = client.get(motion.get_absolute_url())
    assert "Gute Idee" in page.text and "<b>Gute</b>" not in page.text
    empty = client.post(reverse("motion_comment", args=[motion.pk]), {"member": members[1].pk})
    assert empty.status_code == 422


def test_the_board_schedules_members_vote_and_see_the_minutes(client, setup):
    board, members, _document = setup
    motion = supported_motion(members[0], members[1:])
    log_in_with_second_factor(client, board)
    now = timezone.localtime()
    response = client.post(
        reverse("ballot_create", args=[motion.pk]),
        {
            "opens_at": (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "majority": "two_thirds",
            "quorum_percent": "50",
            "interim_visible": "on",
        },
    )
    ballot = Ballot.objects.get(motion=motion)
    assert response.status_code == 302
    client.force_login(members[0].user)
    page = client.get(ballot.get_absolute_url())  # opens it: its time has come
    ballot.refresh_from_db()
    assert ballot.state == Ballot.State.OPEN
    assert 'name="choice"' in page.text
    # A proxy for the second member, then votes.
    client.force_login(members[1].user)
    client.post(
        reverse("ballot_proxy", args=[ballot.pk]),
        {"principal": members[1].pk, "holder": members[0].pk},
    )
    assert Proxy.objects.filter(ballot=ballot, holder=members[0]).count() == 1
    client.force_login(members[0].user)
    for member in members[:2]:
        response = client.post(
            reverse("ballot_vote", args=[ballot.pk]), {"member": member.pk, "choice": "yes"}
        )
        assert response.status_code == 302
    again = client.post(
        reverse("ballot_vote", args=[ballot.pk]), {"member": members[0].pk, "choice": "no"}
    )
    assert again.status_code == 409  # refused with the reason, nothing counted
    client.force_login(members[1].user)
    refused = client.post(
        reverse("ballot_vote", args=[ballot.pk]), {"member": members[1].pk, "choice": "no"}
    )
    assert refused.status_code == 409
    assert "proxy holder has already voted" in refused.text or "bereits" in refused.text
    page = client.get(ballot.get_absolute_url())
    assert "Interim tally" in page.text or "Zwischenstand" in page.text
    assert Vote.objects.filter(ballot=ballot).count() == 2
    end_ballot(ballot)
    page = client.get(ballot.get_absolute_url())
    assert "GenG §47" in page.text
    assert members[0].user.display_name in page.text  # an open ballot lists how members voted


def test_a_secret_ballot_gives_a_receipt_once(client, setup):
    _board, members, _document = setup
    ballot = open_ballot(supported_motion(members[0], members[1:]), secret=True)
    client.force_login(members[2].user)
    client.post(reverse("ballot_vote", args=[ballot.pk]), {"member": members[2].pk, "choice": "no"})
    page = client.get(ballot.get_absolute_url())
    code = re.search(r'class="receipt-code">([0-9a-f]{20})<', page.text).group(1)
    assert code not in client.get(ballot.get_absolute_url()).text  # shown once
    check = client.get(reverse("ballot_receipt", args=[ballot.pk]), {"code": code})
    assert "<strong>No</strong>" in check.text or "<strong>Nein</strong>" in check.text
    wrong = client.get(reverse("ballot_receipt", args=[ballot.pk]), {"code": "f" * 20})
    assert "<strong>" not in wrong.text.split("Check your receipt")[-1].split("<form")[0]


def test_membership_application_and_the_register_export(client, setup):
    board, _members, _document = setup
    applicant = UserFactory()
    client.force_login(applicant)
    client.post(
        reverse("membership_mine"),
        {
            "applicant": "self",
            "member_group": "citizens",
            "shares": "3",
            "legal_name": "Maria Muster",
            "address": "Lindenweg 5, 50667 Köln",
        },
    )
    member = Member.objects.get(legal_name="Maria Muster")
    assert client.get(reverse("member_register_csv")).status_code == 403
    assert client.get(reverse("member_register")).status_code == 403
    log_in_with_second_factor(client, board)
    client.post(
        reverse("membership_decide", args=[member.pk]), {f"decide-{member.pk}-decision": "admit"}
    )
    member.refresh_from_db()
    assert member.number is not None
    register = client.get(reverse("member_register"))
    assert "Lindenweg 5" in register.text
    export = client.get(reverse("member_register_csv"))
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["member_number", "name", "address"]
    assert [str(member.number), "Maria Muster", "Lindenweg 5, 50667 Köln"] in [r[:3] for r in rows]
    # Nobody else sees addresses: not members, not the public log.
    assert "Lindenweg" not in client.get(reverse("audit_log")).text
    client.force_login(applicant)
    assert "Lindenweg" not in client.get(reverse("membership_mine")).text


def test_mandates_granted_and_revoked_by_the_board(client, setup):
    board, members, _document = setup
    client.force_login(members[0].user)
    assert client.get(reverse("mandate_create")).status_code == 403
    log_in_with_second_factor(client, board)
    now = timezone.localtime()
    response = client.post(
        reverse("mandate_create"),
        {
            "holder_member": members[0].pk,
            "scope": "tag",
            "scope_tag": "verkehr",
            "valid_from": (now - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    mandate = ModerationMandate.objects.get()
    assert "#verkehr" in client.get(reverse("mandate_list")).text
    client.post(
        reverse("mandate_revoke", args=[mandate.pk]), {f"revoke-{mandate.pk}-reason": "Ende"}
    )
    mandate.refresh_from_db()
    assert mandate.revoked_at is not None
    other = mandate_grant(by=board, holder_member=members[1], scope="platform", valid_from=now)
    client.logout()
    page = client.get(reverse("mandate_list"))
    assert members[1].user.display_name in page.text and "Revoke" not in page.text
    assert other.pk


def test_the_board_sets_a_founding_version_once(client):
    from cooperative.governance.models import RuleDocument

    board = board_member()
    document, _created = RuleDocument.objects.get_or_create(
        slug="satzung", defaults={"title": "Satzung"}
    )
    url = reverse("rule_document_found", args=["satzung"])
    client.force_login(member_of(board=board).user)
    assert client.post(url, {"body": "§ 1"}).status_code == 403
    log_in_with_second_factor(client, board)
    assert f'action="{url}"' in client.get(document.get_absolute_url()).text
    client.post(url, {"body": "§ 1 Name und Sitz"})
    assert document.versions.get().body == "§ 1 Name und Sitz"
    assert client.post(url, {"body": "§ 1 anders"}).status_code == 403  # later: by vote only


def test_a_member_revokes_their_proxy(client, setup):
    _board, members, _document = setup
    ballot = open_ballot(supported_motion(members[0], members[1:]))
    client.force_login(members[1].user)
    client.post(
        reverse("ballot_proxy", args=[ballot.pk]),
        {"principal": members[1].pk, "holder": members[0].pk},
    )
    proxy = Proxy.objects.get(ballot=ballot)
    url = reverse("ballot_proxy_revoke", args=[ballot.pk, proxy.pk])
    assert f'action="{url}"' in client.get(ballot.get_absolute_url()).text
    client.force_login(members[0].user)  # the holder cannot revoke it
    assert client.post(url).status_code == 404
    client.force_login(members[1].user)
    assert client.post(url).status_code == 302
    assert not Proxy.objects.filter(ballot=ballot).exists()


def test_no_proxy_is_offered_once_a_member_has_voted(client, setup):
    from cooperative.governance.services import ballot_vote_cast

    _board, members, _document = setup
    ballot = open_ballot(supported_motion(members[0], members[1:]))
    client.force_login(members[1].user)
    proxy_action = f'action="{reverse("ballot_proxy", args=[ballot.pk])}"'
    assert proxy_action in client.get(ballot.get_absolute_url()).text

    ballot_vote_cast(user=members[1].user, ballot=ballot, member=members[1], choice="yes")

    page = client.get(ballot.get_absolute_url()).text
    assert proxy_action not in page


def test_the_public_audit_log_names_no_member(client, setup):
    _board, members, _document = setup
    ballot = open_ballot(supported_motion(members[0], members[1:]), secret=True)
    from cooperative.governance.services import ballot_vote_cast

    ballot_vote_cast(user=members[0].user, ballot=ballot, member=members[0], choice="yes")
    page = client.get(reverse("audit_log")).text
    for member in members:
        assert member.legal_name not in page and member.address.splitlines()[0] not in page
        assert member.user.display_name not in page
        assert f"member_number: {member.number}" not in page
    assert "SHA-256" in page
