"""Writes for follows and notifications. Callers check permissions first."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count, Model
from django.utils import timezone

from participation.live.events import event_publish
from participation.live.groups import user_group
from participation.notifications.models import Follow, Notification


def follow_create(*, user, target: Model) -> Follow:
    """Follow `target`; following twice changes nothing."""
    target_type = ContentType.objects.get_for_model(target)
    existing = Follow.objects.filter(
        user=user, target_type=target_type, target_id=target.pk
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Follow.objects.create(user=user, target_type=target_type, target_id=target.pk)
    except IntegrityError:
        # A concurrent request of the same person followed first.
        return Follow.objects.get(user=user, target_type=target_type, target_id=target.pk)


def follow_delete(*, user, target: Model) -> bool:
    deleted, _details = Follow.objects.filter(
        user=user, target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).delete()
    return bool(deleted)


def notify(
    *,
    recipient_ids: Iterable[int | None],
    kind: str,
    text: str,
    url: str,
    exclude_ids: Iterable[int] = (),
) -> list[Notification]:
    """One notification for each recipient (each once), published to their own channel."""
    excluded = set(exclude_ids)
    recipients = sorted({pk for pk in recipient_ids if pk is not None} - excluded)
    if not recipients:
        return []
    kind = Notification.Kind(kind)
    text = text[: Notification._meta.get_field("text").max_length]  # type: ignore[misc]
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            Notification(recipient_id=pk, kind=kind, text=text, url=url) for pk in recipients
        )
        unread = dict(
            Notification.objects.filter(recipient_id__in=recipients, read_at__isnull=True)
            .values("recipient_id")
            .annotate(count=Count("pk"))
            .values_list("recipient_id", "count")
        )
        for notification in notifications:
            event_publish(
                room=user_group(notification.recipient_id),
                type="notification",
                data={
                    "notification": notification.pk,
                    "kind": notification.kind,
                    "text": notification.text,
                    "url": notification.url,
                    "unread": unread.get(notification.recipient_id, 0),
                },
            )
    return notifications


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
