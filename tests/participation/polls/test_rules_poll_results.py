"""`participation_polls.view_results_poll` by the poll's setting, and `close_poll`."""

import pytest
from django.utils import timezone

from cooperative import permissions
from participation.polls.models import Poll
from participation.polls.services import poll_vote_cast
from tests.participation.polls.conftest import ROLES, add_poll, fresh

pytestmark = pytest.mark.django_db

VIEW = "participation_polls.view_results_poll"
ANSWERS_FOR_ORGANISATION = {"editor", "speaker", "admin"}


def test_live_results_are_public(make_person, make_consultation):
    poll = add_poll(make_consultation("open"), results_visibility=Poll.Visibility.LIVE)

    for role in ROLES:
        assert permissions.allowed(make_person(role), VIEW, poll), role


def test_results_after_voting_only_for_those_who_voted(make_person, make_consultation):
    poll = add_poll(make_consultation("open"), results_visibility=Poll.Visibility.AFTER_VOTE)

    for role in ROLES:
        person = make_person(role)
        assert permissions.allowed(person, VIEW, poll) is (role in ANSWERS_FOR_ORGANISATION), role
        if person.is_authenticated:
            poll_vote_cast(user=person, poll=poll, choices=[poll.choices.first().pk])
            assert permissions.allowed(person, VIEW, fresh(poll, person)), role
            assert permissions.allowed(person, VIEW, poll), (
                role
            )  # asked without the page's knowledge


def test_results_after_closing(make_person, make_consultation):
    page = make_consultation("open")
    running = add_poll(page, results_visibility=Poll.Visibility.AFTER_CLOSE)
    closed = add_poll(
        page, results_visibility=Poll.Visibility.AFTER_CLOSE, closed_at=timezone.now()
    )

    for role in ROLES:
        person = make_person(role)
        assert permissions.allowed(person, VIEW, running) is (role in ANSWERS_FOR_ORGANISATION), (
            role
        )
        assert permissions.allowed(person, VIEW, closed), role


@pytest.mark.parametrize("state", ["evaluation", "finished"])
def test_every_poll_shows_its_result_once_voting_has_ended(make_person, make_consultation, state):
    poll = add_poll(make_consultation(state), results_visibility=Poll.Visibility.AFTER_CLOSE)

    assert permissions.allowed(make_person("anonymous"), VIEW, poll)


def test_no_results_of_an_unpublished_consultation_for_the_public(make_person, make_consultation):
    poll = add_poll(make_consultation("open", live=False), results_visibility=Poll.Visibility.LIVE)

    assert not permissions.allowed(make_person("citizen"), VIEW, poll)
    assert permissions.allowed(make_person("editor"), VIEW, poll)


CLOSERS = {"editor", "admin"}


def test_close_poll_by_role(make_person, make_consultation):
    page = make_consultation("open")
    poll = add_poll(page)
    closed = add_poll(page, closed_at=timezone.now())

    for role in ROLES:
        person = make_person(role)
        assert permissions.allowed(person, "participation_polls.close_poll", poll) is (
            role in CLOSERS
        ), role
        assert not permissions.allowed(person, "participation_polls.close_poll", closed), role
