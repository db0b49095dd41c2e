"""People, consultations and contributions with a history for the guard's tests."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Page

from participation.comments.models import Comment
from participation.contributions.markup import render_markdown
from participation.gate.models import CalmMode
from participation.live.models import LiveEvent
from tests.factories import UserFactory, consultation


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Debounce keys and rate-limit counters live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page(organisation_area):
    _org, index = organisation_area
    return consultation(index, title="Radwege am Ring", tags=("verkehr",))


def old_user(days: int = 365, **kwargs):
    user = UserFactory(**kwargs)
    type(user).objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days))
    user.refresh_from_db()
    return user


def past_comment(page, author, *, ago: timedelta, body: str = "Ein früherer Beitrag.") -> Comment:
    """A comment written `ago` before now (created_at is auto_now_add: set afterwards)."""
    comment = Comment.objects.create(
        consultation=page, author=author, body=body, body_html=render_markdown(body)
    )
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - ago)
    comment.refresh_from_db()
    return comment


def history(page, *, per_hour: float, hours: float, until: datetime | None = None) -> int:
    """Contributions at a steady rate over the `hours` before `until` (now), from a few
    long-standing participants; the consultation public since before them."""
    until = until or timezone.now()
    count = int(per_hour * hours)
    authors = [old_user() for _ in range(5)]
    step = timedelta(hours=hours) / max(count, 1)
    body = "Ein Beitrag aus der ruhigen Zeit."
    comments = Comment.objects.bulk_create(
        Comment(
            consultation=page,
            author=authors[number % len(authors)],
            body=body,
            body_html=render_markdown(body),
        )
        for number in range(count)
    )
    for number, comment in enumerate(comments):
        comment.created_at = until - (number + 1) * step
    Comment.objects.bulk_update(comments, ["created_at"])
    Page.objects.filter(pk=page.pk).update(first_published_at=until - timedelta(days=30))
    page.first_published_at = until - timedelta(days=30)
    return count


class Clock:
    """timezone.now for a test that lets minutes pass: contributions get their created_at
    from it, the guard measures with it."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)

    def align(self, seconds: int) -> None:
        """Move to the next multiple of `seconds` (the start of a debounce interval)."""
        stamp = self.now.timestamp()
        self.now += timedelta(seconds=seconds - stamp % seconds)


@contextmanager
def simulated_clock():
    clock = Clock()
    with mock.patch("django.utils.timezone.now", clock):
        yield clock


def open_calm_mode(page, *, slow_mode_minutes: int = 5, young_account_days: int = 7, by=None):
    return CalmMode.objects.create(
        consultation=page,
        started_at=timezone.now(),
        started_by=by,
        reason="Test",
        slow_mode_minutes=slow_mode_minutes,
        young_account_days=young_account_days,
    )


def events(room: str | None = None, type: str | None = None) -> list[dict]:
    rows = LiveEvent.objects.order_by("pk")
    if room is not None:
        rows = rows.filter(room=room)
    if type is not None:
        rows = rows.filter(type=type)
    return [json.loads(row.data) for row in rows]
