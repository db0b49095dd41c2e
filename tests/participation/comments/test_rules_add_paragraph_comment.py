"""Contributions on a paragraph of the draft text: every role before, during and after the
phase, through the form a reader sends (the same permission and checks as the discussion)."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from participation.comments.models import Comment
from tests.participation.comments.conftest import PHASES, ROLES, with_draft_text

pytestmark = pytest.mark.django_db

# role -> phases in which the role may comment on a paragraph
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
def test_paragraph_comment_by_role_and_phase(client, make_person, make_consultation, state):
    # One page per phase, every role on it: a page costs more than a person.
    page = with_draft_text(make_consultation(state))
    target = f"paragraph:{page.draft_paragraphs()[1].block_id}"
    with translation.override("en"):
        url = reverse("comment_create", args=[page.pk])
    outcome = {}
    for role in ROLES:
        person = make_person(role)
        client.logout()
        if person.is_authenticated:
            client.force_login(person)
        cache.clear()
        response = client.post(url, {"body": f"Hinweis von {role}", "target": target})
        written = Comment.objects.filter(body=f"Hinweis von {role}", target_kind="paragraph")
        if response.status_code == 302 and written.exists():
            outcome[role] = "written"
        elif role == "anonymous" and "/login/" in response.get("Location", ""):
            outcome[role] = "asked to log in"
        else:
            assert response.status_code == 403, (role, response.status_code)
            assert not written.exists()
            outcome[role] = "refused"

    expected = {
        role: "written"
        if state in phases
        else ("asked to log in" if role == "anonymous" else "refused")
        for role, phases in EXPECTED.items()
    }
    assert outcome == expected
