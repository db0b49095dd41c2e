from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import Model

from participation.notifications.models import Follow, Notification

PAGE_SIZE = 30


def follower_ids(target: Model) -> set[int]:
    return set(
        Follow.objects.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk
        ).values_list("user_id", flat=True)
    )


def is_following(user, target: Model) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(
        user=user, target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).exists()


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_page(user, *, page_number: int | str | None = 1) -> Page:
    queryset = Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")
    return Paginator(queryset, PAGE_SIZE).get_page(page_number)


def notification_for_user(user, notification_id: int) -> Notification | None:
    """The notification if it is addressed to `user` (other people's are never found)."""
    return Notification.objects.filter(pk=notification_id, recipient=user).first()
