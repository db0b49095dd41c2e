"""`participation_polls.vote_poll` and `change_vote_poll`: every role before, during and
after the phase that allows voting, and on a closed poll."""

import pytest
from django.utils import timezone

from cooperative import permissions
from tests.participation.polls.conftest import PHASES, ROLES, add_poll

pytestmark = pytest.mark.django_db

# role -> phases in which the role may vote (the open phase allows voting)
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
def test_vote_and_change_by_role_and_phase(make_person, make_consultation, state):
    # One consultation per phase, every role asked about it (a page costs more than a role).
    page = make_consultation(state)
    changeable = add_poll(page, allow_change=True)
    final = add_poll(page, allow_change=False)
    for role in ROLES:
        person = make_person(role)
        allowed = state in EXPECTED[role]
        assert (
            permissions.allowed(person, "participation_polls.vote_poll", changeable) is allowed
        ), role
        assert permissions.allowed(person, "participation_polls.vote_poll", final) is allowed, role
        assert (
            permissions.allowed(person, "participation_polls.change_vote_poll", changeable)
            is allowed
        ), role
        assert not permissions.allowed(person, "participation_polls.change_vote_poll", final), role


def test_nobody_votes_in_a_closed_poll(make_person, make_consultation):
    poll = add_poll(make_consultation("open"), closed_at=timezone.now())

    for role in ROLES:
        assert not permissions.allowed(make_person(role), "participation_polls.vote_poll", poll), (
            role
        )


def test_nobody_votes_after_the_closing_time(make_person, make_consultation):
    poll = add_poll(make_consultation("open"), closes_at=timezone.now() - timezone.timedelta(1))

    assert not permissions.allowed(make_person("citizen"), "participation_polls.vote_poll", poll)


@pytest.mark.parametrize("role", ["citizen", "editor", "admin"])
def test_nobody_votes_in_an_unpublished_consultation(make_person, make_consultation, role):
    poll = add_poll(make_consultation("open", live=False))

    assert not permissions.allowed(make_person(role), "participation_polls.vote_poll", poll)


def test_a_deactivated_account_cannot_vote(make_person, make_consultation):
    person = make_person("citizen")
    person.is_active = False
    person.save()

    assert not permissions.allowed(
        person, "participation_polls.vote_poll", add_poll(make_consultation("open"))
    )
