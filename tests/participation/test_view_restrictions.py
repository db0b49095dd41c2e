"""The one-query view restriction check agrees with Wagtail's own, for the page itself, an
ancestor, and an alias (restricted by its source page)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import PageViewRestriction

from participation.consultations.rules import has_view_restrictions
from tests.participation.comments.conftest import (  # noqa: F401 (fixtures)
    _fresh_cache,
    make_consultation,
)

pytestmark = pytest.mark.django_db


def restrict(page):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )


def agrees(page) -> bool:
    found = has_view_restrictions(page)
    assert found == page.get_view_restrictions().exists()
    return found


def test_an_open_page_has_no_restriction(make_consultation):  # noqa: F811
    assert agrees(make_consultation("open")) is False


def test_a_restriction_on_the_page_or_an_ancestor_applies(make_consultation):  # noqa: F811
    page = make_consultation("open")
    other = make_consultation("open")
    restrict(page)
    assert agrees(page) is True
    assert agrees(other) is False
    restrict(other.get_parent())
    assert agrees(other) is True


def test_an_alias_is_restricted_by_its_source(make_consultation):  # noqa: F811
    source = make_consultation("open")
    alias = source.create_alias(update_slug=f"{source.slug}-alias")
    assert agrees(alias) is False
    restrict(source)
    assert agrees(alias) is True


def test_a_restricted_consultation_is_hidden_from_the_public(make_consultation):  # noqa: F811
    page = make_consultation("open")
    viewer = AnonymousUser()
    assert viewer.has_perm("participation_consultations.view_consultationpage", page)
    restrict(page)
    page.__dict__.pop("_has_view_restrictions", None)
    assert not viewer.has_perm("participation_consultations.view_consultationpage", page)
