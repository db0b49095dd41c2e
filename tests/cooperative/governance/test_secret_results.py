"""Per-group results of a secret ballot are published only where no single vote can be
inferred from them: every group that voted has GOVERNANCE_SECRET_GROUP_MIN_VOTERS voters
and stays split however any one vote is taken away. All or nothing, in every channel
(stored result and ballot page, minutes, the public log's result entry)."""

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings

from cooperative.audit.models import AuditEvent
from cooperative.governance.majority import Count, group_count_disclosable, groups_disclosable
from cooperative.governance.services import ballot_vote_cast
from cooperative.membership.models import MemberGroup
from tests.cooperative.governance.helpers import (
    board_member,
    end_ballot,
    member_of,
    open_ballot,
    supported_motion,
)


@pytest.mark.parametrize(
    ("yes", "no", "abstain", "disclosable"),
    [
        (5, 0, 0, False),  # unanimous: each known participant's vote is known
        (20, 0, 0, False),  # size does not help against unanimity
        (4, 1, 0, False),  # the one "no" knows that all the others said yes
        (0, 6, 1, False),
        (3, 2, 0, True),
        (2, 2, 1, True),
        (3, 1, 1, True),  # taking away any one vote still leaves two choices
        (2, 2, 0, False),  # split, but fewer than five voters
        (1, 1, 1, False),
    ],
)
def test_a_group_count_is_disclosable_only_if_no_single_vote_follows(yes, no, abstain, disclosable):
    assert group_count_disclosable(Count(yes, no, abstain), 5) is disclosable


def test_the_threshold_is_the_setting_and_the_rule_is_all_or_nothing():
    assert group_count_disclosable(Count(2, 2, 0), 4)
    assert not group_count_disclosable(Count(3, 2, 1), 7)
    big = Count(6, 3, 1)
    assert groups_disclosable({"citizens": big, "parties": Count(0, 0, 0)}, 5)
    assert not groups_disclosable({"citizens": big, "parties": Count(0, 1, 0)}, 5)


def _ballot_with(groups: dict[str, list[str]], *, secret: bool):
    board = board_member()
    voters = [
        (member_of(board=board, group=group), choice)
        for group, choices in groups.items()
        for choice in choices
    ]
    members = [m for m, _ in voters]
    ballot = open_ballot(
        supported_motion(members[0], members[1:3]), secret=secret, majority_in_every_group=True
    )
    for member, choice in voters:
        ballot_vote_cast(user=member.user, ballot=ballot, member=member, choice=choice)
    return end_ballot(ballot), members


def _group_rows(client, ballot, member) -> list[str]:
    client.force_login(member.user)
    page = BeautifulSoup(client.get(ballot.get_absolute_url()).content, "html.parser")
    rows = [th.get_text(strip=True) for th in page.select(".results table th[scope=row]")]
    return [row for row in rows if row in MemberGroup.values]


BIG = {
    "citizens": ["yes", "yes", "yes", "no", "no", "abstain"],
    "administration": ["yes", "yes", "yes", "no", "no"],
}


@pytest.mark.django_db
def test_a_secret_ballot_with_large_split_groups_shows_them_everywhere(client):
    ballot, members = _ballot_with(BIG, secret=True)
    assert ballot.result["groups"]["citizens"] == {"yes": 3, "no": 2, "abstain": 1}
    assert set(_group_rows(client, ballot, members[0])) == {"citizens", "administration"}
    event = AuditEvent.objects.get(kind="ballot.result")
    assert event.public["groups"] == ballot.result["groups"]


@pytest.mark.django_db
@override_settings(GOVERNANCE_SECRET_GROUP_MIN_VOTERS=6)
def test_one_group_below_the_threshold_withholds_every_group(client):
    ballot, members = _ballot_with(BIG, secret=True)
    assert "groups" not in ballot.result and "groups_met" not in ballot.result
    assert ballot.result["groups_withheld"] is True
    assert ballot.result["every_group_met"] is True
    assert ballot.result["total"] == {"yes": 6, "no": 4, "abstain": 1}
    assert _group_rows(client, ballot, members[0]) == []
    event = AuditEvent.objects.get(kind="ballot.result")
    assert event.public == ballot.result
    assert event.private == {}  # a secret ballot's group counts are kept nowhere else
    assert "groups" not in ballot.minutes


@pytest.mark.django_db
def test_a_unanimous_group_withholds_the_breakdown_of_a_secret_ballot(client):
    ballot, members = _ballot_with(
        {"citizens": ["yes"] * 3 + ["no"] * 3, "parties": ["yes"] * 5}, secret=True
    )
    assert ballot.result["groups_withheld"] is True
    assert _group_rows(client, ballot, members[0]) == []


@pytest.mark.django_db
def test_an_open_ballot_keeps_its_breakdown_for_members_but_not_for_the_public(client):
    ballot, members = _ballot_with(
        {"citizens": ["yes", "yes", "no", "no", "yes"], "parties": ["no"]}, secret=False
    )
    # Members see the counts (and the minutes name every vote, GenG §47)...
    assert ballot.result["groups"]["parties"] == {"yes": 0, "no": 1, "abstain": 0}
    assert "parties" in _group_rows(client, ballot, members[0])
    # ...the public log does not, but binds them into the chain privately.
    event = AuditEvent.objects.get(kind="ballot.result")
    assert "groups" not in event.public and event.public["groups_withheld"] is True
    assert event.private["groups"] == ballot.result["groups"]
