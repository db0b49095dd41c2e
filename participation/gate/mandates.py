"""Which moderators a consultation's content answers to: the one place that maps a
consultation (its owner organisation, its topic tags) to the cooperative's mandate scopes.

It lies below the contribution kinds because they ask it too (who may see and decide on
pending contributions), and the gate asks it (moderators are exempt from calm mode).
Moderation adds what only it needs on top (`participation/moderation/scope.py`: which
mandate a decision is recorded under).
"""

from __future__ import annotations

from datetime import datetime

import rules
from django.utils.text import slugify

from cooperative.mandates.selectors import user_has_mandate


def consultation_tag_slugs(consultation) -> list[str]:
    """The consultation's topics as mandate scopes (slugs), cached on the page object."""
    if consultation is None:
        return []
    cached = consultation.__dict__.get("_moderation_tag_slugs")
    if cached is None:
        cached = sorted({slugify(tag.slug or tag.name) for tag in consultation.tags.all()})
        consultation.__dict__["_moderation_tag_slugs"] = cached
    return cached


def mandate_covers(user, consultation, at: datetime | None = None) -> bool:
    """Whether the user holds a mandate covering the consultation's content: its
    organisation's, one of its topics', or the platform's. For no consultation (a profile
    name) only a platform mandate does."""
    if consultation is None:
        return user_has_mandate(user, at=at)
    return user_has_mandate(
        user,
        organisation=consultation.organisation,
        tags=consultation_tag_slugs(consultation),
        at=at,
    )


def user_may_moderate(user, consultation, at: datetime | None = None) -> bool:
    """A platform admin, or a holder of a mandate covering the consultation."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return mandate_covers(user, consultation, at)


@rules.predicate
def holds_mandate_for_consultation(user, consultation) -> bool:
    """`user_may_moderate` as a rules predicate, for a consultation that is given."""
    return consultation is not None and user_may_moderate(user, consultation)


@rules.predicate
def holds_mandate_here(user, consultation) -> bool:
    """A mandate covering the consultation (no admin shortcut), remembered on the page
    object for the request: the page, its calm-mode banner and the gate ask it in turn."""
    if consultation is None or not user.is_authenticated or not user.is_active:
        return False
    cache = consultation.__dict__.setdefault("_guard_mandate", {})
    if user.pk not in cache:
        cache[user.pk] = mandate_covers(user, consultation)
    return cache[user.pk]


# Moderators of the consultation (and admins): calm mode does not slow them down, and they
# switch it on and off (participation/guard/rules.py).
is_moderator_for = rules.is_superuser | holds_mandate_here
