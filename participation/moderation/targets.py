"""What can be reported and moderated, named in URLs and forms by a short kind and a pk:
``beitrag`` (a comment), ``vorschlag`` (a proposal), ``option`` (a poll option),
``anzeigename`` (a user's display name). Each resolves to the object, the consultation it
belongs to, the person it affects, its exact location and a short excerpt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

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


@dataclass
class Reportable:
    kind: str
    obj: Any
    consultation: Any
    affected_user: Any
    location_url: str
    excerpt: str
    created_at: datetime | None

    @property
    def label(self):
        return KIND_LABELS[self.kind]

    @property
    def report_url(self) -> str:
        return reverse("moderation_report", args=[self.kind, self.obj.pk])


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
        return Reportable(
            kind=kind,
            obj=obj,
            consultation=None,
            affected_user=obj,
            location_url=reverse("moderation_report", args=[kind, obj.pk]),
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


def reportable_by_kind(kind: str, pk: int) -> Reportable | None:
    """The reportable object, if it exists and is public (what the public cannot see
    cannot be reported by it)."""
    model = model_for(kind)
    if model is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        return None
    if kind == "beitrag" and obj.status != Comment.Status.PUBLISHED:
        return None
    if kind == "vorschlag" and not obj.is_visible_to_public:
        return None
    if kind == "anzeigename" and not obj.is_active:
        return None
    item = reportable(obj)
    if item.consultation is not None and not item.consultation.live:
        return None
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
