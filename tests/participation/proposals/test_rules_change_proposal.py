"""`participation_proposals.change_proposal`: every role before, during and after the phase,
and the states of a proposal that end its author's right to change it."""

import pytest

from cooperative import permissions
from participation.proposals.models import ModerationStatus, ProposalStatus
from tests.participation.proposals.conftest import PHASES, ROLES

pytestmark = pytest.mark.django_db

PERMISSION = "participation_proposals.change_proposal"

# role -> phases in which the role may change the proposal: its author, while the phase
# allows proposals; nobody else ever (not the organisation, not a moderator, not an admin).
EXPECTED = {
    "anonymous": set(),
    "citizen": set(),
    "author": {"open"},
    "editor": set(),
    "speaker": set(),
    "other_speaker": set(),
    "moderator": set(),
    "admin": set(),
}


def test_table_covers_every_role():
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("state", PHASES)
def test_change_proposal_by_role_and_phase(proposals_by_role, state):
    for role, (person, proposal) in proposals_by_role(state).items():
        assert permissions.allowed(person, PERMISSION, proposal) is (state in EXPECTED[role]), role


@pytest.mark.parametrize(
    ("fields", "allowed"),
    [
        ({}, True),
        ({"moderation_status": ModerationStatus.PENDING}, True),
        ({"support_count": 1}, False),
        ({"status": ProposalStatus.UNDER_REVIEW}, False),
        ({"status": ProposalStatus.REJECTED}, False),
        ({"status": ProposalStatus.WITHDRAWN}, False),
        ({"moderation_status": ModerationStatus.HIDDEN}, False),
        ({"moderation_status": ModerationStatus.REMOVED}, False),
    ],
    ids=[
        "fresh",
        "pending",
        "supported",
        "under review",
        "answered",
        "withdrawn",
        "hidden",
        "removed",
    ],
)
def test_the_author_may_change_it_until_the_first_support_or_answer(
    person_and_proposal, fields, allowed
):
    author, proposal = person_and_proposal("author", "open")
    for name, value in fields.items():
        setattr(proposal, name, value)
    assert permissions.allowed(author, PERMISSION, proposal) is allowed


def test_a_phase_that_opens_only_support_does_not_open_changes(person_and_proposal):
    author, proposal = person_and_proposal("author", "open")
    proposal.consultation.phases.update(allows_propose=False)
    assert not permissions.allowed(author, PERMISSION, proposal)


def test_a_deactivated_author_cannot_change_it(person_and_proposal):
    author, proposal = person_and_proposal("author", "open")
    author.is_active = False
    author.save()
    assert not permissions.allowed(author, PERMISSION, proposal)
