"""What a contribution is about inside its consultation: a small, declared set of kinds.

A target is stored as two plain fields on the comment (`target_kind`, `target_key`) and
written as one token in forms, URLs and live events: ``consultation``,
``paragraph:<block id>``, ``proposal:<pk>``.

The consultation and the paragraphs of its draft text are resolved here (they belong to
the consultation). A contribution kind that can itself be discussed (the proposals)
registers its `TargetType` from its `AppConfig.ready()`: how a key is checked against the
consultation, where the thread is read, and the counter it keeps on its own row. Adding a
kind takes a `TargetKind` member and such a registration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
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


@dataclass(frozen=True)
class TargetType:
    kind: str
    # (consultation, target) → the target with what it refers to, or ValidationError
    resolve: Callable[[Any, Target], Target]
    # (consultation id, target) → where its thread is read, without the comment's anchor
    url: Callable[[int, Target], str]
    # (target, delta): the count of its published contributions kept on its own row
    count: Callable[[Target, int], None] | None = None


def _paragraph_url(consultation_id: int, target: Target) -> str:
    return f"{reverse('draft_text', args=[consultation_id])}?open={target.key}"


_types: dict[str, TargetType] = {
    TargetKind.PARAGRAPH: TargetType(
        kind=TargetKind.PARAGRAPH, resolve=_resolve_paragraph, url=_paragraph_url
    ),
}


def target_type_register(target_type: TargetType) -> None:
    if target_type.kind not in TargetKind.values:
        raise ValueError(f"Unknown kind of target: {target_type.kind!r}")
    _types[target_type.kind] = target_type


def _type(kind: str) -> TargetType:
    try:
        return _types[kind]
    except KeyError:
        raise ValidationError(
            gettext("Unknown place for a contribution: “%(token)s”.") % {"token": kind[:80]},
            code="unknown_target",
        ) from None


def target_resolve(consultation, target: Target | str | None) -> Target:
    """The target checked against the consultation, with what it refers to; a clear
    ValidationError if it does not exist there."""
    if not isinstance(target, Target):
        target = Target.parse(target)
    if target.is_consultation:
        return CONSULTATION
    return _type(target.kind).resolve(consultation, target)


def target_count(target: Target, delta: int) -> None:
    """Move the count a target keeps of its published contributions (if it keeps one)."""
    target_type = _types.get(target.kind)
    if target_type is not None and target_type.count is not None:
        target_type.count(target, delta)


def target_url(consultation_id: int, target: Target) -> str:
    """Where the target's thread is read (without the comment's anchor); empty for the
    consultation (its page)."""
    target_type = _types.get(target.kind)
    return target_type.url(consultation_id, target) if target_type is not None else ""


def target_page_url(consultation, target: Target) -> str:
    """The page that shows the target's thread, at the thread."""
    if target.kind == TargetKind.PARAGRAPH:
        anchor = f"absatz-{target.number}" if target.number else "draft-text"
        return f"{target_url(consultation.pk, target)}#{anchor}"
    return f"{target_url(consultation.pk, target) or consultation.url}#discussion"
