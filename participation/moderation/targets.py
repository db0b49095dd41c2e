"""What can be reported and moderated, named in URLs and forms by a short kind and a pk:
``beitrag`` (a comment), ``vorschlag`` (a proposal), ``option`` (a poll option),
``anzeigename`` (a user's display name). Each resolves to the object, the consultation it
belongs to, the person it affects, its exact location and a short excerpt.

The public reaches them through `reportable_for`, which shows the notice form only what
the person may see anyway. A display name is reported from the contribution or proposal
it was shown with, never by the person's id: an id in a public URL would let anyone list
the display names of every account, including those that never wrote anything public."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from cooperative.permissions import allowed
from participation.comments.models import Comment
from participation.polls.models import PollChoice
from participation.proposals.models import Proposal

KINDS = {
    "beitrag": Comment,
    "vorschlag": Proposal,
    "option": PollChoice,
    "anzeigename": None,  # the user model, resolved lazily
}
KIND_LABELS = {
    "beitrag": _("contribution"),
    "vorschlag": _("proposal"),
    "option": _("poll option"),
    "anzeigename": _("display name"),
}


# What the public may report, and whether an object of that kind is public now: only
# what the public channels show (a published contribution, a visible proposal, an option
# of a poll on the page) has text the notice form may repeat.
PUBLIC_NOW = {
    "beitrag": lambda comment: comment.status == Comment.Status.PUBLISHED,
    "vorschlag": lambda proposal: proposal.is_visible_to_public,
    "option": lambda option: True,
}
# Kinds whose author's display name can be reported from them.
AUTHORED_KINDS = ("beitrag", "vorschlag")


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
    def label(self):
        return KIND_LABELS[self.kind]

    @property
    def version(self) -> str:
        return content_version(self.obj)

    @property
    def report_url(self) -> str:
        if self.seen_on is not None:
            return reverse(
                "moderation_report_display_name", args=[self.seen_on.kind, self.seen_on.obj.pk]
            )
        return reverse("moderation_report", args=[self.kind, self.obj.pk])


def content_version(obj) -> str:
    """A short fingerprint of the text a moderator reads of a contribution or proposal (""
    for anything else): an approval names the version it approves (services._check_seen),
    so a change its author makes after the moderator read it is not approved with it."""
    if isinstance(obj, Comment):
        text = obj.body
    elif isinstance(obj, Proposal):
        text = "\n".join([obj.title, obj.body, obj.location])
    else:
        return ""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def model_for(kind: str):
    if kind == "anzeigename":
        return get_user_model()
    return KINDS.get(kind)


def kind_of(obj) -> str:
    if isinstance(obj, Comment):
        return "beitrag"
    if isinstance(obj, Proposal):
        return "vorschlag"
    if isinstance(obj, PollChoice):
        return "option"
    if isinstance(obj, get_user_model()):
        return "anzeigename"
    from participation.consultations.models import ConsultationPage

    if isinstance(obj, ConsultationPage):
        return "beteiligung"
    raise ValueError(f"not reportable: {obj!r}")


def reportable(obj) -> Reportable:
    kind = kind_of(obj)
    if kind == "beitrag":
        return Reportable(
            kind=kind,
            obj=obj,
            consultation=obj.consultation,
            affected_user=obj.author,
            location_url=obj.get_absolute_url(),
            excerpt=Truncator(obj.body).chars(300),
            created_at=obj.created_at,
        )
    if kind == "vorschlag":
        return Reportable(
            kind=kind,
            obj=obj,
            consultation=obj.consultation,
            affected_user=obj.author,
            location_url=obj.get_absolute_url(),
            excerpt=Truncator(f"{obj.title}: {obj.body}").chars(300),
            created_at=obj.created_at,
        )
    if kind == "option":
        page = obj.poll.page
        return Reportable(
            kind=kind,
            obj=obj,
            consultation=page,
            affected_user=None,  # options are written by the organisation's editors
            location_url=f"{page.url}#poll-{obj.poll_id}",
            excerpt=obj.text,
            created_at=None,
        )
    if kind == "anzeigename":
        # A name has no place of its own: notices about it carry where it was seen.
        return Reportable(
            kind=kind,
            obj=obj,
            consultation=None,
            affected_user=obj,
            location_url="",
            excerpt=obj.display_name or obj.username,
            created_at=obj.date_joined,
        )
    page = obj
    return Reportable(
        kind=kind,
        obj=page,
        consultation=page,
        affected_user=None,
        location_url=page.url or "",
        excerpt=page.title,
        created_at=None,
    )


def reportable_for(user, kind: str, pk: int) -> Reportable | None:
    """The object as the notice form may show it to `user`, or None: it must be public now
    (what the public cannot see cannot be reported by it, nor read through the form), in a
    consultation the user may see by the rule every channel asks
    (`view_consultationpage`: live and without a view restriction such as a password, a
    login or groups, unless the user edits for its organisation or administers the
    platform)."""
    public_now = PUBLIC_NOW.get(kind)
    if public_now is None:
        return None
    obj = KINDS[kind].objects.filter(pk=pk).first()  # type: ignore[union-attr]
    if obj is None or not public_now(obj):
        return None
    item = reportable(obj)
    if not allowed(user, "participation_consultations.view_consultationpage", item.consultation):
        return None
    return item


def display_name_reportable_for(user, kind: str, pk: int) -> Reportable | None:
    """The display name of the author of a contribution or proposal that `user` may see
    (as `reportable_for`), with that contribution as the place it was seen."""
    if kind not in AUTHORED_KINDS:
        return None
    seen = reportable_for(user, kind, pk)
    author = seen.affected_user if seen is not None else None
    if author is None or not author.is_active:
        return None
    item = reportable(author)
    item.location_url = seen.location_url  # type: ignore[union-attr]
    item.seen_on = seen
    return item


def target_of(record) -> Any:
    """The object a report or decision is about (None if it was deleted)."""
    model = ContentType.objects.get_for_id(record.content_type_id).model_class()
    if model is None:
        return None
    obj = model._default_manager.filter(pk=record.object_id).first()
    if obj is not None and hasattr(obj, "specific") and not isinstance(obj, Comment):
        obj = obj.specific
    return obj
