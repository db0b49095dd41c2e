from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cooperative.audit.services import audit_record
from cooperative.governance.models import Ballot
from cooperative.mandates.models import ModerationMandate
from cooperative.membership.models import Member
from cooperative.organisations.models import Organisation


def _public(mandate: ModerationMandate) -> dict:
    return {
        "holder": mandate.holder_display,
        "holder_kind": "organisation" if mandate.holder_organisation_id else "member",
        "scope": mandate.scope,
        "scope_organisation": mandate.scope_organisation.slug
        if mandate.scope_organisation
        else None,
        "scope_tag": mandate.scope_tag,
        "valid_from": mandate.valid_from.isoformat(),
        "valid_until": mandate.valid_until.isoformat() if mandate.valid_until else None,
        "ballot": mandate.granted_by_ballot_id,
    }


def mandate_grant(
    *,
    by,
    scope: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
    holder_member: Member | None = None,
    holder_organisation: Organisation | None = None,
    scope_organisation: Organisation | None = None,
    scope_tag: str = "",
    ballot: Ballot | None = None,
) -> ModerationMandate:
    """A board decision (or the result of `ballot`) gives a moderation mandate."""
    if (holder_member is None) == (holder_organisation is None):
        raise ValidationError(_("Choose either a member or an organisation as holder."))
    if holder_member is not None and holder_member.status != Member.Status.ADMITTED:
        raise ValidationError(_("Only a current member can hold a mandate."))
    if ballot is not None and ballot.state != Ballot.State.ENACTED:
        raise ValidationError(_("Only an adopted ballot can grant a mandate."))
    mandate = ModerationMandate(
        holder_member=holder_member,
        holder_organisation=holder_organisation,
        scope=scope,
        scope_organisation=scope_organisation if scope == "organisation" else None,
        scope_tag=slugify(scope_tag) if scope == "tag" else "",
        valid_from=valid_from,
        valid_until=valid_until,
        granted_by=by,
        granted_by_ballot=ballot,
    )
    if scope == "organisation" and scope_organisation is None:
        raise ValidationError(_("Choose the organisation whose consultations it covers."))
    if scope == "tag" and not mandate.scope_tag:
        raise ValidationError(_("Name the topic tag it covers."))
    if valid_until is not None and valid_until <= valid_from:
        raise ValidationError(_("A mandate must end after it begins."))
    with transaction.atomic():
        mandate.save()
        audit_record(kind="mandate.granted", obj=mandate, public=_public(mandate))
    return mandate


def mandate_revoke(*, mandate: ModerationMandate, by, reason: str) -> ModerationMandate:
    if not reason.strip():
        raise ValidationError(_("Please give the reason for the revocation."))
    with transaction.atomic():
        mandate = ModerationMandate.objects.select_for_update().get(pk=mandate.pk)
        if mandate.revoked_at is not None:
            return mandate
        mandate.revoked_at = timezone.now()
        mandate.revoked_by = by
        mandate.revocation_reason = reason.strip()
        mandate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        # The reason may speak about the holder's conduct: it is kept, not published.
        audit_record(
            kind="mandate.revoked",
            obj=mandate,
            public=_public(mandate),
            private={"reason": mandate.revocation_reason},
        )
    return mandate
