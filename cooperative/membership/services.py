"""Applying for membership, admission by the board, resignation and exclusion.

Every decision is recorded in the audit log. The public part names the member group
only: the member, their number, name, shares, dates and who decided are private, and the
event is not published with the member as its object, so the public log cannot tie an
application, an admission and an exclusion together to one person.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperative.audit.services import audit_record
from cooperative.membership.models import Member
from cooperative.organisations.models import Organisation

NUMBER_LOCK_SPACE = 7402


def membership_apply(
    *,
    applied_by,
    member_group: str,
    shares: int,
    legal_name: str,
    address: str,
    organisation: Organisation | None = None,
) -> Member:
    """An application of a person (for themselves) or of an organisation (by its
    representative; the permission checks that)."""
    member = Member(
        user=None if organisation else applied_by,
        organisation=organisation,
        applied_by=applied_by,
        member_group=member_group,
        shares=shares,
        legal_name=legal_name.strip(),
        address=address.strip(),
    )
    member.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
            audit_record(
                kind="membership.applied",
                public={"member_group": member.member_group},
                private={"member": member.pk, "name": member.legal_name, "shares": member.shares},
            )
    except IntegrityError as error:
        raise ValidationError(
            _("There is already an application or membership for this person or organisation."),
            code="duplicate",
        ) from error
    return member


def _locked(member: Member) -> Member:
    return Member.objects.select_for_update().get(pk=member.pk)


def _next_number() -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [NUMBER_LOCK_SPACE])
    return (Member.objects.aggregate(top=Max("number"))["top"] or 0) + 1


def membership_admit(*, member: Member, by, joined_on: date | None = None) -> Member:
    with transaction.atomic():
        member = _locked(member)
        if member.status != Member.Status.APPLIED:
            raise ValidationError(_("Only an open application can be admitted."), code="state")
        member.status = Member.Status.ADMITTED
        member.number = _next_number()
        member.joined_on = joined_on or timezone.localdate()
        member.decided_at = timezone.now()
        member.decided_by = by
        member.save()
        audit_record(
            kind="membership.admitted",
            public={"member_group": member.member_group},
            private={
                "member": member.pk,
                "member_number": member.number,
                "shares": member.shares,
                "name": member.legal_name,
                "joined_on": member.joined_on.isoformat(),
                "decided_by": by.pk if by else None,
            },
        )
    return member


def membership_reject(*, member: Member, by, reason: str = "") -> Member:
    with transaction.atomic():
        member = _locked(member)
        if member.status != Member.Status.APPLIED:
            raise ValidationError(_("Only an open application can be rejected."), code="state")
        member.status = Member.Status.REJECTED
        member.decided_at = timezone.now()
        member.decided_by = by
        member.leaving_reason = reason
        member.save()
        audit_record(
            kind="membership.rejected",
            public={"member_group": member.member_group},
            private={"member": member.pk, "name": member.legal_name, "reason": reason},
        )
    return member


def _end(*, member: Member, by, status: str, effective_on: date, reason: str) -> Member:
    with transaction.atomic():
        member = _locked(member)
        if member.status != Member.Status.ADMITTED:
            raise ValidationError(_("This membership has already ended."), code="state")
        if member.joined_on and effective_on <= member.joined_on:
            raise ValidationError(
                _("The effective date must be after the date of joining."), code="date"
            )
        member.status = status
        member.left_on = effective_on
        member.leaving_reason = reason
        member.save()
        audit_record(
            kind=f"membership.{status}",
            public={"member_group": member.member_group},
            private={
                "member": member.pk,
                "member_number": member.number,
                "left_on": effective_on.isoformat(),
                "name": member.legal_name,
                "reason": reason,
                "by": by.pk if by else None,
            },
        )
    return member


def membership_resign(*, member: Member, by, effective_on: date) -> Member:
    """Notice of resignation (Kündigung, GenG §65); the membership ends on the date given."""
    if effective_on <= timezone.localdate():
        raise ValidationError(_("A resignation takes effect on a future date."), code="date")
    return _end(
        member=member, by=by, status=Member.Status.RESIGNED, effective_on=effective_on, reason=""
    )


def membership_exclude(*, member: Member, by, effective_on: date, reason: str) -> Member:
    """Exclusion by the board (Ausschluss, GenG §68), with the reason on record."""
    if not reason.strip():
        raise ValidationError(_("Please give the reason for the exclusion."), code="reason")
    return _end(
        member=member,
        by=by,
        status=Member.Status.EXCLUDED,
        effective_on=effective_on,
        reason=reason.strip(),
    )
