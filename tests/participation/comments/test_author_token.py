"""Part of finding 9 of issue 13: every contribution carried its author's account id in
`data-author` (for the page script, which switches on edit and delete for the author), so
anyone could read from the shared HTML which contributions one account wrote and count
the accounts. Now it carries an opaque token per author and consultation (authorship.py),
the page gives the reader their own token, and a live frame stays the same for every
reader."""

import json

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from participation.comments.services import comment_create
from participation.live.models import LiveEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def authors_on(html: str) -> dict[int, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {int(li["data-comment-id"]): li["data-author"] for li in soup.select("[data-author]")}


def viewer_on(html: str) -> str | None:
    section = BeautifulSoup(html, "html.parser").select_one("[data-live-consultation]")
    return section.get("data-viewer")


def test_the_shared_html_names_no_account(make_consultation):
    page, other_page = make_consultation("open"), make_consultation("open")
    alice, bob = UserFactory(), UserFactory()
    first = comment_create(author=alice, consultation=page, body="Erster Beitrag von Alice")
    second = comment_create(author=alice, consultation=page, body="Zweiter Beitrag von Alice")
    by_bob = comment_create(author=bob, consultation=page, body="Ein Beitrag von Bob")
    elsewhere = comment_create(author=alice, consultation=other_page, body="Alice anderswo")

    anonymous = Client()
    html = anonymous.get(page.url).text
    tokens = authors_on(html)
    account_ids = {str(pk) for pk in type(alice).objects.values_list("pk", flat=True)}

    assert set(tokens) == {first.pk, second.pk, by_bob.pk}
    assert not account_ids & set(tokens.values())
    assert all(len(token) >= 16 and not token.isdigit() for token in tokens.values())
    assert tokens[first.pk] == tokens[second.pk] != tokens[by_bob.pk]
    # The same author is someone else in another consultation.
    assert authors_on(anonymous.get(other_page.url).text)[elsewhere.pk] != tokens[first.pk]
    assert viewer_on(html) is None

    # The reader's own token switches on their controls, and only on their contributions.
    reader = Client()
    reader.force_login(alice)
    mine = reader.get(page.url).text
    assert viewer_on(mine) == tokens[first.pk]
    assert authors_on(mine) == tokens  # the same HTML for everyone
    reader.force_login(bob)
    assert viewer_on(reader.get(page.url).text) == tokens[by_bob.pk]

    # A live frame carries the token the page has.
    frame = json.loads(
        LiveEvent.objects.filter(room=f"consultation.{page.pk}", type="comment.created")
        .order_by("pk")
        .first()
        .data
    )
    assert authors_on(frame["html"]["de"]) == {first.pk: tokens[first.pk]}
