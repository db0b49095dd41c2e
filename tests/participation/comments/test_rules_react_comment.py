"""`participation_comments.react_comment`: anyone signed in, on others' published contributions,
while the phase allows contributions."""

import pytest

from cooperative import permissions
from participation.comments.models import Comment
from tests.participation.comments.conftest import PHASES, ROLES, comment_in

pytestmark = pytest.mark.django_db

PERMISSION = "participation_comments.react_comment"
ROLES_AND_AUTHOR = [*ROLES, "author"]

EXPECTED = {
    "anonymous": set(),
    "citizen": {"open"},
    "editor": {"open"},
    "speaker": {"open"},
    "other_speaker": {"open"},
    "moderator": {"open"},
    "admin": {"open"},
    "author": set(),  # nobody agrees with themselves
}


def test_table_covers_every_role():
    assert set(EXPECTED) == set(ROLES_AND_AUTHOR)


@pytest.mark.parametrize("state", PHASES)
@pytest.mark.parametrize("role", ROLES_AND_AUTHOR)
def test_react_by_role_and_phase(make_person, make_consultation, role, state):
    page = make_consultation(state)
    person = make_person(role)
    author = person if role == "author" else make_person("citizen")
    comment = comment_in(page, author)

    assert permissions.allowed(person, PERMISSION, comment) is (state in EXPECTED[role])


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (Comment.Status.PUBLISHED, True),
        (Comment.Status.PENDING, False),
        (Comment.Status.HIDDEN, False),
        (Comment.Status.REMOVED, False),
    ],
)
def test_only_published_contributions_take_reactions(
    make_person, make_consultation, status, allowed
):
    comment = comment_in(make_consultation("open"), make_person("citizen"), status=status)

    assert permissions.allowed(make_person("citizen"), PERMISSION, comment) is allowed
