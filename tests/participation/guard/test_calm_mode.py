"""Calm mode by hand: moderators start and end it with a reason; readers see the banner;
the audit log and the live channel are told; starting is idempotent."""

from __future__ import annotations

import threading

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.urls import reverse
from django.utils import translation

from cooperative.audit.models import AuditEvent
from participation.gate.models import CalmMode
from participation.guard.models import GuardConfig
from participation.guard.services import calm_mode_end, calm_mode_start
from participation.live.groups import consultation_group
from tests.factories import TEST_PASSWORD, log_in_with_second_factor
from tests.participation.guard.conftest import events
from tests.participation.moderation.helpers import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_a_moderator_starts_and_ends_calm_mode_with_reasons(client, w):
    page = w.town_consultation
    moderator = w.tag_mandate
    log_in_with_second_factor(client, moderator)
    url = reverse("guard_calm_mode", args=[page.pk])

    response = client.post(url, {"action": "start", "reason": "Ein Aufruf in sozialen Medien."})
    assert response.status_code == 302
    calm = CalmMode.objects.get(consultation=page)
    assert calm.started_by == moderator and calm.reason == "Ein Aufruf in sozialen Medien."

    reader = client.get(page.url)
    banner = soup_of(reader).select_one("[data-calm-banner-for] section.calm-banner")
    assert banner is not None
    heading = banner.select_one("h2")
    assert banner["aria-labelledby"] == heading["id"]
    assert "Ein Aufruf in sozialen Medien." in banner.get_text()

    response = client.post(url, {"action": "end", "reason": "Es ist wieder ruhig geworden."})
    assert response.status_code == 302
    calm.refresh_from_db()
    assert calm.ended_by == moderator
    assert calm.end_reason == "Es ist wieder ruhig geworden."
    assert calm.ended_at is not None
    assert soup_of(client.get(page.url)).select_one("section.calm-banner") is None

    history = soup_of(client.get(url)).select(".calm-history li")
    assert len(history) == 1
    assert "Es ist wieder ruhig geworden." in history[0].get_text()

    kinds = list(AuditEvent.objects.order_by("seq").values_list("kind", flat=True))
    assert kinds[-2:] == ["calm_mode.started", "calm_mode.ended"]
    started = AuditEvent.objects.get(kind="calm_mode.started")
    assert started.public["automatic"] is False
    assert started.public["consultation"] == page.pk
    assert started.private["started_by"] == moderator.pk
    assert started.private["reason"] == "Ein Aufruf in sozialen Medien."
    # The public audit log names no member and carries no moderator's free text.
    assert set(started.public) == {
        "consultation",
        "automatic",
        "slow_mode_minutes",
        "young_account_days",
        "surge_alert",
    }

    live = events(room=consultation_group(page.pk), type="guard.calm_mode")
    assert [event["active"] for event in live] == [True, False]
    assert live[1]["html"] == {"de": "", "en": ""}


def test_the_reason_is_required(client, w):
    page = w.town_consultation
    log_in_with_second_factor(client, w.superuser)
    response = client.post(reverse("guard_calm_mode", args=[page.pk]), {"action": "start"})
    assert response.status_code == 422
    errors = soup_of(response).select("#id_reason_errors li")
    assert errors
    assert not CalmMode.objects.exists()


def test_the_banner_tells_readers_what_calm_mode_means(client, w):
    page = w.town_consultation
    GuardConfig.objects.create(consultation=page, slow_mode_minutes=10, young_account_days=3)
    calm_mode_start(consultation=page, started_by=w.superuser, reason="Sehr viele Beiträge.")
    client.login(username=w.citizen.username, password=TEST_PASSWORD)
    with translation.override("en"):
        response = client.get(page.url)
    banner = soup_of(response).select_one("section.calm-banner")
    text = " ".join(banner.get_text().split())
    assert "Calm mode is on" in text
    assert "every 10 minutes" in text
    assert "younger than 3 days" in text
    # The comment form says it too.
    note = soup_of(response).select_one("#comment-form [data-calm-note]")
    assert note is not None and not note.has_attr("hidden")
    assert "every 10 minutes" in note.get_text()


def test_without_calm_mode_no_banner_but_a_slot_for_the_live_one(client, w):
    page = w.town_consultation
    soup = soup_of(client.get(page.url))
    slot = soup.select_one(f"[data-calm-banner-for='{page.pk}']")
    assert slot is not None and slot.get_text(strip=True) == ""
    assert soup.select_one("section.calm-banner") is None


def test_an_automatic_start_explains_the_surge(client, w):
    from django.utils import timezone

    from participation.guard.models import SurgeAlert

    page = w.town_consultation
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
    calm_mode_start(consultation=page, started_by=None, reason="automatisch", surge_alert=alert)
    with translation.override("en"):
        banner = soup_of(client.get(page.url)).select_one("section.calm-banner")
    assert "Far more contributions than usual" in banner.get_text()
    assert "until a moderator ends it" in banner.get_text()


def test_starting_twice_keeps_one_calm_mode(w):
    page = w.town_consultation
    first, created = calm_mode_start(consultation=page, started_by=w.superuser, reason="Erster")
    again, created_again = calm_mode_start(consultation=page, started_by=None, reason="Zweiter")
    assert created and not created_again
    assert again == first
    assert CalmMode.objects.filter(consultation=page).count() == 1
    assert AuditEvent.objects.filter(kind="calm_mode.started").count() == 1


def test_ending_when_off_does_nothing(w):
    assert calm_mode_end(consultation=w.town_consultation, ended_by=w.superuser, reason="x") is None
    assert not AuditEvent.objects.filter(kind="calm_mode.ended").exists()


def test_after_ending_calm_mode_can_start_again(w):
    page = w.town_consultation
    calm_mode_start(consultation=page, started_by=w.superuser, reason="Erstes Mal")
    calm_mode_end(consultation=page, ended_by=w.superuser, reason="Ruhig")
    _second, created = calm_mode_start(consultation=page, started_by=w.superuser, reason="Zweites")
    assert created
    assert CalmMode.objects.filter(consultation=page).count() == 2


def test_the_database_refuses_a_second_open_calm_mode(w):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    page = w.town_consultation
    calm_mode_start(consultation=page, started_by=w.superuser, reason="Erstes Mal")
    with pytest.raises(IntegrityError), transaction.atomic():
        CalmMode.objects.create(
            consultation=page,
            started_at=timezone.now(),
            reason="daneben",
            slow_mode_minutes=5,
            young_account_days=7,
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
def test_concurrent_starts_open_one_calm_mode():
    w = world()
    page = w.town_consultation
    barrier = threading.Barrier(4)
    results, errors = [], []

    def start(number: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(
                calm_mode_start(consultation=page, started_by=None, reason=f"Thread {number}")[1]
            )
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=start, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [False, False, False, True]
    assert CalmMode.objects.filter(consultation=page, ended_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(kind="calm_mode.started").count() == 1
