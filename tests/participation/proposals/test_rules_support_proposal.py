"""`participation_proposals.support_proposal`: every role before, during and after the phase."""

import pytest

from cooperative import permissions
from tests.participation.proposals.conftest import PHASES, ROLES

pytestmark = pytest.mark.django_db

PERMISSION = "participation_proposals.support_proposal"

# role -> phases in which the role may support someone's proposal
EXPECTED = {
    "anonymous": set(),
    "citizen": {"open"},
    "author": set(),  # never one's own
    "editor": {"open"},
    "speaker": {"open"},
    "other_speaker": {"open"},
    "moderator": {"open"},
    "admin": {"open"},
}


def test_table_covers_every_role():
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("state", PHASES)
def test_support_proposal_by_role_and_phase(proposals_by_role, state):
    for role, (person, proposal) in proposals_by_role(state).items():
        assert permissions.allowed(person, PERMISSION, proposal) is (state in EXPECTED[role]), role


def test_the_support_switch_of_the_phase_decides(person_and_proposal):
    person, proposal = person_and_proposal("citizen", "open")
    proposal.consultation.phases.update(allows_support=False)
    proposal.consultation.refresh_from_db()

    assert not permissions.allowed(person, PERMISSION, proposal)
