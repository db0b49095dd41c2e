"""Motions, ballots, proxies and enactment through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cooperative.audit.models import AuditEvent
from cooperative.governance.models import Ballot, Motion, RuleVersion, Vote
from cooperative.governance.selectors import rule_version_in_force, voter_seats
from cooperative.governance.services import (
    VoteRefused,
    ballot_close,
    ballot_create,
    ballot_open,
    ballot_tally,
    ballot_vote_cast,
    governance_advance,
    motion_submit,
    motion_support,
    proxy_grant,
)
from tests.cooperative.governance.helpers import (
    NETIQUETTE_V1,
    board_member,
    end_ballot,
    member_of,
    netiquette,
    open_ballot,
    supported_motion,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages_in_english():
    """These tests read the services' messages as written (the msgids); the German
    catalogue has its own checks (tests/test_i18n.py)."""
    with translation.override("en"):
        yield


@pytest.fixture
def members():
    board = board_member()
    return [
        member_of(group=g, board=board)
        for g in ("citizens", "citizens", "parties", "administration")
    ]


def test_motion_needs_supporters_before_a_ballot(members, settings):
    settings.GOVERNANCE_MOTION_SUPPORTERS = 3
    motion = supported_motion(members[0], [members[1]])
    assert motion.state == Motion.State.COLLECTING
    with pytest.raises(ValidationError, match="enough supporting members"):
        open_ballot(motion)
    with pytest.raises(ValidationError, match="already support"):
        motion_support(motion=motion, member=members[1])
    motion = motion_support(motion=motion, member=members[2])
    assert motion.state == Motion.State.SUPPORTED


def test_an_adopted_motion_puts_the_new_version_in_force_on_its_date(members):
    motion = supported_motion(members[0], members[1:3])
    effective = timezone.now() + timedelta(days=7)
    ballot = open_ballot(
        motion, effective_at=effective, closes_at=timezone.now() + timedelta(hours=1)
    )
    for member in members:
        ballot_vote_cast(user=member.user, ballot=ballot, member=member, choice="yes")
    ballot = end_ballot(ballot)
    assert ballot.state == Ballot.State.ENACTED
    assert ballot.result["total"] == {"yes": 4, "no": 0, "abstain": 0}
    assert ballot.minutes["finding"] == "adopted"
    assert [v["member_number"] for v in ballot.minutes["votes"]] == sorted(
        m.number for m in members
    )
    # Not yet in force: the old version is; from the effective date the new one.
    assert rule_version_in_force("netiquette").body == NETIQUETTE_V1
    new = rule_version_in_force("netiquette", at=effective)
    assert new.number == 2 and new.motion == motion
    assert not AuditEvent.objects.filter(
        kind="rules.version_in_force", object_id=str(new.pk)
    ).exists()
    # The handler records it once, however often it runs.
    assert governance_advance(now=effective)["rule_versions"] == 1
    assert governance_advance(now=effective)["rule_versions"] == 0
    assert (
        AuditEvent.objects.filter(kind="rules.version_in_force", object_id=str(new.pk)).count() == 1
    )
    # Handlers are idempotent.
    assert ballot_tally(ballot=ballot).state == Ballot.State.ENACTED
    assert ballot_close(ballot=ballot).state == Ballot.State.ENACTED
    assert RuleVersion.objects.filter(document__slug="netiquette").count() == 2


def test_rule_version_in_force_at_any_moment(members):
    document = netiquette()
    v1 = rule_version_in_force("netiquette")
    before = v1.in_force_from - timedelta(seconds=1)
    assert rule_version_in_force("netiquette", at=before) is None
    assert rule_version_in_force("netiquette", at=v1.in_force_from) == v1
    assert rule_version_in_force("unknown") is None
    assert document.versions.count() == 1


def test_quorum_and_rejection(members):
    motion = supported_motion(members[0], members[1:3])
    ballot = open_ballot(motion, quorum_percent=75)
    ballot_vote_cast(user=members[0].user, ballot=ballot, member=members[0], choice="yes")
    ballot_vote_cast(user=members[1].user, ballot=ballot, member=members[1], choice="abstain")
    ballot = end_ballot(ballot)
    assert ballot.state == Ballot.State.REJECTED
    assert ballot.minutes["finding"] == "rejected_quorum"
    assert Motion.objects.get(pk=motion.pk).state == Motion.State.REJECTED
    assert rule_version_in_force("netiquette").number == 1


def test_votes_before_opening_after_closing_and_of_non_eligible_members(members):
    motion = supported_motion(members[0], members[1:3])
    now = timezone.now()
    ballot = ballot_create(
        motion=motion,
        by=board_member(),
        opens_at=now + timedelta(hours=1),
        closes_at=now + timedelta(hours=2),
    )
    with pytest.raises(VoteRefused, match="not open"):
        ballot_vote_cast(user=members[0].user, ballot=ballot, member=members[0], choice="yes")
    assert ballot_open(ballot=ballot).state == Ballot.State.SCHEDULED  # not yet time
    ballot = ballot_open(ballot=ballot, now=now + timedelta(hours=1))
    assert ballot.eligible.count() == 4
    late = member_of(group="citizens")  # joined after the ballot opened
    with pytest.raises(VoteRefused, match="not a member when"):
        ballot_vote_cast(user=late.user, ballot=ballot, member=late, choice="yes")
    ballot_vote_cast(user=members[0].user, ballot=ballot, member=members[0], choice="no")
    with pytest.raises(VoteRefused, match="already been cast"):
        ballot_vote_cast(user=members[0].user, ballot=ballot, member=members[0], choice="yes")
    ballot = end_ballot(ballot)
    with pytest.raises(VoteRefused, match="not open"):
        ballot_vote_cast(user=members[1].user, ballot=ballot, member=members[1], choice="yes")
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_proxies(members):
    board = board_member()
    more = [member_of(board=board) for _ in range(2)]
    a, b, c, d = members
    e, f = more
    ballot = open_ballot(supported_motion(a, [b, c]))
    proxy_grant(ballot=ballot, principal=b, holder=a, by=b.user)
    proxy_grant(ballot=ballot, principal=c, holder=a, by=c.user)
    with pytest.raises(ValidationError, match="already represents two"):
        proxy_grant(ballot=ballot, principal=d, holder=a, by=d.user)
    with pytest.raises(ValidationError, match="yourself"):
        proxy_grant(ballot=ballot, principal=d, holder=d, by=d.user)
    with pytest.raises(ValidationError, match="already given a proxy"):
        proxy_grant(ballot=ballot, principal=b, holder=e, by=b.user)
    seats = voter_seats(a.user, ballot)
    assert {s.member.pk for s in seats} == {a.pk, b.pk, c.pk}
    proxy_b = next(s.proxy for s in seats if s.member == b)
    ballot_vote_cast(user=a.user, ballot=ballot, member=b, choice="yes", proxy=proxy_b)
    # The principal cannot vote in person once voted for.
    with pytest.raises(VoteRefused, match="proxy holder has already voted for you"):
        ballot_vote_cast(user=b.user, ballot=ballot, member=b, choice="no")
    # ...and a member who voted in person cannot be voted for.
    proxy_c = next(s.proxy for s in seats if s.member == c)
    ballot_vote_cast(user=c.user, ballot=ballot, member=c, choice="no")
    with pytest.raises(VoteRefused, match="already voted in person"):
        ballot_vote_cast(user=a.user, ballot=ballot, member=c, choice="yes", proxy=proxy_c)
    # Nor give a proxy after voting.
    with pytest.raises(ValidationError, match="already voted"):
        proxy_grant(ballot=ballot, principal=c, holder=f, by=c.user)
    # A proxy covers only its principal.
    with pytest.raises(VoteRefused, match="does not cover"):
        ballot_vote_cast(user=a.user, ballot=ballot, member=d, choice="yes", proxy=proxy_b)
    ballot = end_ballot(ballot)
    assert [v["by_proxy"] for v in ballot.minutes["votes"] if v["member_number"] == b.number] == [
        True
    ]


def test_amendments_are_voted_first_and_replace_the_text(members):
    a, b, c, d = members
    motion = supported_motion(a, [b, c])
    amendment = motion_submit(
        member=d,
        user=d.user,
        document=motion.document,
        title="Auch keine Kettenbriefe",
        rationale="Kettenbriefe sind auch Werbung.",
        proposed_body=NETIQUETTE_V1 + "\nKeine Werbung, keine Kettenbriefe.",
        amends=motion,
    )
    for m in (a, b):
        amendment = motion_support(motion=amendment, member=m)
    now = timezone.now()
    with pytest.raises(ValidationError, match="Amendments are voted first"):
        ballot_create(
            motion=motion, by=board_member(), opens_at=now, closes_at=now + timedelta(hours=1)
        )
    amendment_ballot = open_ballot(amendment, closes_at=now + timedelta(minutes=30))
    main = ballot_create(
        motion=motion,
        by=board_member(),
        opens_at=now + timedelta(minutes=30),
        closes_at=now + timedelta(hours=2),
    )
    for m in members:
        ballot_vote_cast(user=m.user, ballot=amendment_ballot, member=m, choice="yes")
    assert end_ballot(amendment_ballot).state == Ballot.State.ENACTED
    assert rule_version_in_force("netiquette").number == 1  # an amendment enacts no version
    main = ballot_open(ballot=main, now=now + timedelta(minutes=30))
    for m in members:
        ballot_vote_cast(user=m.user, ballot=main, member=m, choice="yes")
    end_ballot(main)
    later = now + timedelta(hours=1)
    assert rule_version_in_force("netiquette", at=later).body.endswith("keine Kettenbriefe.")
    with pytest.raises(ValidationError, match="cannot itself be amended"):
        motion_submit(
            member=a,
            user=a.user,
            document=motion.document,
            title="x",
            rationale="x",
            proposed_body="anders",
            amends=amendment,
        )


def test_organisation_members_vote_through_their_representative():
    from tests.cooperative.governance.helpers import representative_of_member_organisation

    board = board_member()
    user, organisation_member = representative_of_member_organisation(board=board)
    own = member_of(user, board=board)  # the representative is a member in person too
    others = [member_of(board=board) for _ in range(2)]
    ballot = open_ballot(supported_motion(others[0], [others[1], own]))
    seats = voter_seats(user, ballot)
    assert {s.member.pk for s in seats} == {own.pk, organisation_member.pk}
    for seat in seats:
        ballot_vote_cast(user=user, ballot=ballot, member=seat.member, choice="yes")
    assert Vote.objects.filter(ballot=ballot).count() == 2


def test_a_motion_on_an_outdated_version_cannot_go_to_the_vote(members):
    from cooperative.governance.services import rule_version_publish

    motion = supported_motion(members[0], members[1:3])
    rule_version_publish(
        document=motion.document, body="Eine ganz neue Fassung.", in_force_from=timezone.now()
    )
    with pytest.raises(ValidationError, match="has changed since this motion"):
        open_ballot(motion)


def test_a_proxy_can_be_revoked_until_used(members):
    from cooperative.governance.services import proxy_revoke

    a, b, c, _d = members
    ballot = open_ballot(supported_motion(a, [b, c]))
    proxy = proxy_grant(ballot=ballot, principal=b, holder=a, by=b.user)
    proxy_revoke(proxy=proxy, by=b.user)
    with pytest.raises(VoteRefused, match="revoked"):
        ballot_vote_cast(user=a.user, ballot=ballot, member=b, choice="yes", proxy=proxy)
    proxy = proxy_grant(ballot=ballot, principal=b, holder=a, by=b.user)
    ballot_vote_cast(user=a.user, ballot=ballot, member=b, choice="yes", proxy=proxy)
    with pytest.raises(ValidationError, match="can no longer be revoked"):
        proxy_revoke(proxy=proxy, by=b.user)
