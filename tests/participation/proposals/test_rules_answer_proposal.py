"""`participation_proposals.answer_proposal`: every role before, during and after the phase."""

import pytest

from cooperative import permissions
from tests.participation.proposals.conftest import PHASES, ROLES

pytestmark = pytest.mark.django_db

PERMISSION = "participation_proposals.answer_proposal"

# role -> phases in which the role may give official feedback: the organisation's speakers
# and editors and the platform admin, in every phase; nobody else ever.
EXPECTED = {
    "anonymous": set(),
    "citizen": set(),
    "author": set(),
    "editor": set(PHASES),
    "speaker": set(PHASES),
    "other_speaker": set(),
    "moderator": set(),
    "admin": set(PHASES),
}


def test_table_covers_every_role():
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("state", PHASES)
def test_answer_proposal_by_role_and_phase(proposals_by_role, state):
    for role, (person, proposal) in proposals_by_role(state).items():
        assert permissions.allowed(person, PERMISSION, proposal) is (state in EXPECTED[role]), role


def test_a_deactivated_speaker_cannot_answer(person_and_proposal):
    person, proposal = person_and_proposal("speaker", "evaluation")
    person.is_active = False
    person.save()

    assert not permissions.allowed(person, PERMISSION, proposal)
