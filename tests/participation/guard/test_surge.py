"""Surge detection: a simulated surge at 20 times the baseline rate, posted through the
real services, alerts the moderators and switches calm mode on within the window; normal
traffic (steady, slowly rising, a quiet consultation's first posts) does not."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import Page

from participation.comments.models import Comment
from participation.comments.services import comment_create
from participation.contributions.markup import render_markdown
from participation.gate.models import CalmMode
from participation.guard.models import GuardConfig, SurgeAlert
from participation.guard.services import activity_measure, surge_check
from participation.live.groups import consultation_group, user_group
from participation.notifications.models import Notification
from participation.proposals.services import proposal_create
from tests.participation.guard.conftest import events, old_user, simulated_clock
from tests.participation.moderation.helpers import world

pytestmark = pytest.mark.django_db

BASELINE_PER_HOUR = 6


def history(page, *, per_hour: float, hours: float) -> int:
    """Contributions at a steady rate over the `hours` before now, from a few long-standing
    participants; the consultation public since before them. As the guard conftest's
    `history`, but each row is inserted with its own created_at in one go: thousands of
    rows written and then moved back one by one took most of these tests' time. (Only the
    quiet past is written directly; the traffic under test goes through the services.)"""
    until = timezone.now()
    count = int(per_hour * hours)
    authors = [old_user() for _ in range(5)]
    step = timedelta(hours=hours) / max(count, 1)
    body = "Ein Beitrag aus der ruhigen Zeit."
    body_html = render_markdown(body)
    # created_at is auto_now_add: let it take the given value instead of now.
    with mock.patch.object(Comment._meta.get_field("created_at"), "auto_now_add", False):
        Comment.objects.bulk_create(
            Comment(
                consultation=page,
                author=authors[number % len(authors)],
                body=body,
                body_html=body_html,
                created_at=until - (number + 1) * step,
            )
            for number in range(count)
        )
    Page.objects.filter(pk=page.pk).update(first_published_at=until - timedelta(days=30))
    page.first_published_at = until - timedelta(days=30)
    return count


def post(page, author, number: int):
    return comment_create(
        author=author, consultation=page, body=f"Beitrag Nummer {number} zur Sache."
    )


def traffic(page, clock, capture, *, count: int, every: timedelta, make_author=old_user):
    """`count` contributions, one per `every`, each by someone new, each committed (so the
    guard's check runs as in production, after commit)."""
    for number in range(count):
        clock.advance(seconds=every.total_seconds())
        with capture(execute=True):
            post(page, make_author(), number)


@pytest.fixture
def w():
    return world()


def test_surge_at_twenty_times_the_baseline_alerts_and_starts_calm_mode(
    w, django_capture_on_commit_callbacks, settings
):
    page = w.town_consultation
    GuardConfig.objects.create(consultation=page, auto_calm_mode=True)
    history(page, per_hour=BASELINE_PER_HOUR, hours=72)
    with simulated_clock() as clock:
        start = clock.now
        # 20 x 6 per hour = 2 per minute.
        for number in range(20):
            clock.advance(seconds=30)
            with django_capture_on_commit_callbacks(execute=True):
                post(page, old_user(), number)
            if SurgeAlert.objects.exists():
                break
        alert = SurgeAlert.objects.get()
    assert alert.kind == SurgeAlert.Kind.CONTRIBUTIONS
    # Within the configured window of the surge's start, on the minimum count.
    assert alert.at - start <= timedelta(minutes=settings.GUARD_WINDOW_MINUTES)
    assert alert.observed_count == settings.GUARD_MIN_EVENTS
    assert alert.baseline_rate == pytest.approx(BASELINE_PER_HOUR, rel=0.05)
    assert alert.ratio >= settings.GUARD_SURGE_FACTOR

    calm = CalmMode.objects.get(consultation=page, ended_at__isnull=True)
    assert calm.is_automatic
    assert calm.surge_alert == alert
    assert calm.slow_mode_minutes == settings.GUARD_SLOW_MODE_MINUTES

    responsible = {w.org_mandate, w.tag_mandate, w.platform_mandate}
    assert set(alert.notified_moderators.all()) == responsible
    for moderator in responsible:
        (surge,) = events(room=user_group(moderator.pk), type="moderation.surge")
        assert surge["consultation"] == page.pk
        assert surge["observed_count"] == alert.observed_count
    assert set(
        Notification.objects.filter(kind="moderation_surge").values_list("recipient", flat=True)
    ) == {moderator.pk for moderator in responsible}
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        moderator.email for moderator in responsible
    )
    assert all(page.title in message.subject for message in mail.outbox)
    (banner,) = events(room=consultation_group(page.pk), type="guard.calm_mode")
    assert banner["active"] is True
    assert "calm-banner" in banner["html"]["de"]
    assert "Calm mode is on" in banner["html"]["en"]


