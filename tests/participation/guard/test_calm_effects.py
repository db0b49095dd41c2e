"""What calm mode does to contributions written through the real views and services, and
the rest of the guard's delivery: notices as surges, concurrent checks, mail language, and
a live banner identical to the page's."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from participation.comments.models import Comment
from participation.comments.services import comment_create
from participation.gate.models import CalmMode
from participation.guard.models import GuardConfig, SurgeAlert
from participation.guard.services import (
    calm_mode_start,
    surge_alert_mail_send,
    surge_check,
    user_language,
)
from participation.live.groups import consultation_group
from participation.moderation.models import Report
from participation.proposals.models import ModerationStatus
from participation.proposals.services import proposal_create
from tests.factories import TEST_PASSWORD, UserFactory
from tests.participation.guard.conftest import events, history, old_user, simulated_clock
from tests.participation.moderation.helpers import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def test_slow_mode_refuses_the_second_contribution_and_keeps_the_text(client, w):
    page = w.town_consultation
    calm_mode_start(consultation=page, started_by=w.superuser, reason="Sehr viele Beiträge.")
    author = old_user()
    client.login(username=author.username, password=TEST_PASSWORD)
    url = reverse("comment_create", args=[page.pk])
    first = client.post(url, {"body": "Mein erster Beitrag zur Sache."})
    assert first.status_code == 302
    with translation.override("en"):
        second = client.post(f"/en{url}", {"body": "Gleich noch ein Beitrag hinterher."})
    assert second.status_code == 429
    assert 240 < int(second["Retry-After"]) <= 300
    text = " ".join(BeautifulSoup(second.content, "html.parser").get_text().split())
    assert "once every 5 minutes" in text
    assert "in 5 minutes" in text
    assert "Gleich noch ein Beitrag hinterher." in second.content.decode()
    assert Comment.objects.filter(author=author).count() == 1


def test_slow_mode_applies_to_proposals_after_a_comment(w):
    page = w.town_consultation
    calm_mode_start(consultation=page, started_by=w.superuser, reason="Sehr viele Beiträge.")
    author = old_user()
    comment_create(author=author, consultation=page, body="Ein Beitrag zur Sache.")
    with pytest.raises(ValidationError):
        proposal_create(
            author=author, consultation=page, title="Ein Vorschlag", body="Mit genug Text dazu."
        )


def test_young_accounts_wait_for_a_moderator_in_calm_mode(w):
    page = w.town_consultation
    calm_mode_start(consultation=page, started_by=w.superuser, reason="Sehr viele Beiträge.")
    newcomer = UserFactory()
    comment = comment_create(author=newcomer, consultation=page, body="Ich bin neu hier.")
    assert comment.status == Comment.Status.PENDING
    other_newcomer = UserFactory()
    proposal = proposal_create(
        author=other_newcomer, consultation=page, title="Neu hier", body="Ein Vorschlag von mir."
    )
    assert proposal.moderation_status == ModerationStatus.PENDING
    regular = comment_create(author=old_user(), consultation=page, body="Ich bin schon lange da.")
    assert regular.status == Comment.Status.PUBLISHED


def test_moderators_are_exempt_so_they_can_answer(w):
    page = w.town_consultation
    calm_mode_start(consultation=page, started_by=w.superuser, reason="Sehr viele Beiträge.")
    moderator = w.org_mandate
    for number in range(3):
        comment = comment_create(
            author=moderator, consultation=page, body=f"Hinweis der Moderation {number}."
        )
        assert comment.status == Comment.Status.PUBLISHED


def test_after_calm_mode_ends_slow_mode_is_gone(w):
    from participation.guard.services import calm_mode_end

    page = w.town_consultation
    calm_mode_start(consultation=page, started_by=w.superuser, reason="Sehr viele Beiträge.")
    author = old_user()
    comment_create(author=author, consultation=page, body="Ein Beitrag zur Sache.")
    calm_mode_end(consultation=page, ended_by=w.tag_mandate, reason="Wieder ruhig.")
    page.__dict__.pop("_guard_calm_mode", None)
    again = comment_create(author=author, consultation=page, body="Und noch einer.")
    assert again.status == Comment.Status.PUBLISHED


def report(page, comment) -> Report:
    return Report.objects.create(
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=comment.pk,
        consultation=page,
        location_url=comment.get_absolute_url(),
        kind="rule",
        clause="2",
        explanation="Das ist beleidigend.",
        reporter=old_user(),
        good_faith=True,
    )


def test_a_flood_of_notices_is_a_surge_of_its_own(w, django_capture_on_commit_callbacks, settings):
    page = w.town_consultation
    GuardConfig.objects.create(consultation=page, auto_calm_mode=True)
    history(page, per_hour=6, hours=72)
    target = Comment.objects.filter(consultation=page).first()
    with simulated_clock() as clock:
        for _number in range(settings.GUARD_MIN_REPORTS):
            clock.advance(seconds=settings.GUARD_CHECK_INTERVAL_SECONDS)
            with django_capture_on_commit_callbacks(execute=True):
                report(page, target)
    (alert,) = SurgeAlert.objects.all()
    assert alert.kind == SurgeAlert.Kind.REPORTS
    assert alert.observed_count == settings.GUARD_MIN_REPORTS
    calm = CalmMode.objects.get(consultation=page)
    assert calm.surge_alert == alert
    with translation.override("en"):
        banner = BeautifulSoup(
            events(room=consultation_group(page.pk), type="guard.calm_mode")[0]["html"]["en"],
            "html.parser",
        )
    assert "Far more notices" in banner.get_text()


def shape(root) -> list[tuple]:
    """Elements, their attributes and text, independent of whitespace and attribute order
    (the page's HTML is minified, the event's is not)."""
    return [
        (element.name, sorted(element.attrs.items()), " ".join(element.get_text().split()))
        for element in root.find_all(True)
    ]


def test_the_live_banner_is_the_banner_a_page_load_shows(client, w):
    page = w.town_consultation
    calm_mode_start(consultation=page, started_by=w.superuser, reason="Sehr viele Beiträge.")
    (event,) = events(room=consultation_group(page.pk), type="guard.calm_mode")
    for language in ("de", "en"):
        with translation.override(language):
            response = client.get(page.url)
        slot = BeautifulSoup(response.content, "html.parser").select_one("[data-calm-banner-for]")
        assert shape(slot) == shape(BeautifulSoup(event["html"][language], "html.parser"))
        assert shape(slot)  # not two empty slots


def test_mail_goes_in_each_moderators_language(w):
    page = w.town_consultation
    UserProfile.get_for_user(w.tag_mandate).preferred_language = "en"
    profile = UserProfile.get_for_user(w.tag_mandate)
    profile.preferred_language = "en"
    profile.save()
    other = UserProfile.get_for_user(w.org_mandate)
    other.preferred_language = "fr"  # not offered: the platform's language
    other.save()
    assert user_language(w.tag_mandate) == "en"
    assert user_language(w.org_mandate) == "de"
    assert user_language(w.platform_mandate) == "de"
    alert = SurgeAlert.objects.create(
        consultation=page,
        kind="contributions",
        at=timezone.now(),
        window_minutes=10,
        observed_count=40,
        observed_rate=240,
        baseline_rate=6,
        ratio=40,
    )
    surge_alert_mail_send(alert=alert, user=w.tag_mandate)
    (message,) = mail.outbox
    assert message.to == [w.tag_mandate.email]
    assert "The shitstorm guard has measured a surge" in message.body
    assert "40 contributions in 10 minutes" in message.body
    assert reverse("guard_calm_mode", args=[page.pk]).replace("/en/", "/") in message.body
    # The mail did not leave the sender's language switched.
    assert translation.get_language() == "de"


def test_only_a_renewed_surge_after_the_cooldown_alerts_again(w, settings):
    page = w.town_consultation
    history(page, per_hour=6, hours=72)
    with simulated_clock() as clock:
        for number in range(settings.GUARD_MIN_EVENTS):
            clock.advance(seconds=20)
            comment_create(author=old_user(), consultation=page, body=f"Beitrag {number} hier.")
        assert len(surge_check(consultation=page)) == 1
        assert surge_check(consultation=page) == []
        clock.advance(minutes=settings.GUARD_ALERT_COOLDOWN_MINUTES + 1)
        for number in range(settings.GUARD_MIN_EVENTS):
            clock.advance(seconds=20)
            comment_create(author=old_user(), consultation=page, body=f"Nachschlag {number}.")
        assert len(surge_check(consultation=page)) == 1
    assert SurgeAlert.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
def test_concurrent_surge_checks_raise_one_alert_and_one_calm_mode(settings):
    w = world()
    page = w.town_consultation
    GuardConfig.objects.create(consultation=page, auto_calm_mode=True)
    history(page, per_hour=6, hours=72)
    for number in range(settings.GUARD_MIN_EVENTS + 5):
        past = timezone.now() - timedelta(minutes=5)
        comment = comment_create(author=old_user(), consultation=page, body=f"Flut {number}.")
        Comment.objects.filter(pk=comment.pk).update(created_at=past)
    barrier = threading.Barrier(4)
    raised, errors = [], []

    def check() -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            raised.append(len(surge_check(consultation=page)))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=check) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(raised) == [0, 0, 0, 1]
    assert SurgeAlert.objects.filter(consultation=page).count() == 1
    assert CalmMode.objects.filter(consultation=page).count() == 1
    assert len(mail.outbox) == 3
