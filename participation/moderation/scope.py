"""Which mandates cover a consultation: the one place that maps a consultation (owner
organisation, topic tags) to mandate scopes. Selectors, rules and the consumer use it."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils.text import slugify

from cooperative.mandates.models import ModerationMandate
from cooperative.mandates.selectors import mandates_for_user, user_has_mandate


def consultation_tag_slugs(consultation) -> list[str]:
    if consultation is None:
        return []
    cached = consultation.__dict__.get("_moderation_tag_slugs")
    if cached is None:
        cached = sorted({slugify(tag.slug or tag.name) for tag in consultation.tags.all()})
        consultation.__dict__["_moderation_tag_slugs"] = cached
    return cached


def covering_scope(consultation) -> Q:
    """Mandates (as a Q on ModerationMandate) that cover the consultation's content; for no
    consultation (a profile name) only platform mandates do."""
    scope = Q(scope=ModerationMandate.Scope.PLATFORM)
    if consultation is None:
        return scope
    organisation = consultation.organisation
    if organisation is not None:
        scope |= Q(scope=ModerationMandate.Scope.ORGANISATION, scope_organisation=organisation)
    slugs = consultation_tag_slugs(consultation)
    if slugs:
        scope |= Q(scope=ModerationMandate.Scope.TAG, scope_tag__in=slugs)
    return scope


def user_may_moderate(user, consultation, at: datetime | None = None) -> bool:
    """A platform admin, or a holder of a mandate covering the consultation."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if consultation is None:
        return user_has_mandate(user, at=at)
    return user_has_mandate(
        user,
        organisation=consultation.organisation,
        tags=consultation_tag_slugs(consultation),
        at=at,
    )


def mandate_used(user, consultation, at: datetime | None = None) -> ModerationMandate | None:
    """The mandate a decision is recorded under: the narrowest one covering the
    consultation (a topic before an organisation before the platform). None for a platform
    admin acting without a mandate."""
    mandates = list(mandates_for_user(user, at).filter(covering_scope(consultation)))
    order: dict[str, int] = {
        ModerationMandate.Scope.TAG: 0,
        ModerationMandate.Scope.ORGANISATION: 1,
        ModerationMandate.Scope.PLATFORM: 2,
    }
    mandates.sort(key=lambda mandate: (order[mandate.scope], mandate.pk))
    return mandates[0] if mandates else None
