"""Live updates of a proposal: its author's changes and withdrawal, and official feedback.

Readers see them appear; catch-up never replays a text that was changed or is waiting for a
moderator; and a stale page plus the frames a reconnecting reader is sent equals a fresh
page load (Zulip's verify_action), for the proposal page, the list and the consultation
page. `apply_events` does what frontend/static/allmende/js/proposals.js does."""

import json
from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from participation.live.events import events_since, last_event_id
from participation.live.groups import consultation_group
from participation.moderation.services import decision_create
from participation.proposals.models import Proposal
from participation.proposals.services import (
    proposal_answer,
    proposal_create,
    proposal_edit,
    proposal_support,
    proposal_withdraw,
)
from tests.factories import UserFactory
from tests.participation.moderation.helpers import premoderate, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(make_consultation):
    return make_consultation("open")


@pytest.fixture
def speaker(make_person):
    return make_person("speaker")


@pytest.fixture
def author(db):
    return UserFactory(display_name="Anton Acker")


def submit(page, author, title="Vertraulich-1234 Bänke"):
    return proposal_create(
        author=author, consultation=page, title=title, body="Am Markt fehlen Bänke, sagt 1234."
    )


def change(proposal, title="Zweite Fassung", body="Am Markt und am **Bahnhof** fehlen Bänke."):
    return proposal_edit(
        proposal=Proposal.objects.get(pk=proposal.pk),
        title=title,
        body=body,
        tags=["Bänke"],
        location="Markt",
    )


def caught_up(page, since: int = 0) -> list[dict]:
    """What a reader of the consultation is sent on reconnecting after `since`."""
    frames = events_since([consultation_group(page.pk)], since).frames
    return [json.loads(text) for _pk, text in frames]


# --- the events -----------------------------------------------------------------------------


def test_an_edit_tells_readers_the_new_title_and_text(page, author):
    proposal = submit(page, author)
    since = last_event_id()

    change(proposal)

    [event] = caught_up(page, since)
    assert event["type"] == "proposal.updated"
    assert event["proposal"] == proposal.pk
    assert event["title"] == "Zweite Fassung"
    assert "<strong>Bahnhof</strong>" in event["content"]["de"]
    assert "Von der Autorin oder dem Autor geändert" in event["content"]["de"]
    assert "Changed by its author" in event["content"]["en"]


def test_catch_up_after_an_edit_never_replays_the_old_text(page, author):
    proposal = submit(page, author)

    change(proposal)

    events = caught_up(page)
    assert [e["type"] for e in events] == ["proposal.created", "proposal.updated"]
    assert events[0]["title"] == "Zweite Fassung"  # its place stays, with the text as it is
    assert not [e for e in events if "1234" in json.dumps(e, ensure_ascii=False)]


def test_a_held_edit_leaves_readers_neither_version():
    w = world()
    page = w.town_consultation
    proposal = submit(page, w.author)
    premoderate(w, page)

    change(proposal, title="Wartender Titel")

    events = caught_up(page)
    text = json.dumps(events, ensure_ascii=False)
    assert "1234" not in text
    assert "Wartender" not in text
    assert ("proposal.moderated", False) in [(e["type"], e.get("visible")) for e in events]
    # The moderator approves: readers get the approved text, and only that.
    decision_create(
        moderator=w.org_mandate,
        target=Proposal.objects.get(pk=proposal.pk),
        action="approve",
        facts="In Ordnung.",
    )
    approved = caught_up(page)
    assert approved[-1]["type"] == "proposal.created"
    assert approved[-1]["title"] == "Wartender Titel"
    assert "1234" not in json.dumps(approved, ensure_ascii=False)


def test_official_feedback_reaches_readers_rendered(page, author, speaker):
    proposal = submit(page, author)
    since = last_event_id()

    feedback = proposal_answer(
        author=speaker, proposal=proposal, status="accepted", text="Wir stellen **zwei** auf."
    )

    [event] = caught_up(page, since)
    assert event["type"] == "proposal.answered"
    assert event["feedback"] == feedback.pk
    assert event["status_labels"] == {"de": "Angenommen", "en": "Accepted"}
    item = BeautifulSoup(event["html"]["de"], "html.parser").find("li")
    assert item["id"] == f"feedback-{feedback.pk}"
    assert "Stadt Musterstadt" in item.select_one(".badge--official").get_text()
    assert item.select_one(".badge--status").get_text() == "Angenommen"
    assert item.select_one(".prose strong").get_text() == "zwei"
    assert datetime.fromisoformat(item.select_one("time")["datetime"]) == feedback.created_at


def test_feedback_on_a_proposal_that_waits_is_not_sent_to_readers(make_consultation, speaker):
    page = make_consultation("open", moderation_mode="pre")
    proposal = submit(page, UserFactory())
    since = last_event_id()

    proposal_answer(author=speaker, proposal=proposal, status="rejected", text="Nicht möglich.")

    assert caught_up(page, since) == []


