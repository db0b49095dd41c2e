"""`participation_proposals.view_proposal`: every role before, during and after the phase."""

import pytest

from cooperative import permissions
from tests.participation.proposals.conftest import PHASES, ROLES

pytestmark = pytest.mark.django_db

PERMISSION = "participation_proposals.view_proposal"


@pytest.mark.parametrize("state", PHASES)
def test_everyone_sees_proposals_of_a_published_consultation(proposals_by_role, state):
    for role, (person, proposal) in proposals_by_role(state).items():
        assert permissions.allowed(person, PERMISSION, proposal), role


# role -> may see proposals in an unpublished (draft) consultation
DRAFT = {
    "anonymous": False,
    "citizen": False,
    "author": False,
    "editor": True,
    "speaker": False,
    "other_speaker": False,
    "moderator": False,
    "admin": True,
}


def test_draft_table_covers_every_role():
    assert set(DRAFT) == set(ROLES)


def test_drafts_only_for_editors_and_admins(proposals_by_role):
    for role, (person, proposal) in proposals_by_role("open", live=False).items():
        assert permissions.allowed(person, PERMISSION, proposal) is DRAFT[role], role
