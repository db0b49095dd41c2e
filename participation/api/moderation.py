"""The moderators' API: their queue, their decisions, and the public DSA record.

Moderation acts under personal mandates granted by the cooperative, so these endpoints
take a personal token with the scope `moderate`, ask the same `rules` permissions as the
moderation pages and call the same service; only the origin differs (a `TokenUse`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from cooperative.permissions import allowed
from participation.api.authentication import token_of
from participation.api.base import ApiView, ErrorSerializer
from participation.api.fields import MAX_ID, NO_NUL, StrictCharField, StrictIntegerField
from participation.api.links import Links
from participation.api.models import TokenScope
from participation.api.tokens import token_use_record
from participation.consultations.selectors import consultation_by_id
from participation.moderation import selectors
from participation.moderation.dsa import decision_sor_record
from participation.moderation.models import EXPLANATION_MAX_LENGTH, GroundType, ModerationDecision

ERR = ErrorSerializer
# The API's names for what the moderation pages call by their German URL kinds.
TARGET_KINDS = {
    "comment": "beitrag",
    "proposal": "vorschlag",
    "user": "anzeigename",
    "consultation": "beteiligung",
}
API_KIND = {kind: name for name, kind in TARGET_KINDS.items()} | {"option": "poll_option"}
PLATFORM = "platform"


def _check_moderator(request) -> None:
    """A personal token with the scope `moderate`, of a person holding some mandate."""
    token = token_of(request)
    if token is None:
        raise exceptions.NotAuthenticated(_("Moderation through the API needs an API token."))
    if not token.allows(TokenScope.MODERATE):
        raise exceptions.PermissionDenied(_("This token does not permit moderation."))
    if token.organisation_id is not None:
        raise exceptions.PermissionDenied(
            _("Moderation acts under personal mandates: please use a personal token.")
        )
    if not allowed(request.user, "participation_moderation.view_queue"):
        raise exceptions.PermissionDenied(
            _("Moderation is for holders of a moderation mandate; you hold none.")
        )


class QueueItemSerializer(serializers.Serializer):
    target_kind = serializers.ChoiceField(choices=sorted(API_KIND.values()))
    target_id = serializers.IntegerField()
    consultation = serializers.IntegerField(allow_null=True)
    consultation_title = serializers.CharField(allow_null=True)
    excerpt = serializers.CharField(allow_blank=True)
    reports = serializers.IntegerField(help_text="Open notices on the target.")
    independent_reports = serializers.IntegerField(
        help_text="Open notices from independent reporters (distinct people and addresses)."
    )
    illegal_content = serializers.BooleanField(help_text="A notice alleges illegal content.")
    pending = serializers.BooleanField(help_text="Waits for approval (pre-moderation).")
    awaiting_review = serializers.BooleanField(
        help_text="Hidden automatically after independent notices; waits for a human."
    )
    created_at = serializers.DateTimeField(allow_null=True)
    since = serializers.DateTimeField(help_text="The oldest notice, or since when it waits.")
    decide_url = serializers.URLField(help_text="The decision form on the platform.")
    decisions_url = serializers.URLField(help_text="Where to POST a decision on it.")


def _queue_row(queue_item, links: Links) -> dict:
    item = queue_item.item
    consultation = item.consultation
    return {
        "target_kind": API_KIND[item.kind],
        "target_id": item.obj.pk,
        "consultation": consultation.pk if consultation is not None else None,
        "consultation_title": consultation.title if consultation is not None else None,
        "excerpt": item.excerpt or "",
        "reports": len(queue_item.reports),
        "independent_reports": queue_item.independent,
        "illegal_content": queue_item.illegal,
        "pending": queue_item.pending,
        "awaiting_review": queue_item.automated is not None,
        "created_at": item.created_at,
        "since": queue_item.since,
        "decide_url": links.absolute(reverse("moderation_decide", args=[item.kind, item.obj.pk])),
        "decisions_url": links.api("moderation", "decisions"),
    }


class ModerationQueueView(ApiView):
    @extend_schema(
        operation_id="moderation_queue_list",
        responses={200: QueueItemSerializer(many=True), 401: ERR, 403: ERR},
        tags=["moderation"],
        description=(
            "What waits for you within your moderation mandates, most urgent first (token "
            "scope `moderate`). No personal data of reporters."
        ),
    )
    def get(self, request):
        _check_moderator(request)
        links = Links(request)
        rows = [_queue_row(item, links) for item in selectors.moderation_queue(request.user)]
        return Response(QueueItemSerializer(rows, many=True).data)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # The queue is personal: no shared cache may keep it (the base marks reads public).
        if response.status_code in (200, 304):
            response["Cache-Control"] = "private, no-store"
        return response


class DecisionWriteSerializer(serializers.Serializer):
    target_kind = serializers.ChoiceField(choices=sorted(TARGET_KINDS))
    target_id = StrictIntegerField()
    action = serializers.ChoiceField(choices=ModerationDecision.Action.values)
    facts = StrictCharField(max_length=EXPLANATION_MAX_LENGTH, validators=[NO_NUL])
    ground_type = serializers.ChoiceField(
        choices=["", *GroundType.values],
        required=False,
        default="",
        help_text="Empty only for decisions that lift a restriction.",
    )
    clause = StrictCharField(
        required=False, default="", allow_blank=True, max_length=20, validators=[NO_NUL]
    )
    legal_ground = StrictCharField(
        required=False, default="", allow_blank=True, max_length=60, validators=[NO_NUL]
    )
    ground_explanation = StrictCharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=EXPLANATION_MAX_LENGTH,
        validators=[NO_NUL],
    )
    end_date = serializers.DateTimeField(required=False, allow_null=True, default=None)
    scope = StrictCharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=20,
        help_text="For suspensions: `platform` or the id of a consultation.",
    )


class DecisionCreatedSerializer(serializers.Serializer):
    puid = serializers.UUIDField()
    url = serializers.URLField(help_text="The statement of reasons on the platform.")
    record = serializers.DictField(
        help_text="The decision as an EU DSA Transparency Database statement of reasons."
    )


def _target(kind: str, pk: int):
    target = selectors.moderation_target(kind, pk)
    if target is None:
        raise exceptions.NotFound(_("There is no object of this kind with this id."))
    return target


def _suspension_consultation(request, scope: str):
    """Where a suspension applies, if the mandate reaches it (None: the platform)."""
    if scope == PLATFORM:
        if not allowed(request.user, "participation_moderation.moderate"):
            raise exceptions.PermissionDenied(
                _("Suspending from the whole platform needs a platform mandate.")
            )
        return None
    known = scope.isascii() and scope.isdigit() and int(scope) <= MAX_ID
    page = consultation_by_id(int(scope)) if known else None
    if page is None:
        raise exceptions.ValidationError(
            {"scope": [_("Please give `platform` or the id of a consultation.")]}
        )
    if not allowed(request.user, "participation_moderation.moderate", page):
        raise exceptions.PermissionDenied(
            _("This consultation is outside your moderation mandate.")
        )
    return page


def _service_error(error: ValidationError) -> Response:
    if hasattr(error, "error_dict"):
        errors = {name: list(messages) for name, messages in error.message_dict.items()}
    else:
        errors = {"action": list(error.messages)}
    detail = " ".join(message for messages in errors.values() for message in messages)
    return Response({"detail": detail, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)


class ModerationDecisionsView(ApiView):
    @extend_schema(
        operation_id="moderation_decisions_create",
        request=DecisionWriteSerializer,
        responses={201: DecisionCreatedSerializer, 400: ERR, 401: ERR, 403: ERR, 404: ERR},
        tags=["moderation"],
        description=(
            "Decide on a contribution, a proposal, a consultation or a person (token scope "
            "`moderate`), within your mandates only, with its statement of reasons: the "
            "same rules, checks and effects as the decision form."
        ),
    )
    def post(self, request):
        _check_moderator(request)
        incoming = DecisionWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        kind = TARGET_KINDS[data["target_kind"]]
        target = _target(kind, data["target_id"])
        suspension_consultation = None
        if kind == "anzeigename":
            if not data["scope"]:
                raise exceptions.ValidationError(
                    {"scope": [_("A suspension needs its scope: `platform` or a consultation.")]}
                )
            suspension_consultation = _suspension_consultation(request, data["scope"])
        elif not allowed(request.user, "participation_moderation.add_moderationdecision", target):
            raise exceptions.PermissionDenied(_("This content is outside your moderation mandate."))
        from participation.moderation.services import decision_create

        try:
            with transaction.atomic():
                decision = decision_create(
                    moderator=request.user,
                    target=target,
                    action=data["action"],
                    facts=data["facts"],
                    ground_type=data["ground_type"],
                    clause=data["clause"],
                    legal_ground=data["legal_ground"],
                    ground_explanation=data["ground_explanation"],
                    end_date=data["end_date"],
                    suspension_consultation=suspension_consultation,
                )
                token_use_record(token=request.auth, action=TokenScope.MODERATE, target=target)
        except ValidationError as error:
            return _service_error(error)
        links = Links(request)
        return Response(
            {
                "puid": decision.puid,
                "url": links.absolute(decision.get_absolute_url()),
                "record": decision_sor_record(decision),
            },
            status=status.HTTP_201_CREATED,
        )


class ModerationDecisionDetailView(ApiView):
    @extend_schema(
        operation_id="moderation_decisions_retrieve",
        parameters=[OpenApiParameter("puid", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={200: OpenApiTypes.OBJECT, 401: ERR, 404: ERR},
        tags=["moderation"],
        description=(
            "A decision as a DSA Transparency Database statement of reasons: public, "
            "without personal data."
        ),
    )
    def get(self, request, puid):
        decision = selectors.decision_by_puid(puid)
        if decision is None:
            raise exceptions.NotFound(_("There is no decision with this id."))
        return Response(decision_sor_record(decision))
