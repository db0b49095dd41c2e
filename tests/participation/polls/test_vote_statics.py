"""The vote endpoint keeps a poll's options and phases per process while the page is
unchanged; a save here or a new revision anywhere makes it read them again."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from wagtail.models import Page

from participation.polls.models import PollChoice
from participation.polls.selectors import poll_to_vote_in_by_id
from participation.polls.services import poll_vote_cast
from tests.participation.polls.conftest import add_poll

pytestmark = pytest.mark.django_db


def texts(poll) -> list[str]:
    return [choice.text for choice in poll.choices.all()]


def test_an_option_added_here_counts_at_once(
    make_consultation, make_person, django_assert_num_queries
):
    page = make_consultation("open")
    poll = add_poll(page, options=("Ja", "Nein"))
    voter = make_person("citizen")
    loaded = poll_to_vote_in_by_id(voter, page.pk, poll.pk)
    assert texts(loaded) == ["Ja", "Nein"]
    with django_assert_num_queries(1):  # poll with page, closing and view restrictions
        again = poll_to_vote_in_by_id(AnonymousUser(), page.pk, poll.pk)
    assert texts(again) == ["Ja", "Nein"]

    later = PollChoice.objects.create(poll=poll, text="Vielleicht", sort_order=2)
    loaded = poll_to_vote_in_by_id(voter, page.pk, poll.pk)
    assert texts(loaded) == ["Ja", "Nein", "Vielleicht"]
    poll_vote_cast(user=voter, poll=loaded, choices=[later.pk])


def test_another_processes_edit_is_seen_by_the_page_stamp(make_consultation, make_person):
    page = make_consultation("open")
    poll = add_poll(page, options=("Ja", "Nein"))
    viewer = make_person("citizen")
    assert texts(poll_to_vote_in_by_id(viewer, page.pk, poll.pk)) == ["Ja", "Nein"]
    # Another process's edit: no signal reaches this one, only the rows change.
    PollChoice.objects.filter(poll=poll, text="Nein").update(text="Eher nicht")
    assert texts(poll_to_vote_in_by_id(viewer, page.pk, poll.pk)) == ["Ja", "Nein"]
    # ...and its publish leaves a new publication time on the page row.
    Page.objects.filter(pk=page.pk).update(last_published_at=timezone.now())
    assert texts(poll_to_vote_in_by_id(viewer, page.pk, poll.pk)) == ["Ja", "Eher nicht"]


def test_the_cached_rows_are_copies(make_consultation, make_person):
    page = make_consultation("open")
    poll = add_poll(page, options=("Ja", "Nein"))
    viewer = make_person("citizen")
    first = poll_to_vote_in_by_id(viewer, page.pk, poll.pk)
    second = poll_to_vote_in_by_id(viewer, page.pk, poll.pk)
    assert next(iter(first.choices.all())) is not next(iter(second.choices.all()))
    assert next(iter(second.choices.all())).poll is second
