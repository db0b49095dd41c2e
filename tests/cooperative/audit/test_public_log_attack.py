"""Finding 2 of issue 13, replayed request by request: an anonymous visitor reads the
public audit log (and a member the ballot page) and tries to recover who filed a notice,
how members voted in a ballot that is still open, and, in a secret ballot, who took part
and how a member of a one-person group voted. Before the fix each of these succeeded in
well under a minute; now the published data do not determine them.

Each test also runs the attack with the salt the attacker does not have: it then
succeeds, so the attack is real and the salt is what stands in its way."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse

from cooperative.audit.models import AuditEvent
from cooperative.governance.models import Ballot
from participation.moderation.services import report_create
from tests.cooperative.audit.attack import crack, published_rows
from tests.cooperative.governance.helpers import (
    board_member,
    end_ballot,
    member_of,
    open_ballot,
    supported_motion,
)
from tests.participation.moderation.helpers import published_comment, world

pytestmark = pytest.mark.django_db

USER_IDS = range(1, 3000)
MEMBER_NUMBERS = range(1, 400)


def _public_log(client) -> dict:
    client.logout()
    response = client.get(reverse("audit_log"))
    assert response.status_code == 200
    return published_rows(response.content)


def _crack(rows, event: AuditEvent, candidates, **kwargs):
    return crack(
        rows,
        seq=event.seq,
        kind=event.kind,
        object_type=event.object_type,
        object_id=event.object_id,
        public=event.public,
        candidates=candidates,
        **kwargs,
    )


def _with_salt(event: AuditEvent) -> list[bytes]:
    return [bytes.fromhex(event.salt)]


def test_the_public_log_does_not_tell_who_filed_a_notice(client):
    cache.clear()
    w = world()
    comment = published_comment(w.town_consultation, w.author)
    report_create(
        target=comment,
        reporter=w.citizen,
        kind="rule",
        clause="2",
        explanation="Der Beitrag beleidigt eine Person als Idioten.",
        good_faith=True,
        ip="10.0.0.1",
    )
    event = AuditEvent.objects.get(kind="moderation.notice")

    rows = _public_log(client)
    # The attacker knows the contribution and its consultation (both public) and tries
    # every account id as the reporter.
    known = {"target_id": comment.pk, "consultation": w.town_consultation.pk}
    candidates = [{**known, "reporter": user_id} for user_id in USER_IDS]
    assert _crack(rows, event, candidates) is None
    assert str(w.citizen.pk) not in rows[event.seq].text.split()

    recovered = _crack(rows, event, candidates, salts=_with_salt(event))
    assert recovered == event.private and recovered["reporter"] == w.citizen.pk


def _vote(client, member, ballot, choice: str) -> None:
    client.force_login(member.user)
    response = client.post(
        reverse("ballot_vote", args=[ballot.pk]), {"member": member.pk, "choice": choice}
    )
    assert response.status_code == 302


def test_the_public_log_does_not_tell_how_members_voted_in_an_open_ballot(client):
    board = board_member()
    members = [member_of(board=board) for _ in range(4)]
    ballot = open_ballot(supported_motion(members[0], members[1:3]))
    cast = {members[0]: "yes", members[1]: "no", members[2]: "abstain"}
    for member, choice in cast.items():
        _vote(client, member, ballot, choice)
    ballot.refresh_from_db()
    assert ballot.state == Ballot.State.OPEN  # still open: nobody may know the votes yet

    rows = _public_log(client)
    candidates = [
        {"member_number": number, "choice": choice, "by_proxy": by_proxy}
        for number in MEMBER_NUMBERS
        for choice in ("yes", "no", "abstain")
        for by_proxy in (False, True)
    ]
    events = list(AuditEvent.objects.filter(kind="ballot.vote_cast").order_by("seq"))
    assert len(events) == 3
    for event in events:
        assert _crack(rows, event, candidates) is None
    recovered = [_crack(rows, e, candidates, salts=_with_salt(e)) for e in events]
    assert recovered == [
        {"member_number": m.number, "choice": c, "by_proxy": False} for m, c in cast.items()
    ]


def test_a_secret_ballot_tells_nobody_who_took_part_or_how_a_lone_member_voted(client):
    board = board_member()
    citizens = [member_of(board=board) for _ in range(6)]
    party = member_of(board=board, group="parties")  # the only member of that group
    ballot = open_ballot(
        supported_motion(citizens[0], citizens[1:3]), secret=True, majority_in_every_group=True
    )
    for member, choice in zip(citizens, ["yes"] * 4 + ["no"] * 2, strict=True):
        _vote(client, member, ballot, choice)
    _vote(client, party, ballot, "no")
    ballot = end_ballot(ballot)

    # 1. Who took part: the vote records of the public log, tried with every member number.
    rows = _public_log(client)
    candidates = [
        {"member_number": number, "by_proxy": by_proxy}
        for number in MEMBER_NUMBERS
        for by_proxy in (False, True)
    ]
    events = list(AuditEvent.objects.filter(kind="ballot.vote_cast").order_by("seq"))
    assert len(events) == 7
    assert all(_crack(rows, event, candidates) is None for event in events)
    party_vote = next(e for e in events if e.private["member_number"] == party.number)
    assert _crack(rows, party_vote, candidates, salts=_with_salt(party_vote)) is not None

    # 2. How the parties' group voted: neither the public log's result entry nor the
    # members' ballot page shows a count or a finding for a group of one.
    result = AuditEvent.objects.get(kind="ballot.result", object_id=str(ballot.pk))
    assert "parties" not in rows[result.seq].text
    client.force_login(citizens[1].user)
    page = BeautifulSoup(client.get(ballot.get_absolute_url()).content, "html.parser")
    headers = [th.get_text(strip=True) for th in page.select(".results th[scope=row]")]
    assert "parties" not in headers and "citizens" not in headers
    assert page.select_one(".results") is not None  # the result itself is there
    assert ballot.result["total"] == {"yes": 4, "no": 3, "abstain": 0}


def test_the_log_shows_what_anyone_needs_to_check_it_and_nothing_more(client):
    board = board_member()
    members = [member_of(board=board) for _ in range(3)]
    ballot = open_ballot(supported_motion(members[0], members[1:]), secret=True)
    _vote(client, members[0], ballot, "yes")
    client.logout()
    html = client.get(reverse("audit_log")).content.decode()
    page = BeautifulSoup(html, "html.parser")
    entries = page.select("tr[data-audit-seq]")
    assert len(entries) == AuditEvent.objects.count()
    for event in AuditEvent.objects.all():
        assert event.salt not in html
        # Times to the minute only, in the machine-readable attribute as well.
        row = page.select_one(f"tr[data-audit-seq='{event.seq}']")
        assert row.select_one("time")["datetime"] == event.occurred_at.strftime("%Y-%m-%dT%H:%MZ")
        published = json.loads(row.select_one("[data-audit-payload]").get_text())
        assert set(published) == {
            "seq",
            "occurred_at",
            "kind",
            "object_type",
            "object_id",
            "public",
            "commitment",
            "prev_hash",
        }
        assert published["public"] == event.public
        assert published["commitment"] == event.commitment
