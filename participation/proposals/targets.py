"""A proposal as the target of its discussion: how its key is checked, where its thread is
read, and the count of published contributions it keeps (registered with
participation.contributions.targets when the app is ready)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext

from participation.contributions.targets import Target, TargetKind, TargetType
from participation.proposals.models import Proposal


def _resolve(consultation, target: Target) -> Target:
    if not target.key.isdigit():
        raise ValidationError(gettext("This proposal does not exist."), code="unknown_proposal")
    proposal = Proposal.objects.filter(pk=int(target.key)).first()
    if proposal is None:
        raise ValidationError(gettext("This proposal does not exist."), code="unknown_proposal")
    if not proposal.is_visible_to_public:
        raise ValidationError(
            gettext("This proposal is not public (it waits for or was hidden by moderation)."),
            code="proposal_not_public",
        )
    if proposal.consultation_id != consultation.pk:
        raise ValidationError(
            gettext("This proposal belongs to another consultation."), code="foreign_proposal"
        )
    proposal.consultation = consultation
    return Target(kind=target.kind, key=str(proposal.pk), obj=proposal)


def _url(consultation_id: int, target: Target) -> str:
    return reverse("proposal_detail", args=[consultation_id, int(target.key)])


def _count(target: Target, delta: int) -> None:
    queryset = Proposal.objects.filter(pk=int(target.key))
    if delta < 0:
        queryset = queryset.filter(comment_count__gte=-delta)
    queryset.update(comment_count=F("comment_count") + delta)


PROPOSAL_TARGET = TargetType(kind=TargetKind.PROPOSAL, resolve=_resolve, url=_url, count=_count)


def proposal_target(proposal) -> Target:
    """The proposal as the target of its discussion."""
    return Target(kind=TargetKind.PROPOSAL, key=str(proposal.pk), obj=proposal)
