"""What can be reported and moderated, named in URLs and forms by a short kind and a pk:
``beitrag`` (a comment), ``vorschlag`` (a proposal), ``option`` (a poll option),
``anzeigename`` (a user's display name), ``beteiligung`` (a consultation, for locks and
pre-moderation). Each resolves to the object, the consultation it belongs to, the person
it affects, its exact location and a short excerpt.

The kinds are reached through the registry of moderation targets
(participation/gate/targets.py): each contribution kind registers its own; the two
defined here (display names and consultations) are registered by this app.

The public reaches them through `reportable_for`, which shows the notice form only what
the person may see anyway. A display name is reported from the contribution or proposal
it was shown with, never by the person's id: an id in a public URL would let anyone list
the display names of every account, including those that never wrote anything public."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cooperative.permissions import allowed
from participation.consultations.models import ConsultationPage
from participation.gate.targets import (
    LOCK,
    PREMODERATION_OFF,
    PREMODERATION_ON,
    SUSPEND,
    UNLOCK,
    UNSUSPEND,
    ModerationTarget,
    TargetFacts,
    moderation_target,
    moderation_target_of,
)


class DisplayNameTarget(ModerationTarget):
    """A person's display name (``anzeigename``): a decision suspends the person."""

    kind = "anzeigename"
    label = _("display name")
    actions = frozenset({SUSPEND, UNSUSPEND})

    @property
    def model(self):
        return get_user_model()

    def facts(self, obj) -> TargetFacts:
        # A name has no place of its own: notices about it carry where it was seen.
        return TargetFacts(
            consultation=None,
            affected_user=obj,
            location_url="",
            excerpt=obj.display_name or obj.username,
            created_at=obj.date_joined,
        )


class ConsultationTarget(ModerationTarget):
    """A consultation as a whole (``beteiligung``): its discussion can be locked and
    pre-moderation switched on; nobody reports it."""

    kind = "beteiligung"
    label = _("consultation")
    actions = frozenset({LOCK, UNLOCK, PREMODERATION_ON, PREMODERATION_OFF})
    takes_notices = False

    @property
    def model(self) -> type[ConsultationPage]:
        return ConsultationPage

    def facts(self, obj) -> TargetFacts:
        return TargetFacts(
            consultation=obj,
            affected_user=None,
            location_url=obj.url or "",
            excerpt=obj.title,
            created_at=None,
        )

    def lock_place(self, obj) -> dict:
        # Its own discussion.
        return {
            "consultation_id": obj.pk,
            "root__isnull": True,
            "target_kind": "consultation",
            "target_key": "",
        }


@dataclass
class Reportable:
    kind: str
    obj: Any
    consultation: Any
    affected_user: Any
    location_url: str
    excerpt: str
    created_at: datetime | None
    # For a display name reported by the public: the contribution it was shown with.
    seen_on: Reportable | None = None

    @property
    def target(self) -> ModerationTarget:
        return moderation_target(self.kind)  # type: ignore[return-value]

    @property
    def label(self):
        return self.target.label

    @property
    def version(self) -> str:
        return self.target.version(self.obj)

    @property
    def text_html(self) -> str:
        """Its text as readers see it, sanitised HTML for `|safe` ("": the excerpt is all)."""
        return self.target.text_html(self.obj) or ""

    @property
    def report_url(self) -> str:
        if self.seen_on is not None:
            return reverse(
                "moderation_report_display_name", args=[self.seen_on.kind, self.seen_on.obj.pk]
            )
        return reverse("moderation_report", args=[self.kind, self.obj.pk])


def content_version(obj) -> str:
    """A short fingerprint of the text a moderator reads of a contribution or proposal (""
    for anything else): an approval names the version it approves, so a change its author
    makes after the moderator read it is not approved with it."""
    return moderation_target_of(obj).version(obj)


def model_for(kind: str):
    target = moderation_target(kind)
    return target.model if target is not None else None


def kind_of(obj) -> str:
    return moderation_target_of(obj).kind


def reportable(obj) -> Reportable:
    target = moderation_target_of(obj)
    facts = target.facts(obj)
    return Reportable(
        kind=target.kind,
        obj=obj,
        consultation=facts.consultation,
        affected_user=facts.affected_user,
        location_url=facts.location_url,
        excerpt=facts.excerpt,
        created_at=facts.created_at,
    )


def reportable_for(user, kind: str, pk: int) -> Reportable | None:
    """The object as the notice form may show it to `user`, or None: it must be public now
    (what the public cannot see cannot be reported by it, nor read through the form), in a
    consultation the user may see by the rule every channel asks
    (`view_consultationpage`: live and without a view restriction such as a password, a
    login or groups, unless the user edits for its organisation or administers the
    platform)."""
    target = moderation_target(kind)
    if target is None or not target.reportable_by_public:
        return None
    obj = target.get(pk)
    if obj is None or not target.public_now(obj):
        return None
    item = reportable(obj)
    if not allowed(user, "participation_consultations.view_consultationpage", item.consultation):
        return None
    return item


def display_name_reportable_for(user, kind: str, pk: int) -> Reportable | None:
    """The display name of the author of a contribution or proposal that `user` may see
    (as `reportable_for`), with that contribution as the place it was seen."""
    target = moderation_target(kind)
    if target is None or not target.authored:
        return None
    seen = reportable_for(user, kind, pk)
    author = seen.affected_user if seen is not None else None
    if author is None or not author.is_active:
        return None
    item = reportable(author)
    item.location_url = seen.location_url  # type: ignore[union-attr]
    item.seen_on = seen
    return item


def target_by_key(content_type_id: int, object_id: int) -> Any:
    """The object of that type and id, a page as its specific type (None if it is gone)."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    obj = model._default_manager.filter(pk=object_id).first()
    if isinstance(obj, Page):
        obj = obj.specific
    return obj


def target_of(record) -> Any:
    """The object a report or decision is about (None if it was deleted)."""
    return target_by_key(record.content_type_id, record.object_id)
