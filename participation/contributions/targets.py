"""What a contribution is about inside its consultation: a small, declared set of kinds.

A target is stored as two plain fields on the comment (`target_kind`, `target_key`) and
written as one token in forms, URLs and live events: ``consultation``,
``paragraph:<block id>``, ``proposal:<pk>``.

Adding a kind (a poll, say) takes a `TargetKind` member, a resolver that checks the key
against the consultation and returns the label and URL, and `RESOLVERS[kind] = resolver`;
a kind with a counter of its own also adds a `COUNTERS` entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

KEY_MAX_LENGTH = 64


class TargetKind(models.TextChoices):
    CONSULTATION = "consultation", _("the consultation")
    PARAGRAPH = "paragraph", _("a paragraph of the draft text")
    PROPOSAL = "proposal", _("a proposal")


@dataclass(frozen=True)
class Target:
    """A target as given (`kind`, `key`); `target_resolve` fills in what it refers to."""

    kind: str = TargetKind.CONSULTATION
    key: str = ""
    # Filled in by target_resolve; not part of the identity.
    obj: Any = field(default=None, compare=False, hash=False, repr=False)
    number: int | None = field(default=None, compare=False, hash=False)

    @classmethod
    def parse(cls, token: str | None) -> Target:
        """``proposal:12`` → Target("proposal", "12"). Empty means the consultation."""
        token = (token or "").strip()
        if not token or token == TargetKind.CONSULTATION:
            return CONSULTATION
        kind, _sep, key = token.partition(":")
        if kind not in TargetKind.values or kind == TargetKind.CONSULTATION or not key:
            raise ValidationError(
                gettext("Unknown place for a contribution: “%(token)s”.") % {"token": token[:80]},
                code="unknown_target",
            )
        return cls(kind=kind, key=key[:KEY_MAX_LENGTH])

    @classmethod
    def of(cls, comment) -> Target:
        return cls(kind=comment.target_kind, key=comment.target_key)

    @property
    def token(self) -> str:
        return self.kind if self.kind == TargetKind.CONSULTATION else f"{self.kind}:{self.key}"

    @property
    def is_consultation(self) -> bool:
        return self.kind == TargetKind.CONSULTATION

    @property
    def field_id(self) -> str:
        """The id of the form's text field: unique on a page with a form per target."""
        return "id_body" if self.kind != TargetKind.PARAGRAPH else f"body-{self.key}"

    def filter(self) -> dict[str, str]:
        """Lookups for Comment querysets."""
        return {"target_kind": self.kind, "target_key": self.key}


CONSULTATION = Target()


def _resolve_paragraph(consultation, target: Target) -> Target:
    if not consultation.live:
        raise ValidationError(
            gettext("The draft text of this consultation is not published."), code="not_published"
        )
    for paragraph in consultation.draft_paragraphs():
        if paragraph.block_id == target.key:
            return Target(kind=target.kind, key=target.key, obj=paragraph, number=paragraph.number)
    raise ValidationError(
        gettext(
            "This paragraph is not part of the current draft text. The text may have been "
            "revised; please reload the page."
        ),
        code="unknown_paragraph",
    )


def _resolve_proposal(consultation, target: Target) -> Target:
    from participation.proposals.models import Proposal

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


RESOLVERS: dict[str, Callable[[Any, Target], Target]] = {
    TargetKind.PARAGRAPH: _resolve_paragraph,
    TargetKind.PROPOSAL: _resolve_proposal,
}


def target_resolve(consultation, target: Target | str | None) -> Target:
    """The target checked against the consultation, with what it refers to; a clear
    ValidationError if it does not exist there."""
    if not isinstance(target, Target):
        target = Target.parse(target)
    if target.is_consultation:
        return CONSULTATION
    return RESOLVERS[target.kind](consultation, target)


def _count_proposal(target: Target, delta: int) -> None:
    from participation.proposals.models import Proposal

    queryset = Proposal.objects.filter(pk=int(target.key))
    if delta < 0:
        queryset = queryset.filter(comment_count__gte=-delta)
    queryset.update(comment_count=F("comment_count") + delta)


# Targets that keep a count of their published contributions on their own row.
COUNTERS: dict[str, Callable[[Target, int], None]] = {
    TargetKind.PROPOSAL: _count_proposal,
}


def target_url(consultation_id: int, target: Target) -> str:
    """Where the target's thread is read (without the comment's anchor)."""
    if target.kind == TargetKind.PARAGRAPH:
        return f"{reverse('draft_text', args=[consultation_id])}?open={target.key}"
    if target.kind == TargetKind.PROPOSAL:
        return reverse("proposal_detail", args=[consultation_id, int(target.key)])
    return ""


def target_page_url(consultation, target: Target) -> str:
    """The page that shows the target's thread, at the thread."""
    if target.kind == TargetKind.PARAGRAPH:
        anchor = f"absatz-{target.number}" if target.number else "draft-text"
        return f"{target_url(consultation.pk, target)}#{anchor}"
    return f"{target_url(consultation.pk, target) or consultation.url}#discussion"
