# ruff: noqa: F811  (the fixtures imported below are used as arguments)
"""People, consultations and proposals for the proposal tests."""

import pytest

from participation.contributions.markup import render_markdown
from participation.proposals.models import Proposal
from tests.participation.comments.conftest import (  # noqa: F401  (fixtures)
    PHASES,
    _fresh_cache,
    make_consultation,
    make_person,
)

# Everyone the permission tables speak about. "other_speaker" speaks for another organisation.
ROLES = [
    "anonymous",
    "citizen",
    "author",
    "editor",
    "speaker",
    "other_speaker",
    "moderator",
    "admin",
]


def proposal_in(
    page, author, title="Mehr Fahrradständer", body="Am Bahnhof fehlen Ständer.", **fields
):
    """A proposal written directly, whatever the phase (services do not check phases)."""
    return Proposal.objects.create(
        consultation=page,
        author=author,
        title=title,
        body=body,
        body_html=render_markdown(body),
        **fields,
    )


@pytest.fixture
def person_and_proposal(make_person, make_consultation):
    """(person in `role`, a proposal in a consultation in `state`); "author" wrote it."""

    def make(role: str, state: str):
        person = make_person(role)
        page = make_consultation(state)
        author = person if role == "author" else make_person("citizen")
        return person, proposal_in(page, author)

    return make


@pytest.fixture
def proposals_by_role(make_person, make_consultation):
    """{role: (person, proposal)} on one consultation in `state` (a page costs more than a
    person, so every role shares it); "author" wrote the proposal they are asked about."""

    def make(state: str, **page_fields):
        page = make_consultation(state, **page_fields)
        found = {}
        for role in ROLES:
            person = make_person(role)
            author = person if role == "author" else make_person("citizen")
            found[role] = (person, proposal_in(page, author))
        return found

    return make
