"""Serializers for every public content type, and their registration.

Fields are declared for the OpenAPI schema; `to_representation` is written out by hand
because lists serialize hundreds of objects per request and DRF's generic field loop
costs several times as much. A test keeps each representation valid against the schema
(schemathesis validates every response).
"""

from __future__ import annotations

from rest_framework import serializers

from participation.api.links import links_of
from participation.api.registry import PublicContent, register
from participation.comments.models import Comment
from participation.consultations.models import ConsultationPage
from participation.polls.models import Poll
from participation.proposals.models import Proposal


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


class LinkSerializer(serializers.Serializer):
    """A related object: its id, its API resource and its HTML page."""

    id = serializers.IntegerField()
    api_url = serializers.URLField()
    url = serializers.URLField()


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    api_url = serializers.URLField()
    url = serializers.URLField(allow_null=True)


class TagSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


def organisation_ref(context, organisation) -> dict | None:
    if organisation is None:
        return None
    links = links_of(context)
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "api_url": links.api("organisations", organisation.pk),
        "url": links.organisation_page(organisation),
    }


def _tags(obj) -> list[dict]:
    return [{"slug": tag.slug, "name": tag.name} for tag in obj.tags.all()]


# --- Organisations -------------------------------------------------------------------


class OrganisationSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Always `organisation`.")
    id = serializers.IntegerField()
    url = serializers.URLField(allow_null=True, help_text="The organisation's page.")
    api_url = serializers.URLField()
    name = serializers.CharField()
    slug = serializers.CharField()
    kind = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    website = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    consultations_url = serializers.URLField()

    def to_representation(self, instance) -> dict:
        links = links_of(self.context)
        ref = organisation_ref(self.context, instance) or {}
        return {
            "type": "organisation",
            "id": instance.pk,
            "url": ref.get("url"),
            "api_url": ref.get("api_url"),
            "name": instance.name,
            "slug": instance.slug,
            "kind": instance.kind,
            "description": instance.description,
            "website": instance.website,
            "created_at": _iso(instance.created_at),
            "consultations_url": f"{links.api('consultations')}?organisation={instance.slug}",
        }


# --- Consultations -------------------------------------------------------------------


class PhaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    allows = serializers.ListField(
        child=serializers.CharField(), help_text="comment, vote, propose, support"
    )


def phase_data(phase) -> dict:
    return {
        "id": phase.pk,
        "kind": phase.kind,
        "title": phase.title or phase.kind,
        "description": phase.description,
        "starts_at": _iso(phase.starts_at),
        "ends_at": _iso(phase.ends_at),
        "allows": [
            action
            for action in ("comment", "vote", "propose", "support")
            if getattr(phase, f"allows_{action}")
        ],
    }


class ConsultationLinksSerializer(serializers.Serializer):
    comments = serializers.URLField()
    statements = serializers.URLField()
    proposals = serializers.URLField()
    polls = serializers.URLField()
    feed = serializers.URLField()
    calendar = serializers.URLField()
    results = serializers.URLField()
    export_json = serializers.URLField()
    export_csv = serializers.URLField()


class ConsultationSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Always `consultation`.")
    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The consultation's page.")
    api_url = serializers.URLField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    state = serializers.ChoiceField(choices=["upcoming", "open", "evaluation", "finished"])
    moderation_mode = serializers.CharField()
    organisation = OrganisationRefSerializer(allow_null=True)
    tags = TagSerializer(many=True)
    phases = PhaseSerializer(many=True)
    created_at = serializers.DateTimeField(allow_null=True, help_text="First published.")
    updated_at = serializers.DateTimeField(allow_null=True, help_text="Last published.")
    links = ConsultationLinksSerializer()

    def to_representation(self, instance) -> dict:
        links = links_of(self.context)
        phases = sorted(instance.phases.all(), key=lambda phase: phase.starts_at)
        state = getattr(instance, "state_value", None) or instance_state(instance, phases)
        pk = instance.pk
        return {
            "type": "consultation",
            "id": pk,
            "url": links.page(instance),
            "api_url": links.api("consultations", pk),
            "title": instance.title,
            "summary": instance.summary,
            "state": state,
            "moderation_mode": instance.moderation_mode,
            "organisation": organisation_ref(self.context, instance.organisation),
            "tags": _tags(instance),
            "phases": [phase_data(phase) for phase in phases],
            "created_at": _iso(instance.first_published_at),
            "updated_at": _iso(instance.last_published_at),
            "links": {
                "comments": links.api("consultations", pk, "comments"),
                "statements": f"{links.api('statements')}?consultation={pk}",
                "proposals": links.api("consultations", pk, "proposals"),
                "polls": links.api("consultations", pk, "polls"),
                "feed": links.route("feed_consultation_contributions", pk),
                "calendar": links.route("consultation_calendar", pk),
                "results": links.route("consultation_results", pk),
                "export_json": links.route("consultation_export", pk, "json"),
                "export_csv": links.route("consultation_export", pk, "csv"),
            },
        }


