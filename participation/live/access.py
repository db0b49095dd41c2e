"""Open sockets learn when who may read a consultation changes.

A socket checks access when it opens; it can stay open for hours. When a page is
unpublished, gets a view restriction (on itself or an ancestor, or on the page an alias
shows), is moved (perhaps under a restricted page) or is deleted, the hub is told after
commit to have every reader of the affected pages' rooms ask again
(`ConsultationLiveConsumer.recheck`); those who may no longer read it are closed with
4403 (4404 when the page is gone). The readers of a page share one lookup per person
(all anonymous readers one), and ordinary frames carry no check at all.

Wagtail's signals cover the admin, the API and code alike; nothing here decides who may
see what: that is the consultation's view permission, which the consultations app
registers from its `AppConfig.ready()` (`stream_rule_register`) and the consumer asks
through `stream_viewable`; without a registered rule nobody may read.

A deleted account's own room (`user.<id>`) loses its stored frames the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_unpublished, post_page_move

from participation.live.events import room_forget
from participation.live.groups import consultation_group, user_group
from participation.live.hub import hub

logger = logging.getLogger(__name__)

# (user, page id) → True/False, or None where no such consultation exists
_rule: list[Callable[[object, int], bool | None]] = []


def stream_rule_register(rule: Callable[[object, int], bool | None]) -> None:
    _rule[:] = [rule]


def stream_viewable(user, page_id: int) -> bool | None:
    """Whether `user` may read the page's stream; None where there is no such page."""
    if not _rule:
        return False
    return _rule[0](user, page_id)


def pages_recheck(page_ids: Iterable[int]) -> None:
    """After commit, every open socket on these pages asks again whether it may stay."""
    rooms = [consultation_group(page_id) for page_id in page_ids]
    if not rooms:
        return

    async def recheck_all() -> None:
        for room in rooms:
            await hub.recheck(room)

    def send() -> None:
        try:
            async_to_sync(recheck_all)()
        except Exception:
            logger.exception("live: could not ask the readers of %d pages again", len(rooms))

    transaction.on_commit(send)


def subtree_ids(page: Page) -> list[int]:
    """The page, its descendants, and every alias of the page with its descendants (a
    restriction on a page restricts its aliases too: consultations/rules.py)."""
    paths = [page.path, *Page.objects.filter(alias_of=page).values_list("path", flat=True)]
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    return list(Page.objects.filter(within).values_list("pk", flat=True))


def _unpublished(sender, instance, **kwargs) -> None:
    pages_recheck([instance.pk])


def _restricted(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        pages_recheck(subtree_ids(instance.page))


def _moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs) -> None:
    # Reordering among siblings changes nothing about who may read the page.
    if getattr(parent_page_before, "pk", None) != getattr(parent_page_after, "pk", None):
        pages_recheck(subtree_ids(instance))


def _account_deleted(sender, instance, **kwargs) -> None:
    # An erased account's own room (its notifications, its contributions that waited for a
    # moderator) goes with it; the hub holds no history of its own.
    room_forget(room=user_group(instance.pk))


def _deleted(sender, instance, **kwargs) -> None:
    # Readers are closed (4404), and what the page's room stored goes with the page.
    room_forget(room=consultation_group(instance.pk))
    pages_recheck([instance.pk])


def connect() -> None:
    page_unpublished.connect(_unpublished, dispatch_uid="live-access-unpublished")
    post_save.connect(
        _restricted, sender=PageViewRestriction, dispatch_uid="live-access-restricted"
    )
    post_page_move.connect(_moved, dispatch_uid="live-access-moved")
    post_delete.connect(_deleted, sender=Page, dispatch_uid="live-access-deleted")
    post_delete.connect(
        _account_deleted, sender=settings.AUTH_USER_MODEL, dispatch_uid="live-account-deleted"
    )
