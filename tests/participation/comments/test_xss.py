"""Hostile text in bodies and display names is inert in the page and in the live event."""

import json

import pytest
from bs4 import BeautifulSoup

from cooperative.accounts.models import User
from participation.comments.services import comment_create
from participation.live.models import LiveEvent
from tests.factories import UserFactory, consultation

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('body')</script>",
    '"><img src=x onerror=alert(1)>',
    "[klick](javascript:alert(1))",
    "<svg onload=alert(1)>",
    '<a href="https://example.org" onclick="alert(1)">x</a>',
]
NAME = '<script>alert("name")</script>'


def assert_inert(html: str) -> None:
    """No element the payload could have made: no inline script, no handler, no js: link.

    Escaped text such as `&lt;img onerror=…&gt;` may stay; it is shown, not run.
    """
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            # A data block, never run; what matters is that nothing breaks out of it.
            json.loads(script.get_text())
            assert "</" not in script.get_text()
            continue
        assert script.get("src") or script.get("type") == "module", script
        assert "alert" not in script.get_text()
    for element in soup.find_all(True):
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        assert not handlers, element
        assert not str(element.get("href", "")).lower().startswith("javascript:"), element
    assert not soup.find_all(["svg", "img"], attrs={"src": "x"})


@pytest.mark.parametrize("payload", PAYLOADS)
def test_bodies_are_inert_in_page_and_event(client, organisation_area, payload):
    _org, index = organisation_area
    page = consultation(index, title="Sicherheit", state="open")
    author = UserFactory()
    comment = comment_create(author=author, consultation=page, body=f"Vorher {payload} nachher")
    html = client.get(page.url).content.decode()
    assert f'id="comment-{comment.pk}"' in html
    assert_inert(html)
    event = LiveEvent.objects.get(type="comment.created")
    for fragment in json.loads(event.data)["html"].values():
        assert_inert(fragment)


def test_a_hostile_display_name_is_escaped_everywhere(client, organisation_area):
    _org, index = organisation_area
    page = consultation(index, title="Namen", state="open")
    author = UserFactory()
    # The forms refuse such names; an old or imported account could still carry one.
    User.objects.filter(pk=author.pk).update(display_name=NAME)
    author.refresh_from_db()
    comment_create(author=author, consultation=page, body="Hallo")
    html = client.get(page.url).content.decode()
    assert NAME not in html
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in html
    event = LiveEvent.objects.get(type="comment.created")
    assert NAME not in event.data
    assert "&lt;script&gt;" in event.data