def instance_state(page, phases) -> str:
    from django.utils import timezone

    from participation.consultations.selectors import consultation_state

    return consultation_state(phases, timezone.now())


# --- Contributions -------------------------------------------------------------------


class AuthorSerializer(serializers.Serializer):
    display_name = serializers.CharField(help_text="The pseudonym; never a name or address.")


class TargetSerializer(serializers.Serializer):
    """What a contribution is about inside its consultation, when not the consultation."""

    kind = serializers.CharField(help_text="paragraph, proposal, ...")
    key = serializers.CharField(help_text="The paragraph's block id, the proposal's id, ...")


def comment_target(comment) -> dict | None:
    kind = getattr(comment, "target_kind", None)
    if kind is not None:
        return None if kind == "consultation" else {"kind": kind, "key": comment.target_key}
    type_id = getattr(comment, "target_type_id", None)
    if type_id is None:
        return None
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.get_for_id(type_id).model
    return {"kind": model, "key": str(comment.target_id)}


class CommentSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Always `comment`.")
    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The contribution on the consultation's page.")
    api_url = serializers.URLField()
    consultation = LinkSerializer()
    parent = serializers.IntegerField(allow_null=True)
    root = serializers.IntegerField(allow_null=True)
    depth = serializers.IntegerField()
    target = TargetSerializer(allow_null=True)
    author = AuthorSerializer(allow_null=True)
    body = serializers.CharField(help_text="As written (Markdown).")
    body_html = serializers.CharField(help_text="Rendered and sanitised.")
    is_official = serializers.BooleanField(help_text="An official statement (Stellungnahme).")
    organisation = OrganisationRefSerializer(allow_null=True, help_text="Of an official one.")
    origin = serializers.ChoiceField(choices=Comment.Origin.values)
    reply_count = serializers.IntegerField()
    agree_count = serializers.IntegerField()
    disagree_count = serializers.IntegerField()
    helpful_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, instance) -> dict:
        links = links_of(self.context)
        page = instance.consultation
        page_url = links.page(page)
        target = comment_target(instance)
        author = instance.author
        return {
            "type": "comment",
            "id": instance.pk,
            "url": f"{page_url}#comment-{instance.pk}",
            "api_url": links.api("comments", instance.pk),
            "consultation": {
                "id": page.pk,
                "api_url": links.api("consultations", page.pk),
                "url": page_url,
            },
            "parent": instance.parent_id,
            "root": instance.root_id,
            "depth": instance.depth,
            "target": target,
            "author": {"display_name": author.display_name} if author is not None else None,
            "body": instance.body,
            "body_html": instance.body_html,
            "is_official": instance.is_official,
            "organisation": organisation_ref(self.context, instance.organisation)
            if instance.is_official
            else None,
            "origin": instance.origin,
            "reply_count": instance.reply_count,
            "agree_count": instance.agree_count,
            "disagree_count": instance.disagree_count,
            "helpful_count": instance.helpful_count,
            "created_at": _iso(instance.created_at),
            "updated_at": _iso(instance.edited_at or instance.created_at),
        }


class FeedbackSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    text = serializers.CharField()
    organisation = serializers.CharField()
    created_at = serializers.DateTimeField()


class ProposalSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Always `proposal`.")
    id = serializers.IntegerField()
    url = serializers.URLField()
    api_url = serializers.URLField()
    consultation = LinkSerializer()
    author = AuthorSerializer(allow_null=True)
    title = serializers.CharField()
    body = serializers.CharField()
    body_html = serializers.CharField()
    location = serializers.CharField(allow_blank=True)
    tags = TagSerializer(many=True)
    status = serializers.CharField()
    support_count = serializers.IntegerField()
    comment_count = serializers.IntegerField()
    origin = serializers.CharField()
    feedback = FeedbackSerializer(many=True, help_text="Official answers, oldest first.")
    supports_url = serializers.URLField(help_text="POST here to support.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, instance) -> dict:
        links = links_of(self.context)
        page = instance.consultation
        author = instance.author
        return {
            "type": "proposal",
            "id": instance.pk,
            "url": links.route("proposal_detail", page.pk, instance.pk),
            "api_url": links.api("proposals", instance.pk),
            "consultation": {
                "id": page.pk,
                "api_url": links.api("consultations", page.pk),
                "url": links.page(page),
            },
            "author": {"display_name": author.display_name} if author is not None else None,
            "title": instance.title,
            "body": instance.body,
            "body_html": instance.body_html,
            "location": instance.location,
            "tags": _tags(instance),
            "status": instance.status,
            "support_count": instance.support_count,
            "comment_count": instance.comment_count,
            "origin": instance.origin,
            "feedback": [
                {
                    "id": feedback.pk,
                    "status": feedback.status,
                    "text": feedback.text,
                    "organisation": feedback.organisation.name,
                    "created_at": _iso(feedback.created_at),
                }
                for feedback in instance.feedback.all()
            ],
            "supports_url": links.api("proposals", instance.pk, "supports"),
            "created_at": _iso(instance.created_at),
            "updated_at": _iso(instance.updated_at),
        }


# --- Polls ---------------------------------------------------------------------------


class ChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class PollSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Always `poll`.")
    id = serializers.IntegerField()
    url = serializers.URLField()
    api_url = serializers.URLField()
    consultation = LinkSerializer()
    question = serializers.CharField()
    explanation = serializers.CharField(allow_blank=True)
    kind = serializers.ChoiceField(choices=Poll.Kind.values)
    max_choices = serializers.IntegerField(allow_null=True)
    scale_max = serializers.IntegerField()
    allow_other = serializers.BooleanField()
    allow_change = serializers.BooleanField()
    results_visibility = serializers.CharField()
    closes_at = serializers.DateTimeField(allow_null=True)
    is_closed = serializers.BooleanField()
    choices = ChoiceSerializer(many=True)
    votes_url = serializers.URLField(help_text="POST a vote here.")
    results_url = serializers.URLField(help_text="The results, once they are public.")
    created_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, instance) -> dict:
        links = links_of(self.context)
        page = instance.page
        page_url = links.page(page)
        return {
            "type": "poll",
            "id": instance.pk,
            "url": f"{page_url}#poll-{instance.pk}",
            "api_url": links.api("polls", instance.pk),
            "consultation": {
                "id": page.pk,
                "api_url": links.api("consultations", page.pk),
                "url": page_url,
            },
            "question": instance.question,
            "explanation": instance.explanation,
            "kind": instance.kind,
            "max_choices": instance.choice_limit,
            "scale_max": instance.scale_max,
            "allow_other": instance.allow_other,
            "allow_change": instance.allow_change,
            "results_visibility": instance.results_visibility,
            "closes_at": _iso(instance.closes_at),
            "is_closed": instance.is_closed(),
            "choices": [{"id": c.pk, "text": c.text} for c in instance.choices.all()],
            "votes_url": links.api("polls", instance.pk, "votes"),
            "results_url": links.route("consultation_results", page.pk),
            "created_at": _iso(page.first_published_at),
            "updated_at": _iso(page.last_published_at),
        }


# --- Registration --------------------------------------------------------------------


def _public_comments(page):
    from participation.api.selectors import public_comments

    return public_comments(page)


def _public_proposals(page):
    from participation.api.selectors import public_proposals

    return public_proposals(page)


def _public_polls(page):
    from participation.api.selectors import public_polls

    return public_polls(page)


def _author(row: dict) -> str:
    return (row.get("author") or {}).get("display_name", "")


register(
    PublicContent(
        name="consultation",
        model=ConsultationPage,
        serializer=ConsultationSerializer,
        csv_columns=(
            ("id", lambda r: r["id"]),
            ("url", lambda r: r["url"]),
            ("title", lambda r: r["title"]),
            ("state", lambda r: r["state"]),
            ("organisation", lambda r: (r["organisation"] or {}).get("name", "")),
            ("tags", lambda r: ",".join(t["slug"] for t in r["tags"])),
            ("created_at", lambda r: r["created_at"]),
            ("updated_at", lambda r: r["updated_at"]),
        ),
    )
)
register(
    PublicContent(
        name="comment",
        model=Comment,
        serializer=CommentSerializer,
        of_consultation=_public_comments,
        csv_columns=(
            ("id", lambda r: r["id"]),
            ("url", lambda r: r["url"]),
            ("consultation", lambda r: r["consultation"]["id"]),
            ("parent", lambda r: r["parent"] or ""),
            ("author", _author),
            ("official", lambda r: r["is_official"]),
            ("organisation", lambda r: (r["organisation"] or {}).get("name", "")),
            ("origin", lambda r: r["origin"]),
            ("text", lambda r: r["body"]),
            ("created_at", lambda r: r["created_at"]),
            ("updated_at", lambda r: r["updated_at"]),
        ),
    )
)
register(
    PublicContent(
        name="proposal",
        model=Proposal,
        serializer=ProposalSerializer,
        of_consultation=_public_proposals,
        csv_columns=(
            ("id", lambda r: r["id"]),
            ("url", lambda r: r["url"]),
            ("consultation", lambda r: r["consultation"]["id"]),
            ("author", _author),
            ("title", lambda r: r["title"]),
            ("text", lambda r: r["body"]),
            ("status", lambda r: r["status"]),
            ("supports", lambda r: r["support_count"]),
            ("tags", lambda r: ",".join(t["slug"] for t in r["tags"])),
            ("created_at", lambda r: r["created_at"]),
            ("updated_at", lambda r: r["updated_at"]),
        ),
    )
)
register(
    PublicContent(
        name="poll",
        model=Poll,
        serializer=PollSerializer,
        of_consultation=_public_polls,
        csv_columns=(
            ("id", lambda r: r["id"]),
            ("url", lambda r: r["url"]),
            ("consultation", lambda r: r["consultation"]["id"]),
            ("question", lambda r: r["question"]),
            ("kind", lambda r: r["kind"]),
            ("options", lambda r: " | ".join(c["text"] for c in r["choices"])),
            ("closed", lambda r: r["is_closed"]),
        ),
    )
)
