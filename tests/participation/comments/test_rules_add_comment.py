"""`participation_comments.add_comment`: every role before, during and after the phase."""

import pytest

from cooperative import permissions
from tests.participation.comments.conftest import PHASES, ROLES

pytestmark = pytest.mark.django_db

PERMISSION = "participation_comments.add_comment"

# role -> phases in which the role may write contributions
EXPECTED = {
    "anonymous": set(),
    "citizen": {"open"},
    "editor": {"open"},
    "speaker": {"open"},
    "other_speaker": {"open"},
    "moderator": {"open"},
    "admin": {"open"},
}


def test_table_covers_every_role():
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("state", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_add_comment_by_role_and_phase(make_person, make_consultation, role, state):
    person = make_person(role)
    page = make_consultation(state)

    assert permissions.allowed(person, PERMISSION, page) is (state in EXPECTED[role])


@pytest.mark.parametrize("role", ["citizen", "speaker", "admin"])
def test_nobody_writes_in_an_unpublished_consultation(make_person, make_consultation, role):
    page = make_consultation("open", live=False)

    assert not permissions.allowed(make_person(role), PERMISSION, page)


def test_deactivated_account_cannot_write(make_person, make_consultation):
    person = make_person("citizen")
    person.is_active = False
    person.save()

    assert not permissions.allowed(person, PERMISSION, make_consultation("open"))
