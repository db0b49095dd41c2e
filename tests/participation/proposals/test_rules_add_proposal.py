"""`participation_proposals.add_proposal`: every role before, during and after the phase."""

import pytest

from cooperative import permissions
from tests.participation.proposals.conftest import PHASES, ROLES

pytestmark = pytest.mark.django_db

PERMISSION = "participation_proposals.add_proposal"

# role -> phases in which the role may submit proposals
EXPECTED = {
    "anonymous": set(),
    "citizen": {"open"},
    "author": {"open"},
    "editor": {"open"},
    "speaker": {"open"},
    "other_speaker": {"open"},
    "moderator": {"open"},
    "admin": {"open"},
}


def test_table_covers_every_role():
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("state", PHASES)
def test_add_proposal_by_role_and_phase(make_person, make_consultation, state):
    page = make_consultation(state)
    for role in ROLES:
        person = make_person("citizen" if role == "author" else role)
        assert permissions.allowed(person, PERMISSION, page) is (state in EXPECTED[role]), role


def test_a_phase_that_opens_only_comments_does_not_open_proposals(make_person, make_consultation):
    page = make_consultation("open")
    page.phases.update(allows_propose=False)

    assert not permissions.allowed(make_person("citizen"), PERMISSION, page)


@pytest.mark.parametrize("role", ["citizen", "speaker", "admin"])
def test_nobody_proposes_in_an_unpublished_consultation(make_person, make_consultation, role):
    page = make_consultation("open", live=False)

    assert not permissions.allowed(make_person(role), PERMISSION, page)


def test_deactivated_account_cannot_propose(make_person, make_consultation):
    person = make_person("citizen")
    person.is_active = False
    person.save()

    assert not permissions.allowed(person, PERMISSION, make_consultation("open"))
