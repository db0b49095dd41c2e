from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from cooperative.membership.models import Member
from cooperative.organisations.models import OrganisationRole


def members_on(day: date | None = None) -> QuerySet[Member]:
    """Every member on that day (admitted, not yet left)."""
    day = day or timezone.localdate()
    return Member.objects.filter(
        status__in=[Member.Status.ADMITTED, Member.Status.RESIGNED, Member.Status.EXCLUDED],
        joined_on__lte=day,
    ).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))


def members_acting_as(user, day: date | None = None) -> QuerySet[Member]:
    """The members a user speaks for: their own membership and those of organisations
    they represent (OrganisationRole representative)."""
    if not getattr(user, "is_authenticated", False):
        return Member.objects.none()
    represented = OrganisationRole.objects.filter(
        user=user, role=OrganisationRole.Role.REPRESENTATIVE
    ).values("organisation_id")
    return (
        members_on(day).filter(Q(user=user) | Q(organisation_id__in=represented)).order_by("number")
    )


def member_acting_as(user, member_id: int | None = None) -> Member | None:
    members = members_acting_as(user)
    if member_id is not None:
        return members.filter(pk=member_id).first()
    return members.first()


def is_member(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_member_cache", None)
    if cached is None:
        cached = members_acting_as(user).exists()
        user._member_cache = cached
    return cached


def applications_of(user) -> QuerySet[Member]:
    """Every membership (any status) the user applied for or holds."""
    if not getattr(user, "is_authenticated", False):
        return Member.objects.none()
    represented = OrganisationRole.objects.filter(
        user=user, role=OrganisationRole.Role.REPRESENTATIVE
    ).values("organisation_id")
    return (
        Member.objects.filter(
            Q(user=user) | Q(organisation_id__in=represented) | Q(applied_by=user)
        )
        .select_related("organisation", "user")
        .order_by("-applied_at")
    )


def applications_pending() -> QuerySet[Member]:
    return Member.objects.filter(status=Member.Status.APPLIED).select_related(
        "user", "organisation"
    )


def member_register() -> QuerySet[Member]:
    """The member register (GenG §30): everyone ever admitted. Board only: it has addresses."""
    return (
        Member.objects.filter(number__isnull=False)
        .select_related("user", "organisation")
        .order_by("number")
    )


REGISTER_COLUMNS = (
    "member_number",
    "name",
    "address",
    "member_group",
    "shares",
    "joined_on",
    "left_on",
    "leaving",
)


def member_register_rows() -> list[list[str]]:
    rows = []
    for member in member_register():
        leaving = ""
        if member.status in (Member.Status.RESIGNED, Member.Status.EXCLUDED):
            leaving = member.get_status_display()
        rows.append(
            [
                str(member.number),
                member.legal_name,
                member.address.replace("\r\n", "\n"),
                member.get_member_group_display(),
                str(member.shares),
                member.joined_on.isoformat() if member.joined_on else "",
                member.left_on.isoformat() if member.left_on else "",
                str(leaving),
            ]
        )
    return rows
