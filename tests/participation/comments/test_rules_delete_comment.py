"""`participation_comments.delete_comment`: the author withdraws their own contribution, in
every phase (the text is theirs; a placeholder keeps the replies in context)."""

import pytest

from cooperative import permissions
from participation.comments.models import Comment
from tests.participation.comments.conftest import PHASES, ROLES, comment_in

pytestmark = pytest.mark.django_db

PERMISSION = "participation_comments.delete_comment"
ROLES_AND_AUTHOR = [*ROLES, "author"]

EXPECTED = {
    "anonymous": set(),
    "citizen": set(),
    "editor": set(),
    "speaker": set(),
    "other_speaker": set(),
    "moderator": set(),  # moderators hide through moderation, never "as the author"
    "admin": set(),
    "author": set(PHASES),
}


def test_table_covers_every_role():
    assert set(EXPECTED) == set(ROLES_AND_AUTHOR)


@pytest.mark.parametrize("state", PHASES)
@pytest.mark.parametrize("role", ROLES_AND_AUTHOR)
def test_delete_by_role_and_phase(make_person, make_consultation, role, state):
    page = make_consultation(state)
    person = make_person(role)
    author = person if role == "author" else make_person("citizen")
    comment = comment_in(page, author)

    assert permissions.allowed(person, PERMISSION, comment) is (state in EXPECTED[role])


def test_delete_has_no_time_window(make_person, make_consultation):
    author = make_person("citizen")
    comment = comment_in(make_consultation("open"), author, minutes_ago=60 * 24 * 30)

    assert permissions.allowed(author, PERMISSION, comment)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (Comment.Status.PUBLISHED, True),
        (Comment.Status.PENDING, True),
        (Comment.Status.HIDDEN, False),  # the moderators' decision stays visible as such
        (Comment.Status.REMOVED, False),
    ],
)
def test_author_deletes_only_live_contributions(make_person, make_consultation, status, allowed):
    author = make_person("citizen")
    comment = comment_in(make_consultation("open"), author, status=status)

    assert permissions.allowed(author, PERMISSION, comment) is allowed
