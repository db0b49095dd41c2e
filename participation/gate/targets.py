"""What moderation can act on, one kind at a time: the registry through which moderation
reaches the contribution kinds without importing them.

Each kind (a contribution, a proposal, a poll option) registers a `ModerationTarget` in
its `AppConfig.ready()`; moderation registers the two it knows itself (a person's display
name, a consultation). A target says what moderation needs to know of its kind: its
model, its short name in URLs and forms, what the notice form and the queue show of an
item, which decisions fit it, and for a contribution its state machine (hide, restore,
remove, approve, reject), including the live effect of a change.

The decisions' names are the values of `ModerationDecision.Action`; the ones the kinds
handle themselves are spelled here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

HIDE = "hide"
RESTORE = "restore"
REMOVE = "remove"
APPROVE = "approve"
REJECT = "reject"
LOCK = "lock"
UNLOCK = "unlock"
PREMODERATION_ON = "premoderation_on"
PREMODERATION_OFF = "premoderation_off"
SUSPEND = "suspend"
UNSUSPEND = "unsuspend"

# What a moderator does to a contribution's own state; locking acts on its thread.
CONTENT_ACTIONS = frozenset({HIDE, RESTORE, REMOVE, APPROVE, REJECT})
THREAD_ACTIONS = frozenset({LOCK, UNLOCK})


@dataclass(frozen=True)
class TargetFacts:
    """What the notice form, the queue and a decision record of an item."""

    consultation: Any  # the consultation it belongs to (None: a display name)
    affected_user: Any  # the person a decision on it restricts (None: nobody)
    location_url: str  # where it is seen
    excerpt: str  # a short text of it
    created_at: datetime | None


class ModerationTarget:
    """How moderation reaches one kind of item. Subclasses set the class attributes and
    override what applies to their kind."""

    kind: ClassVar[str]  # its name in URLs and forms ("beitrag", "vorschlag", ...)
    label: ClassVar[Any]  # what it is called, lazily translated ("contribution")
    actions: ClassVar[frozenset[str]] = frozenset()  # the decisions that fit it
    # The public may report it where they see it (`public_now`); the others are reported
    # from where they are shown (a display name, from a contribution).
    reportable_by_public: ClassVar[bool] = False
    # Its author's display name can be reported from it.
    authored: ClassVar[bool] = False
    # Content with a text of its own: it waits under pre-moderation, can be hidden
    # automatically after notices, and its decisions record its language.
    is_content: ClassVar[bool] = False
    # Notices can be about it (not about a consultation as a whole).
    takes_notices: ClassVar[bool] = True

    @property
    def model(self) -> type[models.Model]:
        raise NotImplementedError

    def applicable(self, obj) -> frozenset[str]:
        """The decisions that fit the item as it is now (a published contribution cannot be
        approved, a hidden one not hidden again); by default every decision of the kind."""
        return self.actions

    def applicable_by_status(
        self, transitions: dict[str, tuple[set[str], str]], status: str | None
    ) -> frozenset[str]:
        """For content: the content actions whose `transitions` start from `status` (None:
        none fits), and every other action of the kind."""
        fitting = {action for action, (sources, _new) in transitions.items() if status in sources}
        return frozenset(fitting) | (self.actions - CONTENT_ACTIONS)

    def get(self, pk: int):
        """The item, or None."""
        return self.model._default_manager.filter(pk=pk).first()

    def facts(self, obj) -> TargetFacts:
        raise NotImplementedError

    def public_now(self, obj) -> bool:
        """Whether the public channels show it now (only then may the notice form repeat
        its text)."""
        return False

    def is_pending(self, obj) -> bool:
        """Whether it waits for a moderator's approval."""
        return False

    def pending(self) -> models.QuerySet:
        """Everything of the kind that waits for approval (the queue narrows it to a
        moderator's consultations by `consultation_id`)."""
        return self.model._default_manager.none()

    def deleted_by_author(self, obj) -> bool:
        """Whether its author deleted it (a placeholder may stay; its text is gone)."""
        return False

    def only_by_a_moderator(self, obj) -> bool:
        """Never hidden automatically, however many notices it gets."""
        return False

    def text(self, obj) -> str | None:
        """The text a moderator reads of it (None: none of its own)."""
        return None

    def text_html(self, obj) -> str | None:
        """Its text as readers see it: HTML rendered from Markdown and sanitised on write,
        which a template shows with `|safe` (None: it has none, or its text is plain, and
        the excerpt shows it)."""
        return None

    def version(self, obj) -> str:
        """A short fingerprint of `text`: an approval names the version it approves, so a
        change its author makes after the moderator read it is not approved with it."""
        text = self.text(obj)
        if text is None:
            return ""
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def lock_place(self, obj) -> dict | None:
        """The ThreadLock fields (as lookups) of the discussion a lock on it closes."""
        return None

    def moderate(self, obj, action: str, *, seen_version: str | None = None) -> None:
        """Apply one of `CONTENT_ACTIONS`: lock the row, check that the item's state fits,
        change it and publish what readers see change, inside the caller's transaction.
        A ValidationError when the state does not fit."""
        raise ValidationError(_("This action is not possible here."))

    def check_seen(self, obj, action: str, seen_version: str | None) -> None:
        """An approval publishes the text as it is now, under the row lock that a change
        by its author takes too: it must be the text the moderator read."""
        if action == APPROVE and seen_version is not None and self.version(obj) != seen_version:
            raise ValidationError(
                _(
                    "Its author changed the text after you read it. Please read it again "
                    "before you approve it."
                ),
                code="changed",
            )


_targets: dict[str, ModerationTarget] = {}


def moderation_target_register(target: ModerationTarget) -> None:
    """Called once per kind from its `AppConfig.ready()`."""
    _targets[target.kind] = target


def moderation_target(kind: str) -> ModerationTarget | None:
    return _targets.get(kind)


def moderation_targets() -> Iterator[ModerationTarget]:
    return iter(_targets.values())


def moderation_target_of(obj) -> ModerationTarget:
    """The registered target whose model `obj` is an instance of."""
    for target in _targets.values():
        if isinstance(obj, target.model):
            return target
    raise ValueError(f"not reportable: {obj!r}")
