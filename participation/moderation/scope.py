"""Which mandate a decision is recorded under. Whether a mandate covers a consultation at
all is the gate's (participation/gate/mandates.py), asked by the kinds, the gate and
moderation alike; this adds the mandates themselves as a query."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from cooperative.mandates.models import ModerationMandate
from cooperative.mandates.selectors import mandates_for_user
from participation.gate.mandates import consultation_tag_slugs, user_may_moderate

__all__ = ["consultation_tag_slugs", "covering_scope", "mandate_used", "user_may_moderate"]


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
