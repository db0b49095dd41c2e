"""People, consultations and contributions with a history for the guard's tests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from participation.comments.markup import render_markdown
from participation.comments.models import Comment
from participation.guard.models import CalmMode
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


def open_calm_mode(page, *, slow_mode_minutes: int = 5, young_account_days: int = 7, by=None):
    return CalmMode.objects.create(
        consultation=page,
        started_at=timezone.now(),
        started_by=by,
        reason="Test",
        slow_mode_minutes=slow_mode_minutes,
        young_account_days=young_account_days,
    )
