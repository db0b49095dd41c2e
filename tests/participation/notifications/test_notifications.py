"""Follows, the notifications page, marking as read, and the unread count in the header."""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation

from participation.live.models import LiveEvent
from participation.notifications.models import Follow, Notification
from participation.notifications.selectors import follower_ids, unread_count
from participation.notifications.services import follow_create, follow_delete, notify
from participation.proposals.models import Proposal
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def proposal(make_consultation):
    page = make_consultation("open")
    return Proposal.objects.create(
        consultation=page, author=UserFactory(), title="Mehr Bänke", body="Text", body_html="x"
    )


@pytest.fixture
def reader(client):
    user = UserFactory()
    client.force_login(user)
    return user


def feedback_for(*users, url="/beteiligungen/1/vorschlaege/2/") -> list[Notification]:
    return notify(
        recipient_ids=[user.pk for user in users], kind="feedback", text="Mehr Bänke", url=url
    )


def test_follow_is_unique_and_idempotent(proposal):
    user = UserFactory()

    first = follow_create(user=user, target=proposal)
    second = follow_create(user=user, target=proposal)

    assert first.pk == second.pk
    assert Follow.objects.count() == 1
    assert follower_ids(proposal) == {user.pk}
    assert follow_delete(user=user, target=proposal) is True
    assert follow_delete(user=user, target=proposal) is False
    assert follower_ids(proposal) == set()


def test_notify_once_each_skipping_excluded_and_missing(proposal):
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()

    made = notify(
        recipient_ids=[alice.pk, bob.pk, alice.pk, None, carol.pk],
        kind="feedback",
        text="Mehr Bänke",
        url="/x/",
        exclude_ids=[carol.pk],
    )

    assert sorted(n.recipient_id for n in made) == sorted([alice.pk, bob.pk])
    assert Notification.objects.count() == 2
    frames = [(e.room, json.loads(e.data)) for e in LiveEvent.objects.order_by("pk")]
    assert sorted(room for room, _data in frames) == sorted([f"user.{alice.pk}", f"user.{bob.pk}"])
    assert all(data["type"] == "notification" and data["unread"] == 1 for _r, data in frames)


def test_notify_nobody_writes_nothing():
    assert notify(recipient_ids=[], kind="feedback", text="x", url="/") == []
    assert not LiveEvent.objects.exists()


def test_page_lists_own_notifications_newest_first(client, reader):
    [first] = feedback_for(reader, url="/erste/")
    [second] = feedback_for(reader, url="/zweite/")
    feedback_for(UserFactory(), url="/fremde/")

    response = client.get(en("notification_list"))

    links = [a["href"] for a in soup_of(response).select(".notification-list a")]
    assert links == [en("notification_open", second.pk), en("notification_open", first.pk)]
    assert client.get(links[0])["Location"] == "/zweite/"
    assert "Official feedback on the proposal “Mehr Bänke”" in response.content.decode()


def test_header_shows_the_unread_count(client, reader):
    feedback_for(reader)
    feedback_for(reader)

    soup = soup_of(client.get(en("notification_list")))

    assert soup.select_one("[data-unread-number]").get_text() == "2"
    assert not soup.select_one("[data-unread-count]").has_attr("hidden")


def test_header_has_no_notifications_link_for_anonymous_people(client):
    soup = soup_of(client.get(reverse("consultation_list")))

    assert soup.select_one("[data-notification-link]") is None


def test_mark_one_as_read(client, reader):
    [first] = feedback_for(reader)
    [second] = feedback_for(reader)

    response = client.post(en("notification_read", first.pk))

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    assert unread_count(reader) == 1


def test_opening_a_notification_marks_it_read_and_goes_where_it_points(client, reader):
    [first] = feedback_for(reader, url="/beteiligungen/1/vorschlaege/2/")
    [second] = feedback_for(reader)
    listed = soup_of(client.get(en("notification_list")))
    link = listed.select_one(f"#notification-{first.pk} a")["href"]

    response = client.get(link)

    assert response.status_code == 302
    assert response["Location"] == "/beteiligungen/1/vorschlaege/2/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    listed = soup_of(client.get(en("notification_list")))
    assert not listed.select(f"#notification-{first.pk}.notification--unread")


@pytest.mark.parametrize("url", ["https://elsewhere.example/", "//elsewhere.example/", ""])
def test_a_notification_never_sends_anyone_to_another_site(client, reader, url):
    [notification] = feedback_for(reader, url=url)

    response = client.get(en("notification_open", notification.pk))

    assert response.status_code == 302
    assert response["Location"] == en("notification_list")


def test_others_cannot_open_a_notification(client, reader):
    [theirs] = feedback_for(UserFactory())

    assert client.get(en("notification_open", theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_as_read_leaves_other_people_alone(client, reader):
    feedback_for(reader)
    feedback_for(reader)
    other = UserFactory()
    feedback_for(other)

    client.post(en("notifications_read_all"))

    assert unread_count(reader) == 0
    assert unread_count(other) == 1
    soup = soup_of(client.get(en("notification_list")))
    assert soup.select_one("[data-unread-count]").has_attr("hidden")
    assert not soup.select(".notification--unread")


def test_other_peoples_notifications_are_404(client, reader):
    [theirs] = feedback_for(UserFactory())

    assert client.post(en("notification_read", theirs.pk)).status_code == 404
    assert client.post(en("notification_read", 999999)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("name", ["notification_read", "notifications_read_all"])
def test_get_on_post_endpoints_is_405(client, reader, name):
    args = [1] if name == "notification_read" else []

    assert client.get(en(name, *args)).status_code == 405


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(en("notification_list"))

    assert response.status_code == 302
    assert "next=" in response["Location"]
