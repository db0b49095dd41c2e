"""The mandate API other apps call.

A user holds a mandate when
- it is held by a member the user *is* (a natural-person membership, current at the time
  asked), or
- it is held by an organisation (directly, or through the organisation's membership) in
  which the user has the OrganisationRole `moderator` or `representative`: the
  organisation exercises its mandate through the people it appoints.

Scope: a platform mandate covers everything; an organisation mandate covers that
organisation's consultations; a topic mandate covers content tagged with that slug.
`user_has_mandate(user)` without organisation or tags asks for a platform mandate.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from cooperative.mandates.models import ModerationMandate
from cooperative.membership.models import Member
from cooperative.organisations.models import Organisation, OrganisationRole


def mandates_current(at: datetime | None = None) -> QuerySet[ModerationMandate]:
    """Mandates valid at that moment (now by default): the public list."""
    at = at or timezone.now()
    return (
        ModerationMandate.objects.filter(valid_from__lte=at)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=at))
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=at))
        .select_related(
            "holder_member__user",
            "holder_member__organisation",
            "holder_organisation",
            "scope_organisation",
        )
        .order_by("scope", "valid_from")
    )


def mandate_by_id(mandate_id: int) -> ModerationMandate | None:
    return ModerationMandate.objects.filter(pk=mandate_id).first()


def mandates_for_user(user, at: datetime | None = None) -> QuerySet[ModerationMandate]:
    """The mandates a user exercises at that moment (see the module docstring)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ModerationMandate.objects.none()
    at = at or timezone.now()
    day = timezone.localdate(at)
    appointing = OrganisationRole.objects.filter(
        user=user,
        role__in=[OrganisationRole.Role.MODERATOR, OrganisationRole.Role.REPRESENTATIVE],
    ).values("organisation_id")
    current_member = (
        Q(holder_member__joined_on__lte=day)
        & (Q(holder_member__left_on__isnull=True) | Q(holder_member__left_on__gt=day))
        & Q(
            holder_member__status__in=[
                Member.Status.ADMITTED,
                Member.Status.RESIGNED,
                Member.Status.EXCLUDED,
            ]
        )
    )
    return mandates_current(at).filter(
        (Q(holder_member__user=user) & current_member)
        | Q(holder_organisation_id__in=appointing)
        | (Q(holder_member__organisation_id__in=appointing) & current_member)
    )


def user_holds_any_mandate(user) -> bool:
    """Whether the user exercises any mandate now, of whatever scope."""
    return mandates_for_user(user).exists()


def user_has_mandate(
    user,
    *,
    organisation: Organisation | int | None = None,
    tags: Iterable[str] = (),
    at: datetime | None = None,
) -> bool:
    """Whether the user may moderate content of `organisation` (its consultations) tagged
    with `tags` at `at` (now by default)."""
    scope = Q(scope=ModerationMandate.Scope.PLATFORM)
    if organisation is not None:
        organisation_id = organisation if isinstance(organisation, int) else organisation.pk
        scope |= Q(
            scope=ModerationMandate.Scope.ORGANISATION, scope_organisation_id=organisation_id
        )
    slugs = {slugify(tag) for tag in tags if tag}
    if slugs:
        scope |= Q(scope=ModerationMandate.Scope.TAG, scope_tag__in=slugs)
    return mandates_for_user(user, at).filter(scope).exists()
