"""Who may switch calm mode on and off: moderators under a mandate that covers the
consultation (its organisation's, one of its topics', or the platform's), and admins."""

from __future__ import annotations

import rules
from django.utils.text import slugify

from cooperative.mandates.selectors import user_has_mandate


def consultation_tag_slugs(consultation) -> list[str]:
    return sorted({slugify(tag.slug or tag.name) for tag in consultation.tags.all()})


@rules.predicate
def holds_mandate_for(user, consultation) -> bool:
    if consultation is None or not user.is_authenticated or not user.is_active:
        return False
    cache = consultation.__dict__.setdefault("_guard_mandate", {})
    if user.pk not in cache:
        cache[user.pk] = user_has_mandate(
            user,
            organisation=consultation.organisation,
            tags=consultation_tag_slugs(consultation),
        )
    return cache[user.pk]


is_moderator_for = rules.is_superuser | holds_mandate_for

rules.add_perm("participation_guard.change_calmmode", is_moderator_for)
rules.add_perm("participation_guard.view_calmmode", is_moderator_for)
