"""People, consultations and polls for the poll tests."""

import pytest

from participation.polls.models import Poll, PollChoice, PollClosure
from participation.polls.selectors import poll_for_viewer
from tests.participation.comments.conftest import (  # noqa: F401 (fixtures)
    PHASES,
    ROLES,
    _fresh_cache,
    make_consultation,
    make_person,
)


def add_poll(page, *, options=("Ja", "Nein", "Vielleicht"), **fields) -> Poll:
    fields.setdefault("question", "Soll die Hauptstraße Tempo 30 bekommen?")
    closed_at = fields.pop("closed_at", None)
    poll = Poll(page=page, **fields)
    poll.save()
    for number, text in enumerate(options):
        PollChoice(poll=poll, text=text, sort_order=number).save()
    if closed_at is not None:
        PollClosure.objects.create(poll=poll, closed_at=closed_at)
    return Poll.objects.get(pk=poll.pk)


def fresh(poll: Poll, user=None) -> Poll:
    """The poll as the page loads it for `user` (knows the viewer's vote)."""
    from django.contrib.auth.models import AnonymousUser

    found = poll_for_viewer(user or AnonymousUser(), poll.page.specific, poll.pk)
    assert found is not None
    return found


@pytest.fixture
def open_page(make_consultation):  # noqa: F811 (the imported fixture, requested by name)
    return make_consultation("open")


@pytest.fixture
def make_poll(open_page):
    def make(page=None, **fields):
        return add_poll(page or open_page, **fields)

    return make
