"""The vote endpoint's one query (written as SQL) gives what the ORM gave: the same poll,
the same fields of its page loaded and deferred, its closing, and the same answer to
"is a view restriction in the way" as has_view_restrictions."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from wagtail.models import PageViewRestriction

from participation.consultations.rules import has_view_restrictions
from participation.polls.models import Poll
from participation.polls.selectors import _VOTE_PAGE_FIELDS, poll_lookup, poll_to_vote_in_by_id
from tests.participation.polls.conftest import add_poll

pytestmark = pytest.mark.django_db


def through_the_orm(page_id: int, poll_id: int) -> Poll:
    """The query the endpoint made before it was written out."""
    return (
        Poll.objects.filter(pk=poll_id, page_id=page_id)
        .select_related("page", "closure")
        .only(
            *(f.name for f in Poll._meta.concrete_fields), *_VOTE_PAGE_FIELDS, "closure__closed_at"
        )
        .get()
    )


def restrict(page):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )


def restricted(poll) -> bool:
    found = poll_lookup(poll.pk, consultation_id=poll.page_id)
    page = poll.page.specific
    assert found.page.__dict__["_has_view_restrictions"] == has_view_restrictions(page)
    assert has_view_restrictions(page) == page.get_view_restrictions().exists()
    return found.page.__dict__["_has_view_restrictions"]


@pytest.mark.parametrize("closed", [False, True])
def test_the_same_poll_and_page_as_the_orm(make_consultation, closed):
    page = make_consultation("open")
    poll = add_poll(
        page,
        kind=Poll.Kind.MULTIPLE,
        max_choices=2,
        allow_other=True,
        allow_change=False,
        closes_at=timezone.now() + timedelta(days=3),
        closed_at=timezone.now() - timedelta(minutes=5) if closed else None,
    )
    expected = through_the_orm(page.pk, poll.pk)

    found = poll_lookup(poll.pk, consultation_id=page.pk)

    names = [f.attname for f in Poll._meta.concrete_fields]
    assert [getattr(found, n) for n in names] == [getattr(expected, n) for n in names]
    assert found.get_deferred_fields() == expected.get_deferred_fields() == set()
    assert found.closed_at == (expected.closure.closed_at if closed else None)
    assert found.is_closed() is closed
    assert found._state.adding is False and found._state.db == "default"
    assert type(found.page) is type(expected.page)
    assert found.page.pk == page.pk and found.page.id == page.pk
    assert found.page.get_deferred_fields() == expected.page.get_deferred_fields()
    for name in (n[6:] for n in _VOTE_PAGE_FIELDS):
        field = found.page._meta.get_field(name)
        assert getattr(found.page, field.attname) == getattr(expected.page, field.attname)
    assert found.page.url == page.url


def test_the_wrong_consultation_finds_nothing(make_consultation):
    page = make_consultation("open")
    other = make_consultation("open")
    poll = add_poll(page)
    assert poll_lookup(poll.pk, consultation_id=other.pk) is None
    assert poll_lookup(poll.pk + 1000, consultation_id=page.pk) is None
    assert poll_to_vote_in_by_id(AnonymousUser(), other.pk, poll.pk) is None


def test_view_restrictions_on_the_page_an_ancestor_or_an_aliased_source(make_consultation):
    page = make_consultation("open")
    other = make_consultation("open")
    poll, other_poll = add_poll(page), add_poll(other)
    assert restricted(poll) is False
    restrict(page)
    assert restricted(poll) is True
    assert restricted(other_poll) is False
    restrict(other.get_parent())
    assert restricted(other_poll) is True


def test_an_alias_is_restricted_by_its_source(make_consultation):
    source = make_consultation("open")
    alias = source.create_alias(update_slug=f"{source.slug}-alias")
    poll = add_poll(alias)
    assert restricted(poll) is False
    restrict(source)
    assert restricted(poll) is True


def test_a_restricted_poll_is_hidden_from_the_public(make_consultation, make_person):
    page = make_consultation("open")
    poll = add_poll(page)
    assert poll_to_vote_in_by_id(AnonymousUser(), page.pk, poll.pk) is not None
    restrict(page)
    assert poll_to_vote_in_by_id(AnonymousUser(), page.pk, poll.pk) is None
    assert poll_to_vote_in_by_id(make_person("citizen"), page.pk, poll.pk) is None