def test_withdrawing_tells_readers(page, author):
    proposal = submit(page, author)
    since = last_event_id()

    proposal_withdraw(proposal=proposal)

    [event] = caught_up(page, since)
    assert event["type"] == "proposal.withdrawn"
    assert event["status"] == "withdrawn"
    assert event["status_labels"]["de"] == "Zurückgezogen"


# --- a stale page plus catch-up equals a fresh page ---------------------------------------


def _fragment(html: dict) -> BeautifulSoup:
    return BeautifulSoup(html["de"], "html.parser").find(True)


def apply_events(html: str, events: list[dict]) -> str:
    """The steps of proposals.js, applied to HTML."""
    soup = BeautifulSoup(html, "html.parser")
    container = soup.select_one("[data-proposals-live]")
    for event in events:
        pk = event.get("proposal")
        detail = soup.select_one(f'[data-proposal-content-for="{pk}"]') is not None
        if event["type"] in {"proposal.answered", "proposal.withdrawn"}:
            for badge in soup.select(f'[data-proposal-status-for="{pk}"]'):
                badge.string = event["status_labels"]["de"]
                badge["class"] = ["badge", "badge--status", f"badge--{event['status']}"]
            if detail:
                for actions in soup.select("[data-proposal-own-actions]"):
                    actions.decompose()
        if event["type"] == "proposal.supports":
            label = container[
                "data-label-supports-one" if event["count"] == 1 else "data-label-supports-many"
            ]
            for count in soup.select(f'[data-support-count-for="{pk}"]'):
                count.string = label.replace("__count__", str(event["count"]))
        elif event["type"] == "proposal.answered":
            listing = soup.select_one(f'[data-feedback-list-for="{pk}"]')
            if listing is None or soup.find(id=f"feedback-{event['feedback']}"):
                continue
            listing.append(_fragment(event["html"]))
            del listing["hidden"]
            for none in soup.select("[data-feedback-none]"):
                none.decompose()
        elif event["type"] == "proposal.updated":
            for title in soup.select(f'[data-proposal-title-for="{pk}"]'):
                title.string = event["title"]
            content = soup.select_one(f'[data-proposal-content-for="{pk}"]')
            if content is not None:
                content.replace_with(_fragment(event["content"]))
        elif event["type"] == "proposal.withdrawn":
            card = soup.select_one(f"li.proposal-card#proposal-{pk}")
            if card is not None:
                card.decompose()
            count = soup.select_one("[data-proposal-count]")
            if count is not None:  # counted whether or not it was among the cards shown
                count.string = str(int(count.get_text()) - 1)
            if not detail:
                continue
            text = container["data-label-withdrawn"]
            header = soup.select_one(".proposal__header")
            if not header.select_one("[data-proposal-withdrawn-notice]"):
                notice = soup.new_tag("p", attrs={"class": "notice"})
                notice["data-proposal-withdrawn-notice"] = ""
                notice.string = text
                header.append(notice)
            support = soup.select_one("#support")
            if support.select_one("[data-withdrawn-note]"):
                continue
            for child in support.find_all(True, recursive=False):
                if "support__count" not in (child.get("class") or []):
                    child.decompose()
            note = soup.new_tag("p", attrs={"class": "muted"})
            note["data-withdrawn-note"] = ""
            note.string = text
            support.append(note)
    return str(soup)


def _text(element) -> str | None:
    return " ".join(element.get_text(" ", strip=True).split()) if element else None


def what_a_reader_sees(html: str) -> dict:
    """Of the proposal page: everything the events may change."""
    soup = BeautifulSoup(html, "html.parser")
    feedback = soup.select_one("[data-feedback-list-for]")
    return {
        "title": _text(soup.select_one("[data-proposal-title-for]")),
        "content": _text(soup.select_one("[data-proposal-content-for]")),
        "badges": [
            (_text(badge), sorted(badge["class"]))
            for badge in soup.select("[data-proposal-status-for]")
        ],
        "support": _text(soup.select_one("#support")),
        "withdrawn": _text(soup.select_one("[data-proposal-withdrawn-notice]")),
        "feedback": [(item["id"], _text(item)) for item in feedback.select("li.feedback-item")],
        "feedback_shown": not feedback.has_attr("hidden"),
        "no_feedback_yet": _text(soup.select_one("[data-feedback-none]")),
        "own_actions": _text(soup.select_one("[data-proposal-own-actions]")),
    }


def cards(html: str) -> dict:
    """Of a list or the consultation page: which proposals, titled how, with which status."""
    soup = BeautifulSoup(html, "html.parser")
    count = soup.select_one("[data-proposal-count]")
    return {
        "cards": [
            (
                card["id"],
                _text(card.select_one("[data-proposal-title-for]")),
                _text(card.select_one("[data-proposal-status-for]")),
            )
            for card in soup.select("li.proposal-card")
        ],
        "count": _text(count),
    }


