"""`participation_proposals.view_proposal`: every role before, during and after the phase."""

import pytest

from participation.proposals.rules import has_proposal_perm
from tests.participation.proposals.conftest import PHASES, ROLES, proposal_in

pytestmark = pytest.mark.django_db

PERMISSION = "participation_proposals.view_proposal"


@pytest.mark.parametrize("state", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_proposals_of_a_published_consultation(person_and_proposal, role, state):
    person, proposal = person_and_proposal(role, state)

    assert has_proposal_perm(person, PERMISSION, proposal)


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


@pytest.mark.parametrize("role", ROLES)
def test_drafts_only_for_editors_and_admins(make_person, make_consultation, role):
    person = make_person("citizen" if role == "author" else role)
    page = make_consultation("open", live=False)
    proposal = proposal_in(page, person if role == "author" else make_person("citizen"))

    assert has_proposal_perm(person, PERMISSION, proposal) is DRAFT[role]
