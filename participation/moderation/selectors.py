"""Reads for moderation: who is responsible, the queue, decisions and appeals."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from cooperative.mandates.selectors import mandates_current
from cooperative.membership.models import Member
from cooperative.organisations.models import OrganisationRole
from participation.moderation.scope import covering_scope


def moderators_responsible_for(consultation, at: datetime | None = None) -> QuerySet:
    """Active users who hold a mandate covering the consultation now (or at `at`): members
    holding one themselves, and the moderators and representatives of organisations that
    hold one (directly or through their membership). Platform admins without a mandate are
    not included. `consultation=None` means platform mandates only."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    mandates = mandates_current(at).filter(covering_scope(consultation))
    current_member = (
        Q(joined_on__lte=day)
        & (Q(left_on__isnull=True) | Q(left_on__gt=day))
        & Q(status__in=[Member.Status.ADMITTED, Member.Status.RESIGNED, Member.Status.EXCLUDED])
    )
    members = Member.objects.filter(current_member).filter(
        pk__in=mandates.filter(holder_member__isnull=False).values("holder_member_id")
    )
    holding_organisations = Q(
        organisation_id__in=mandates.filter(holder_organisation__isnull=False).values(
            "holder_organisation_id"
        )
    ) | Q(organisation_id__in=members.filter(organisation__isnull=False).values("organisation_id"))
    appointed = OrganisationRole.objects.filter(
        holding_organisations,
        role__in=[OrganisationRole.Role.MODERATOR, OrganisationRole.Role.REPRESENTATIVE],
    )
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(pk__in=members.filter(user__isnull=False).values("user_id"))
            | Q(pk__in=appointed.values("user_id"))
        )
        .order_by("pk")
    )
