"""Shared people, consultations and contributions for the discussion tests."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone

from cooperative.organisations.models import OrganisationRole
from participation.comments.models import Comment
from participation.contributions.markup import render_markdown
from tests.factories import UserFactory, consultation, grant, organisation_mandate

Role = OrganisationRole.Role

# Everyone the permission tables speak about. "other_speaker" speaks for another organisation.
ROLES = ["anonymous", "citizen", "editor", "speaker", "other_speaker", "moderator", "admin"]
PHASES = ["upcoming", "open", "evaluation", "finished"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the (locmem) cache and would leak from one test into the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_person(organisation_area, other_organisation_area):
    org, _index = organisation_area
    other_org, _other_index = other_organisation_area

    def make(role: str):
        if role == "anonymous":
            return AnonymousUser()
        if role == "admin":
            return UserFactory(is_superuser=True, is_staff=True)
        user = UserFactory()
        organisation, org_role = {
            "citizen": (None, None),
            "author": (None, None),
            "editor": (org, Role.EDITOR),
            "speaker": (org, Role.SPEAKER),
            "other_speaker": (other_org, Role.SPEAKER),
            "moderator": (org, Role.MODERATOR),
        }[role]
        if organisation is not None:
            grant(user, organisation, org_role)
        if role == "moderator":
            # The organisation holds a moderation mandate for its consultations, which its
            # moderators exercise (the role alone grants no moderation).
            organisation_mandate(org)
        return user

    return make


@pytest.fixture
def make_consultation(organisation_area):
    _org, index = organisation_area
    counter = iter(range(1000))

    def make(state: str = "open", **fields):
        number = next(counter)
        fields.setdefault("title", f"Radwege {number}")
        return consultation(index, state=state, **fields)

    return make


def comment_in(page, author, body="Ein Beitrag", *, minutes_ago=0, **fields) -> Comment:
    """A contribution written directly, whatever the phase (services do not check phases)."""
    comment = Comment.objects.create(
        consultation=page, author=author, body=body, body_html=render_markdown(body), **fields
    )
    if minutes_ago:
        Comment.objects.filter(pk=comment.pk).update(
            created_at=timezone.now() - timedelta(minutes=minutes_ago)
        )
        comment.refresh_from_db()
    return comment


def draft_blocks(paragraphs: int = 6, *, headings: bool = True) -> list:
    """A draft text: `paragraphs` numbered paragraphs, with a heading before every third."""
    from wagtail.rich_text import RichText

    blocks = []
    for number in range(1, paragraphs + 1):
        if headings and number % 3 == 1:
            blocks.append(("heading", f"Abschnitt {number // 3 + 1}"))
        blocks.append(("paragraph", RichText(f"<p>Absatztext {number}.</p>")))
    return blocks


def with_draft_text(page, paragraphs: int = 6, **options):
    """The page with a published draft text; returns it fresh, block ids assigned."""
    page.draft_text_title = "Entwurf der Baumschutzsatzung"
    page.draft_text = draft_blocks(paragraphs, **options)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def draft_page(make_consultation):
    return with_draft_text(make_consultation("open"))
