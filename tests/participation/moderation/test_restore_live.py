"""A moderator restores a hidden contribution: readers see it come back live. The server
publishes `comment.restored` with the contribution rendered by the page's own template,
and a reader's stale page plus that event (applied as discussion.js applies it) equals a
fresh page load, counter included."""

import json

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from participation.live.events import last_event_id
from participation.live.groups import consultation_group
from participation.live.models import LiveEvent
from participation.moderation.services import decision_create
from tests.participation.live.test_discussion_live import thread_of
from tests.participation.moderation.helpers import RULE_FACTS, published_comment

pytestmark = pytest.mark.django_db

HIDE = {
    "action": "hide",
    "facts": RULE_FACTS,
    "ground_type": "rule",
    "clause": "2",
    "ground_explanation": "Beleidigung nach Nr. 2 der Netiquette.",
}
RESTORE_FACTS = "Nach erneuter Prüfung verstößt der Beitrag gegen keine Regel."


def events_after(room: str, since: int) -> list[dict]:
    rows = LiveEvent.objects.filter(room=room, pk__gt=since).order_by("pk")
    return [json.loads(row.data) for row in rows]


def counter(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    return soup.select_one('[data-comment-count-for="consultation"]').get_text(strip=True)


def apply_events(html: str, events: list[dict]) -> str:
    """The steps of discussion.js for the events a restore sends (onReplaced, onRestored,
    and the counter they move)."""
    soup = BeautifulSoup(html, "html.parser")
    count = soup.select_one('[data-comment-count-for="consultation"]')
    for event in events:
        if event["type"] not in {"comment.updated", "comment.removed", "comment.restored"}:
            continue
        current = soup.find(id=f"comment-{event['comment']}")
        fresh = BeautifulSoup(event["html"]["de"], "html.parser").find("li")
        if current is None:
            continue
        was = "comment--published" in current["class"]
        current.select_one(".comment__card").replace_with(fresh.select_one(".comment__card"))
        current["class"] = fresh["class"]
        current["data-author"] = fresh.get("data-author", "")
        now = "comment--published" in current["class"]
        if was != now:
            count.string = str(int(count.get_text()) + (1 if now else -1))
    return str(soup)


@pytest.fixture
def hidden(w):
    page = w.town_consultation
    comment = published_comment(page, w.author, body="Ein Beitrag, der zurückkommt")
    published_comment(page, w.citizen, body="Ein anderer Beitrag")
    decision_create(moderator=w.org_mandate, target=comment, **HIDE)
    return w, page, comment


def test_a_restore_publishes_the_rendered_contribution_once(hidden):
    w, page, comment = hidden
    since = last_event_id()
    decision_create(moderator=w.tag_mandate, target=comment, action="restore", facts=RESTORE_FACTS)
    events = [
        event
        for event in events_after(consultation_group(page.pk), since)
        if event["type"].startswith("comment.")
    ]
    assert [event["type"] for event in events] == ["comment.restored"]
    event = events[0]
    assert event["comment"] == comment.pk and event["target"] == "consultation"
    for language in ("de", "en"):
        item = BeautifulSoup(event["html"][language], "html.parser").find("li")
        assert "comment--published" in item["class"]
        assert "Ein Beitrag, der zurückkommt" in item.get_text()


def test_stale_page_plus_the_restore_event_equals_a_fresh_page(hidden):
    w, page, comment = hidden
    reader = Client()
    stale = reader.get(page.url).content.decode()
    assert "Ein Beitrag, der zurückkommt" not in stale
    assert counter(stale) == "1"
    since = last_event_id()
    decision_create(moderator=w.tag_mandate, target=comment, action="restore", facts=RESTORE_FACTS)
    events = events_after(consultation_group(page.pk), since)
    fresh = reader.get(page.url).content.decode()
    assert "Ein Beitrag, der zurückkommt" in fresh
    updated = apply_events(stale, events)
    assert thread_of(updated) == thread_of(fresh)
    assert counter(updated) == counter(fresh) == "2"


def test_the_discussion_script_handles_the_restore_event():
    """discussion.js listens for the event the server sends (it once dropped it)."""
    from pathlib import Path

    from django.conf import settings

    script = Path(settings.BASE_DIR, "frontend/static/allmende/js/discussion.js").read_text()
    assert 'case "comment.restored":' in script
