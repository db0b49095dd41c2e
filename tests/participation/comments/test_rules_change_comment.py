"""`participation_comments.change_comment`: the author, within the edit window, while the phase
allows contributions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cooperative import permissions
from participation.comments.models import Comment, edit_window
from tests.participation.comments.conftest import PHASES, ROLES, comment_in

pytestmark = pytest.mark.django_db

PERMISSION = "participation_comments.change_comment"
ROLES_AND_AUTHOR = [*ROLES, "author"]

EXPECTED = {
    "anonymous": set(),
    "citizen": set(),
    "editor": set(),
    "speaker": set(),
    "other_speaker": set(),
    "moderator": set(),  # moderators hide; they never rewrite someone's words
    "admin": set(),
    "author": {"open"},
}


def test_table_covers_every_role():
    assert set(EXPECTED) == set(ROLES_AND_AUTHOR)


def test_edit_window_is_fifteen_minutes():
    assert timedelta(minutes=15) == edit_window()


@pytest.mark.parametrize("state", PHASES)
@pytest.mark.parametrize("role", ROLES_AND_AUTHOR)
def test_change_by_role_and_phase(make_person, make_consultation, role, state):
    page = make_consultation(state)
    person = make_person(role)
    author = person if role == "author" else make_person("citizen")
    comment = comment_in(page, author)

    assert permissions.allowed(person, PERMISSION, comment) is (state in EXPECTED[role])


@pytest.mark.parametrize(
    ("age", "allowed"),
    [
        (timedelta(minutes=1), True),
        (edit_window() - timedelta(seconds=5), True),  # just inside
        (edit_window() + timedelta(seconds=5), False),  # just outside
        (timedelta(days=1), False),
    ],
)
def test_edit_window(make_person, make_consultation, age, allowed):
    author = make_person("citizen")
    comment = comment_in(make_consultation("open"), author)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - age)
    comment.refresh_from_db()

    assert permissions.allowed(author, PERMISSION, comment) is allowed


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (Comment.Status.PUBLISHED, True),
        (Comment.Status.PENDING, True),  # still waiting for moderation: may be corrected
        (Comment.Status.HIDDEN, False),
        (Comment.Status.REMOVED, False),
    ],
)
def test_author_edits_only_live_contributions(make_person, make_consultation, status, allowed):
    author = make_person("citizen")
    comment = comment_in(make_consultation("open"), author, status=status)

    assert permissions.allowed(author, PERMISSION, comment) is allowed


def test_the_edit_window_follows_the_setting(settings):
    settings.COMMENT_EDIT_WINDOW_MINUTES = 60
    assert edit_window() == timedelta(minutes=60)