def test_a_surge_on_a_consultation_without_auto_calm_mode_only_alerts(
    w, django_capture_on_commit_callbacks
):
    page = w.town_consultation
    history(page, per_hour=BASELINE_PER_HOUR, hours=72)
    with simulated_clock() as clock:
        traffic(
            page, clock, django_capture_on_commit_callbacks, count=20, every=timedelta(seconds=30)
        )
    assert SurgeAlert.objects.count() == 1  # one alert per cooldown, not one per post
    assert not CalmMode.objects.exists()
    assert len(mail.outbox) == 3


def test_proposals_count_as_contributions(w, django_capture_on_commit_callbacks, settings):
    page = w.town_consultation
    history(page, per_hour=BASELINE_PER_HOUR, hours=72)
    with simulated_clock() as clock:
        for number in range(settings.GUARD_MIN_EVENTS):
            clock.advance(seconds=settings.GUARD_CHECK_INTERVAL_SECONDS)
            with django_capture_on_commit_callbacks(execute=True):
                proposal_create(
                    author=old_user(),
                    consultation=page,
                    title=f"Vorschlag {number}",
                    body="Ein Vorschlag mit genug Text.",
                )
    assert SurgeAlert.objects.filter(kind="contributions").count() == 1


def test_steady_busy_traffic_at_the_baseline_rate_is_no_surge(
    page, django_capture_on_commit_callbacks, settings
):
    # Busy: 120 an hour is far above the minimum count in every window, but it is usual.
    history(page, per_hour=120, hours=72)
    with simulated_clock() as clock:
        traffic(
            page, clock, django_capture_on_commit_callbacks, count=60, every=timedelta(seconds=30)
        )
        measured = activity_measure(consultation=page, kind="contributions")
        assert surge_check(consultation=page) == []
    assert measured.observed_count >= settings.GUARD_MIN_EVENTS
    assert measured.ratio == pytest.approx(1, rel=0.1)
    assert not SurgeAlert.objects.exists()
    assert not CalmMode.objects.exists()
    assert mail.outbox == []


def test_a_slow_increase_is_no_surge(page, django_capture_on_commit_callbacks):
    # From 30 an hour to 90 an hour over three hours: tripled, but gradually.
    history(page, per_hour=30, hours=72)
    with simulated_clock() as clock:
        for per_hour in (30, 45, 60, 75, 90):
            every = timedelta(hours=1) / per_hour
            traffic(
                page,
                clock,
                django_capture_on_commit_callbacks,
                count=per_hour * 36 // 60,
                every=every,
            )
            assert surge_check(consultation=page) == []
    assert not SurgeAlert.objects.exists()


def test_a_quiet_consultations_first_ten_posts_are_no_surge(
    page, django_capture_on_commit_callbacks
):
    with simulated_clock() as clock:
        traffic(
            page, clock, django_capture_on_commit_callbacks, count=10, every=timedelta(seconds=20)
        )
        measured = activity_measure(consultation=page, kind="contributions")
        assert surge_check(consultation=page) == []
    assert measured.observed_count == 10
    assert not SurgeAlert.objects.exists()


def test_a_launch_is_measured_against_the_floor(page, django_capture_on_commit_callbacks, settings):
    # A new consultation has no history; its first burst counts against the floor rate, and
    # only a burst above the minimum count is a surge.
    with simulated_clock() as clock:
        traffic(
            page,
            clock,
            django_capture_on_commit_callbacks,
            count=settings.GUARD_MIN_EVENTS,
            every=timedelta(seconds=settings.GUARD_CHECK_INTERVAL_SECONDS),
        )
        measured = activity_measure(consultation=page, kind="contributions")
    assert measured.baseline_rate == settings.GUARD_BASELINE_FLOOR_PER_HOUR
    assert SurgeAlert.objects.count() == 1


def test_checks_are_debounced_per_consultation(page, django_capture_on_commit_callbacks, settings):
    from unittest import mock

    from participation.guard import services

    with (
        simulated_clock() as clock,
        mock.patch.object(services, "surge_check", wraps=services.surge_check) as check,
    ):
        # Ten posts in 10 seconds: one check; after the interval, the next post checks again.
        clock.align(settings.GUARD_CHECK_INTERVAL_SECONDS)
        traffic(
            page, clock, django_capture_on_commit_callbacks, count=10, every=timedelta(seconds=1)
        )
        assert check.call_count == 1
        clock.advance(seconds=settings.GUARD_CHECK_INTERVAL_SECONDS)
        traffic(
            page, clock, django_capture_on_commit_callbacks, count=1, every=timedelta(seconds=1)
        )
        assert check.call_count == 2


def test_a_consultations_own_thresholds_override_the_defaults(page, settings):
    GuardConfig.objects.create(consultation=page, surge_factor=2, min_events=4)
    history(page, per_hour=BASELINE_PER_HOUR, hours=72)
    from participation.guard.services import surge_check

    with simulated_clock() as clock:
        for number in range(4):
            clock.advance(seconds=60)
            post(page, old_user(), number)
        (alert,) = surge_check(consultation=page)
    assert alert.observed_count == 4
    assert not CalmMode.objects.exists()
