"""`participation_proposals.withdraw_proposal`: every role before, during and after the
phase, and the states of a proposal that end its author's right to withdraw it."""

import pytest

from cooperative import permissions
from participation.proposals.models import ModerationStatus, ProposalStatus
from tests.participation.proposals.conftest import PHASES, ROLES

pytestmark = pytest.mark.django_db

PERMISSION = "participation_proposals.withdraw_proposal"

# role -> phases in which the role may withdraw the proposal: its author, in every phase
# (until an official answer); nobody else ever.
EXPECTED = {
    "anonymous": set(),
    "citizen": set(),
    "author": set(PHASES),
    "editor": set(),
    "speaker": set(),
    "other_speaker": set(),
    "moderator": set(),
    "admin": set(),
}


def test_table_covers_every_role():
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("state", PHASES)
def test_withdraw_proposal_by_role_and_phase(proposals_by_role, state):
    for role, (person, proposal) in proposals_by_role(state).items():
        assert permissions.allowed(person, PERMISSION, proposal) is (state in EXPECTED[role]), role


@pytest.mark.parametrize(
    ("fields", "allowed"),
    [
        ({}, True),
        ({"support_count": 3}, True),
        ({"moderation_status": ModerationStatus.PENDING}, True),
        ({"moderation_status": ModerationStatus.HIDDEN}, True),
        ({"moderation_status": ModerationStatus.REMOVED}, False),
        ({"status": ProposalStatus.UNDER_REVIEW}, False),
        ({"status": ProposalStatus.ACCEPTED}, False),
        ({"status": ProposalStatus.WITHDRAWN}, False),
    ],
    ids=["fresh", "supported", "pending", "hidden", "removed", "under review", "accepted", "twice"],
)
def test_the_author_may_withdraw_it_until_the_first_answer(person_and_proposal, fields, allowed):
    author, proposal = person_and_proposal("author", "evaluation")
    for name, value in fields.items():
        setattr(proposal, name, value)
    assert permissions.allowed(author, PERMISSION, proposal) is allowed


@pytest.mark.parametrize("role", ["citizen", "speaker", "editor", "admin"])
def test_a_withdrawn_proposal_can_be_neither_supported_nor_answered(person_and_proposal, role):
    person, proposal = person_and_proposal(role, "open")
    for permission in ("support_proposal", "answer_proposal"):
        before = permissions.allowed(person, f"participation_proposals.{permission}", proposal)
        proposal.status = ProposalStatus.WITHDRAWN
        after = permissions.allowed(person, f"participation_proposals.{permission}", proposal)
        proposal.status = ProposalStatus.SUBMITTED
        if permission == "support_proposal" or role != "citizen":
            assert before, (role, permission)  # so that the refusal below means something
        assert not after, (role, permission)