def test_stale_proposal_page_plus_catch_up_equals_a_fresh_page(page, author, speaker):
    proposal = submit(page, author)
    reader = Client()
    url = proposal.get_absolute_url()
    stale = reader.get(url).content.decode()
    since = last_event_id()

    change(proposal)
    proposal_support(user=UserFactory(), proposal=proposal)
    proposal_answer(author=speaker, proposal=proposal, status="under_review", text="Wir prüfen.")
    proposal_answer(author=speaker, proposal=proposal, status="accepted", text="Wird **gemacht**.")

    events = caught_up(page, since)
    fresh = reader.get(url).content.decode()
    assert [e["type"] for e in events] == [
        "proposal.updated",
        "proposal.supports",
        "proposal.answered",
        "proposal.answered",
    ]
    assert what_a_reader_sees(apply_events(stale, events)) == what_a_reader_sees(fresh)
    seen = what_a_reader_sees(fresh)
    assert seen["title"] == "Zweite Fassung"
    assert len(seen["feedback"]) == 2
    assert seen["badges"][0][0] == "Angenommen"
    # Replaying the same frames again (a second reconnect) changes nothing.
    twice = apply_events(apply_events(stale, events), events)
    assert what_a_reader_sees(twice) == what_a_reader_sees(fresh)


def test_the_authors_stale_page_loses_the_buttons_the_rules_no_longer_allow(page, author, speaker):
    proposal = submit(page, author)
    own = Client()
    own.force_login(author)
    url = proposal.get_absolute_url()
    stale = own.get(url).content.decode()
    assert what_a_reader_sees(stale)["own_actions"] == "Vorschlag bearbeiten Vorschlag zurückziehen"
    since = last_event_id()

    proposal_answer(author=speaker, proposal=proposal, status="accepted", text="Gern.")

    fresh = own.get(url).content.decode()
    after = what_a_reader_sees(apply_events(stale, caught_up(page, since)))
    assert after == what_a_reader_sees(fresh)
    assert after["own_actions"] is None


def test_stale_pages_plus_catch_up_equal_fresh_pages_after_a_withdrawal(page, author):
    kept = submit(page, UserFactory(), title="Bleibt stehen")
    proposal = submit(page, author)
    proposal_support(user=UserFactory(), proposal=proposal)
    reader = Client()
    urls = {
        "detail": proposal.get_absolute_url(),
        "list": reverse("proposal_list", args=[page.pk]),
        "consultation": page.url,
    }
    stale = {name: reader.get(url).content.decode() for name, url in urls.items()}
    since = last_event_id()

    change_title = Proposal.objects.get(pk=kept.pk)
    change(change_title, title="Bleibt, geändert")
    proposal_withdraw(proposal=proposal)

    events = caught_up(page, since)
    fresh = {name: reader.get(url).content.decode() for name, url in urls.items()}
    assert what_a_reader_sees(apply_events(stale["detail"], events)) == what_a_reader_sees(
        fresh["detail"]
    )
    assert what_a_reader_sees(fresh["detail"])["badges"][0][0] == "Zurückgezogen"
    for name in ("list", "consultation"):
        assert cards(apply_events(stale[name], events)) == cards(fresh[name]), name
    assert cards(fresh["consultation"]) == {
        "cards": [(f"proposal-{kept.pk}", "Bleibt, geändert", "Eingereicht")],
        "count": "1",
    }


def test_the_count_follows_a_withdrawal_outside_the_top_proposals(page, author):
    for number in range(3):
        top = submit(page, UserFactory(), title=f"Oben {number}")
        proposal_support(user=UserFactory(), proposal=top)
    proposal = submit(page, author, title="Weiter unten")
    reader = Client()
    stale = reader.get(page.url).content.decode()
    assert cards(stale)["count"] == "4"
    assert f"proposal-{proposal.pk}" not in [card[0] for card in cards(stale)["cards"]]
    since = last_event_id()

    proposal_withdraw(proposal=proposal)

    fresh = reader.get(page.url).content.decode()
    assert cards(apply_events(stale, caught_up(page, since))) == cards(fresh)
    assert cards(fresh)["count"] == "3"


def test_a_withdrawal_replayed_twice_changes_the_page_once(page, author):
    proposal = submit(page, author)
    reader = Client()
    url = proposal.get_absolute_url()
    stale = reader.get(url).content.decode()
    since = last_event_id()

    proposal_withdraw(proposal=proposal)

    events = caught_up(page, since)
    fresh = what_a_reader_sees(reader.get(url).content.decode())
    assert what_a_reader_sees(apply_events(apply_events(stale, events), events)) == fresh
