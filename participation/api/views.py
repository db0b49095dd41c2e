"""The REST API, version 1: public reads and the back channel's writes.

Reads need no token and serve public content only. Writes need a token whose scope
permits the action and, for an organisation token, a consultation of that organisation;
then they take exactly the web form's path: the same `rules` permission, the same rate
limits (shared with the form, per person and per address), the same service, so the
same moderation, live events and feeds. Only the origin differs (`api`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from cooperative.permissions import allowed
from participation.api import selectors
from participation.api.authentication import HasToken, check_token_scope
from participation.api.base import ApiView, ErrorSerializer, api_language, page_of
from participation.api.content import (
    CommentSerializer,
    ConsultationSerializer,
    OrganisationSerializer,
    PollSerializer,
    ProposalSerializer,
)
from participation.api.fields import (
    NO_NUL,
    MinTextValidator,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    StrictListField,
)
from participation.api.links import Links
from participation.api.models import TokenScope
from participation.api.params import UPDATED_SINCE, Param, list_parameters
from participation.api.tokens import token_use_record
from participation.comments.models import BODY_MAX_LENGTH as COMMENT_MAX
from participation.comments.models import Comment
from participation.comments.selectors import comment_for_user
from participation.comments.services import comment_create
from participation.consultations.models import ConsultationState
from participation.contributions import ratelimit
from participation.gate.policy import ContributionRefused
from participation.polls.models import OTHER_MAX_LENGTH
from participation.polls.services import VoteRefused, poll_vote_cast
from participation.proposals import models as proposal_models
from participation.proposals.models import ProposalStatus
from participation.proposals.refusals import change_refusal, withdraw_refusal
from participation.proposals.services import (
    proposal_create,
    proposal_edit,
    proposal_support,
    proposal_withdraw,
)

ERR = ErrorSerializer
READ_ERRORS = {400: ERR, 401: ERR, 404: ERR}  # 401: a token was sent and is not valid
WRITE_ERRORS = {400: ERR, 401: ERR, 403: ERR, 404: ERR, 409: ERR, 429: ERR}


def _page_of(serializer_class, objects, view) -> list:
    return serializer_class(objects, many=True, context=view.serializer_context()).data


def _not_found():
    return exceptions.NotFound(_("There is no public object with this id."))


# --- Root ----------------------------------------------------------------------------


class ApiRootSerializer(serializers.Serializer):
    organisations = serializers.URLField()
    consultations = serializers.URLField()
    statements = serializers.URLField()
    schema = serializers.URLField()
    docs = serializers.URLField()
    feeds = serializers.URLField()
    catalogue = serializers.URLField()


class ApiRootView(ApiView):
    @extend_schema(
        operation_id="api_root", responses={200: ApiRootSerializer, 401: ERR}, tags=["api"]
    )
    def get(self, request):
        links = Links(request)
        return Response(
            {
                "organisations": links.api("organisations"),
                "consultations": links.api("consultations"),
                "statements": links.api("statements"),
                "schema": links.absolute(reverse("api_schema")),
                "docs": links.absolute(reverse("api_docs")),
                "feeds": links.route("feed_consultations"),
                "catalogue": links.absolute(reverse("open_data_catalogue", args=["ttl"])),
            }
        )


# --- Organisations -------------------------------------------------------------------


class OrganisationListView(ApiView):
    paginated = True
    ordering = "pk"

    @extend_schema(
        operation_id="organisations_list",
        parameters=list_parameters(()),
        responses={200: page_of(OrganisationSerializer), **READ_ERRORS},
        tags=["organisations"],
    )
    def get(self, request):
        self.query(request)
        page = self.paginate(request, selectors.public_organisations())
        return self.paginated_response(_page_of(OrganisationSerializer, page, self))


class OrganisationDetailView(ApiView):
    @extend_schema(
        operation_id="organisations_retrieve",
        responses={200: OrganisationSerializer, **READ_ERRORS},
        tags=["organisations"],
    )
    def get(self, request, pk: int):
        organisation = selectors.public_organisations().filter(pk=pk).first()
        if organisation is None:
            raise _not_found()
        data = OrganisationSerializer(organisation, context=self.serializer_context()).data
        return Response(data)


# --- Consultations -------------------------------------------------------------------

STATE = Param("state", "enum", "Only consultations in this state.", tuple(ConsultationState.values))
ORGANISATION = Param("organisation", "slug", "Only consultations of this organisation (slug).")
TAG = Param("tag", "slug", "Only objects with this topic (tag slug).")


class ConsultationListView(ApiView):
    paginated = True
    params = (STATE, ORGANISATION, TAG, UPDATED_SINCE)

    @extend_schema(
        operation_id="consultations_list",
        parameters=list_parameters(params),
        responses={200: page_of(ConsultationSerializer), **READ_ERRORS},
        tags=["consultations"],
    )
    def get(self, request):
        query = self.query(request)
        queryset: Any = selectors.public_consultations(with_states="state" in query)
        if "state" in query:
            queryset = queryset.filter(state_value=query["state"])
        if "organisation" in query:
            index = selectors.organisation_area(query["organisation"])
            queryset = queryset.child_of(index) if index is not None else queryset.none()
        if "tag" in query:
            queryset = queryset.filter(tags__slug=query["tag"]).distinct()
        if "updated_since" in query:
            queryset = queryset.filter(last_published_at__gte=query["updated_since"])
        pages = self.paginate(request, queryset)
        selectors.attach_areas(pages)
        return self.paginated_response(_page_of(ConsultationSerializer, pages, self))


class ConsultationDetailView(ApiView):
    @extend_schema(
        operation_id="consultations_retrieve",
        responses={200: ConsultationSerializer, **READ_ERRORS},
        tags=["consultations"],
    )
    def get(self, request, pk: int):
        page = selectors.public_consultation(pk)
        if page is None:
            raise _not_found()
        self.last_modified = page.last_published_at
        return Response(ConsultationSerializer(page, context=self.serializer_context()).data)


# --- Contributions -------------------------------------------------------------------


class CommentWriteSerializer(serializers.Serializer):
    body = StrictCharField(
        max_length=COMMENT_MAX,
        validators=[MinTextValidator(2)],
        help_text="The contribution (Markdown: **bold**, *italic*, links, lists).",
    )
    parent = StrictIntegerField(required=False, help_text="Answer this contribution.")
    official = StrictBooleanField(
        required=False,
        default=False,
        help_text="An official statement of the consultation's organisation (its speakers only).",
    )


HOLD_REASON_HELP = (
    "Why it waits for approval (pre-moderation by the moderation, calm mode for young "
    "accounts), in the request's language; empty when it is published at once or the "
    "consultation is pre-moderated as a rule."
)


class CommentCreatedSerializer(CommentSerializer):
    status = serializers.ChoiceField(
        choices=["published", "pending"],
        help_text="`pending` in pre-moderated consultations until a moderator approves.",
    )
    hold_reason = serializers.CharField(allow_blank=True, help_text=HOLD_REASON_HELP)

    def to_representation(self, instance) -> dict:
        return {
            **super().to_representation(instance),
            "status": instance.status,
            "hold_reason": getattr(instance, "hold_reason", ""),
        }


class ProposalCreatedSerializer(ProposalSerializer):
    moderation_status = serializers.ChoiceField(
        choices=["visible", "pending"],
        help_text="`pending` while the proposal waits for approval by the moderation.",
    )
    hold_reason = serializers.CharField(allow_blank=True, help_text=HOLD_REASON_HELP)

    def to_representation(self, instance) -> dict:
        return {
            **super().to_representation(instance),
            "moderation_status": instance.moderation_status,
            "hold_reason": getattr(instance, "hold_reason", ""),
        }


def _refused(refusal: ContributionRefused) -> exceptions.APIException:
    """The gate's refusal as the web form gives it: slow mode is a 429 with Retry-After
    (DRF sets the header from `wait`), a suspension or a locked thread a 403."""
    message = " ".join(refusal.messages)
    if refusal.retry_after:
        return exceptions.Throttled(wait=refusal.retry_after, detail=message)
    return exceptions.PermissionDenied(message)


OFFICIAL = Param("official", "bool", "Only official statements (true) or only others (false).")


class ConsultationCommentsView(ApiView):
    paginated = True
    ordering = "pk"
    default_page_size = 50
    params = (UPDATED_SINCE, OFFICIAL)

    def get_permissions(self):
        return [HasToken()] if self.request.method == "POST" else [AllowAny()]

    @extend_schema(
        operation_id="consultation_comments_list",
        parameters=list_parameters(params),
        responses={200: page_of(CommentSerializer), **READ_ERRORS},
        tags=["contributions"],
        description="The published contributions of a consultation, oldest first, with replies.",
    )
    def get(self, request, pk: int):
        query = self.query(request)
        page = selectors.public_consultation(pk, lean=True)
        if page is None:
            raise _not_found()
        comments = selectors.public_comments(page)
        if "updated_since" in query:
            since = query["updated_since"]
            comments = comments.filter(created_at__gte=since) | comments.filter(
                edited_at__gte=since
            )
        if "official" in query:
            comments = comments.filter(is_official=query["official"])
        rows = self.paginate(request, comments)
        for comment in rows:
            comment.consultation = page
        return self.paginated_response(_page_of(CommentSerializer, rows, self))

    @extend_schema(
        operation_id="consultation_comments_create",
        request=CommentWriteSerializer,
        responses={201: CommentCreatedSerializer, **WRITE_ERRORS},
        tags=["contributions"],
        description=(
            "Post a contribution through the back channel (needs a token with the scope "
            "`comment`). The same permissions, rate limits and moderation as the web form; "
            "in a pre-moderated consultation the answer's status is `pending`."
        ),
    )
    def post(self, request, pk: int):
        page = selectors.public_consultation(pk)
        if page is None:
            raise _not_found()
        check_token_scope(request, TokenScope.COMMENT, page.organisation)
        user = request.user
        if not allowed(user, "participation_comments.add_comment", page):
            phase = page.current_phase()
            if phase is None or not phase.allows("comment"):
                raise exceptions.PermissionDenied(
                    _("Contributions are not possible in the current phase of this consultation.")
                )
            raise exceptions.PermissionDenied(_("You cannot write contributions here."))
        incoming = CommentWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if data.get("official") and not allowed(
            user, "participation_comments.add_official_comment", page
        ):
            raise exceptions.PermissionDenied(
                _("Only speakers of the organisation can publish official statements.")
            )
        parent = None
        if data.get("parent"):
            parent = comment_for_user(user, page, data["parent"])
            if parent is None or parent.status != Comment.Status.PUBLISHED:
                return Response(
                    {"detail": _("The contribution you wanted to answer no longer exists.")},
                    status=status.HTTP_409_CONFLICT,
                )
        exceeded = ratelimit.action_hit("comment", request)
        if exceeded:
            raise exceptions.Throttled(
                wait=exceeded.retry_after,
                detail=_(
                    "You are writing very quickly. Please wait %(seconds)d seconds and send again; "
                    "your text is kept."
                )
                % {"seconds": exceeded.retry_after},
            )
        try:
            with transaction.atomic():
                comment = comment_create(
                    author=user,
                    consultation=page,
                    body=data["body"],
                    parent=parent,
                    official=data.get("official", False),
                    origin=Comment.Origin.API,
                )
                token_use_record(token=request.auth, action=TokenScope.COMMENT, target=comment)
        except ContributionRefused as refusal:
            raise _refused(refusal) from None
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"body": error.messages}) from None
        comment.consultation = page
        body = CommentCreatedSerializer(comment, context=self.serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["api_url"]})


class CommentDetailView(ApiView):
    @extend_schema(
        operation_id="comments_retrieve",
        responses={200: CommentSerializer, **READ_ERRORS},
        tags=["contributions"],
    )
    def get(self, request, pk: int):
        comment = selectors.public_comment(pk)
        if comment is None:
            raise _not_found()
        self.last_modified = comment.edited_at or comment.created_at
        return Response(CommentSerializer(comment, context=self.serializer_context()).data)


CONSULTATION = Param(
    "consultation", "int", "Only statements in this consultation.", maximum=2**31 - 1
)


class StatementListView(ApiView):
    paginated = True
    params = (CONSULTATION, ORGANISATION, UPDATED_SINCE)

    @extend_schema(
        operation_id="statements_list",
        parameters=list_parameters(params),
        responses={200: page_of(CommentSerializer), **READ_ERRORS},
        tags=["contributions"],
        description="Official statements (Stellungnahmen) of organisations, newest first.",
    )
    def get(self, request):
        query = self.query(request)
        statements = selectors.public_statements()
        if "consultation" in query:
            statements = statements.filter(consultation_id=query["consultation"])
        if "organisation" in query:
            statements = statements.filter(organisation__slug=query["organisation"])
        if "updated_since" in query:
            statements = statements.filter(created_at__gte=query["updated_since"])
        rows = self.paginate(request, statements)
        selectors.attach_areas([row.consultation for row in rows])
        return self.paginated_response(_page_of(CommentSerializer, rows, self))


# --- Proposals -----------------------------------------------------------------------


class ProposalWriteSerializer(serializers.Serializer):
    title = StrictCharField(
        max_length=proposal_models.TITLE_MAX_LENGTH, validators=[MinTextValidator(3)]
    )
    body = StrictCharField(
        max_length=proposal_models.BODY_MAX_LENGTH, validators=[MinTextValidator(10)]
    )
    tags = StrictListField(
        child=StrictCharField(max_length=50, validators=[MinTextValidator(1)]),
        required=False,
        max_length=5,
        help_text="At most five topics.",
    )
    location = StrictCharField(
        max_length=proposal_models.LOCATION_MAX_LENGTH,
        required=False,
        allow_blank=True,
        validators=[NO_NUL],
    )


STATUS = Param("status", "enum", "Only proposals with this status.", tuple(ProposalStatus.values))


class ConsultationProposalsView(ApiView):
    paginated = True
    params = (STATUS, TAG, UPDATED_SINCE)

    def get_permissions(self):
        return [HasToken()] if self.request.method == "POST" else [AllowAny()]

    @extend_schema(
        operation_id="consultation_proposals_list",
        parameters=list_parameters(params),
        responses={200: page_of(ProposalSerializer), **READ_ERRORS},
        tags=["proposals"],
    )
    def get(self, request, pk: int):
        query = self.query(request)
        page = selectors.public_consultation(pk, lean=True)
        if page is None:
            raise _not_found()
        proposals = selectors.public_proposals(page)
        if "status" in query:
            proposals = proposals.filter(status=query["status"])
        if "tag" in query:
            proposals = proposals.filter(tags__slug=query["tag"]).distinct()
        if "updated_since" in query:
            proposals = proposals.filter(updated_at__gte=query["updated_since"])
        rows = self.paginate(request, proposals)
        for proposal in rows:
            proposal.consultation = page
        return self.paginated_response(_page_of(ProposalSerializer, rows, self))

    @extend_schema(
        operation_id="consultation_proposals_create",
        request=ProposalWriteSerializer,
        responses={201: ProposalCreatedSerializer, **WRITE_ERRORS},
        tags=["proposals"],
        description="Submit a proposal through the back channel (token scope `propose`).",
    )
    def post(self, request, pk: int):
        page = selectors.public_consultation(pk)
        if page is None:
            raise _not_found()
        check_token_scope(request, TokenScope.PROPOSE, page.organisation)
        if not allowed(request.user, "participation_proposals.add_proposal", page):
            phase = page.current_phase()
            if phase is None or not phase.allows("propose"):
                raise exceptions.PermissionDenied(
                    _("Proposals cannot be submitted in the current phase of this consultation.")
                )
            raise exceptions.PermissionDenied(_("You cannot submit proposals here."))
        incoming = ProposalWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        exceeded = ratelimit.action_hit("proposal", request)
        if exceeded:
            raise exceptions.Throttled(
                wait=exceeded.retry_after,
                detail=_(
                    "You are submitting very quickly. Please wait %(seconds)d seconds and send "
                    "again; your text is kept."
                )
                % {"seconds": exceeded.retry_after},
            )
        try:
            with transaction.atomic():
                proposal = proposal_create(
                    author=request.user,
                    consultation=page,
                    title=data["title"],
                    body=data["body"],
                    tags=data.get("tags", []),
                    location=data.get("location", ""),
                    origin=proposal_models.Proposal.Origin.API,
                )
                token_use_record(token=request.auth, action=TokenScope.PROPOSE, target=proposal)
        except ContributionRefused as refusal:
            raise _refused(refusal) from None
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"non_field_errors": error.messages}) from None
        # A proposal waiting for approval is not public yet; its author gets it all the same.
        fresh = selectors.own_new_proposal(page, proposal.pk, request.user)
        fresh.hold_reason = proposal.hold_reason
        body = ProposalCreatedSerializer(fresh, context=self.serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["api_url"]})


class ProposalPatchSerializer(ProposalWriteSerializer):
    """The fields to change; those left out keep their value."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, partial=True, **kwargs)


def _own_proposal_for_write(request, pk: int, permission: str):
    """The proposal a back-channel write of its author concerns, after the token's scope
    and the `rules` permission; the refusal in the words of the web page otherwise."""
    proposal = selectors.writable_proposal(pk, request.user)
    if proposal is None:
        raise _not_found()
    check_token_scope(request, TokenScope.PROPOSE, proposal.consultation.organisation)
    if not allowed(request.user, permission, proposal):
        refusal = change_refusal if permission.endswith("change_proposal") else withdraw_refusal
        raise exceptions.PermissionDenied(refusal(request.user, proposal))
    return proposal


class ProposalDetailView(ApiView):
    def get_permissions(self):
        return [HasToken()] if self.request.method == "PATCH" else [AllowAny()]

    @extend_schema(
        operation_id="proposals_retrieve",
        responses={200: ProposalSerializer, **READ_ERRORS},
        tags=["proposals"],
    )
    def get(self, request, pk: int):
        proposal = selectors.public_proposal(pk)
        if proposal is None:
            raise _not_found()
        self.last_modified = proposal.updated_at
        return Response(ProposalSerializer(proposal, context=self.serializer_context()).data)

    @extend_schema(
        operation_id="proposals_partial_update",
        request=ProposalPatchSerializer,
        responses={200: ProposalCreatedSerializer, **WRITE_ERRORS},
        tags=["proposals"],
        description=(
            "Its author changes a proposal (token scope `propose`): while the phase allows "
            "proposals, until someone supports it or the organisation answers it. The change "
            "passes the same moderation as a new proposal: where new proposals wait for "
            "approval, the changed one waits again (`moderation_status` `pending`)."
        ),
    )
    def patch(self, request, pk: int):
        proposal = _own_proposal_for_write(request, pk, "participation_proposals.change_proposal")
        incoming = ProposalPatchSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        exceeded = ratelimit.action_hit("proposal", request)
        if exceeded:
            raise exceptions.Throttled(
                wait=exceeded.retry_after,
                detail=_(
                    "You are submitting very quickly. Please wait %(seconds)d seconds and send "
                    "again; your text is kept."
                )
                % {"seconds": exceeded.retry_after},
            )
        try:
            with transaction.atomic():
                proposal = proposal_edit(
                    proposal=proposal,
                    title=data.get("title", proposal.title),
                    body=data.get("body", proposal.body),
                    tags=data.get("tags", [tag.name for tag in proposal.tags.all()]),
                    location=data.get("location", proposal.location),
                )
                token_use_record(token=request.auth, action=TokenScope.PROPOSE, target=proposal)
        except ContributionRefused as refusal:
            raise _refused(refusal) from None
        except DjangoValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        fresh = selectors.own_new_proposal(proposal.consultation, proposal.pk, request.user)
        fresh.hold_reason = proposal.hold_reason
        return Response(ProposalCreatedSerializer(fresh, context=self.serializer_context()).data)


class ProposalWithdrawalView(ApiView):
    permission_classes = [HasToken]

    @extend_schema(
        operation_id="proposal_withdrawal_create",
        request=None,
        responses={200: ProposalCreatedSerializer, **WRITE_ERRORS},
        tags=["proposals"],
        description=(
            "Its author withdraws a proposal (token scope `propose`), in any phase until the "
            "organisation answers it. It stays public with the status `withdrawn` and can no "
            "longer be supported; its supporters and followers are notified."
        ),
    )
    def post(self, request, pk: int):
        proposal = _own_proposal_for_write(request, pk, "participation_proposals.withdraw_proposal")
        try:
            with transaction.atomic():
                proposal_withdraw(proposal=proposal)
                token_use_record(token=request.auth, action=TokenScope.PROPOSE, target=proposal)
        except DjangoValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        fresh = selectors.own_new_proposal(proposal.consultation, proposal.pk, request.user)
        return Response(ProposalCreatedSerializer(fresh, context=self.serializer_context()).data)


class SupportResultSerializer(serializers.Serializer):
    proposal = serializers.IntegerField()
    support_count = serializers.IntegerField()
    detail = serializers.CharField()


class ProposalSupportsView(ApiView):
    permission_classes = [HasToken]

    @extend_schema(
        operation_id="proposal_supports_create",
        request=None,
        responses={201: SupportResultSerializer, **WRITE_ERRORS},
        tags=["proposals"],
        description="Support a proposal (token scope `support`); once per person.",
    )
    def post(self, request, pk: int):
        proposal = selectors.public_proposal(pk)
        if proposal is None:
            raise _not_found()
        check_token_scope(request, TokenScope.SUPPORT, proposal.consultation.organisation)
        if not allowed(request.user, "participation_proposals.support_proposal", proposal):
            if proposal.author_id == request.user.pk:
                raise exceptions.PermissionDenied(_("You cannot support your own proposal."))
            raise exceptions.PermissionDenied(
                _("Proposals cannot be supported in the current phase.")
            )
        exceeded = ratelimit.action_hit("support", request)
        if exceeded:
            raise exceptions.Throttled(
                wait=exceeded.retry_after,
                detail=_("Too many requests. Please wait %(seconds)d seconds.")
                % {"seconds": exceeded.retry_after},
            )
        from django.core.exceptions import ValidationError

        try:
            with transaction.atomic():
                count = proposal_support(user=request.user, proposal=proposal)
                token_use_record(token=request.auth, action=TokenScope.SUPPORT, target=proposal)
        except ValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        return Response(
            {
                "proposal": proposal.pk,
                "support_count": count,
                "detail": _("Thank you for your support."),
            },
            status=status.HTTP_201_CREATED,
        )


# --- Polls ---------------------------------------------------------------------------


class ConsultationPollsView(ApiView):
    @extend_schema(
        operation_id="consultation_polls_list",
        responses={200: PollSerializer(many=True), **READ_ERRORS},
        tags=["polls"],
    )
    def get(self, request, pk: int):
        page = selectors.public_consultation(pk)
        if page is None:
            raise _not_found()
        polls = selectors.public_polls(page)
        return Response(_page_of(PollSerializer, polls, self))


class PollDetailView(ApiView):
    @extend_schema(
        operation_id="polls_retrieve",
        responses={200: PollSerializer, **READ_ERRORS},
        tags=["polls"],
    )
    def get(self, request, pk: int):
        poll = selectors.public_poll(pk)
        if poll is None:
            raise _not_found()
        return Response(PollSerializer(poll, context=self.serializer_context()).data)


class RankSerializer(serializers.Serializer):
    choice = StrictIntegerField()
    rank = StrictIntegerField(max_value=1000)


class RatingSerializer(serializers.Serializer):
    choice = StrictIntegerField()
    rating = StrictIntegerField(max_value=1000)


class VoteWriteSerializer(serializers.Serializer):
    choices = StrictListField(
        child=StrictIntegerField(),
        required=False,
        max_length=100,
        help_text="Single and multiple choice: the ids of the chosen options.",
    )
    ranks = StrictListField(
        child=RankSerializer(),
        required=False,
        max_length=100,
        help_text="Ranking: every option with its place (1 = first).",
    )
    ratings = StrictListField(
        child=RatingSerializer(),
        required=False,
        max_length=100,
        help_text="Rating: options with their rating (1 to the poll's scale_max).",
    )
    other_text = StrictCharField(
        max_length=OTHER_MAX_LENGTH,
        required=False,
        allow_blank=True,
        validators=[NO_NUL],
        help_text="An answer of one's own, where the poll allows it.",
    )


class VoteResultSerializer(serializers.Serializer):
    poll = serializers.IntegerField()
    created = serializers.BooleanField(help_text="False when an earlier vote was changed.")
    detail = serializers.CharField()


class PollVotesView(ApiView):
    permission_classes = [HasToken]

    @extend_schema(
        operation_id="poll_votes_create",
        request=VoteWriteSerializer,
        responses={
            201: VoteResultSerializer,
            200: OpenApiResponse(VoteResultSerializer, description="An earlier vote changed."),
            **WRITE_ERRORS,
        },
        tags=["polls"],
        description=(
            "Vote in a poll (token scope `vote`). 409 when the ballot does not fit the poll "
            "(unknown options, too many, places missing) or the person has voted already."
        ),
    )
    def post(self, request, pk: int):
        poll = selectors.public_poll(pk)
        if poll is None:
            raise _not_found()
        check_token_scope(request, TokenScope.VOTE, poll.page.organisation)
        if not allowed(request.user, "participation_polls.vote_poll", poll):
            if poll.is_closed():
                reason = _("This poll has closed; votes can no longer be cast or changed.")
            else:
                phase = poll.page.current_phase()
                reason = (
                    _("Voting is not possible in the current phase of this consultation.")
                    if phase is None or not phase.allows("vote")
                    else _("You cannot vote in this poll.")
                )
            raise exceptions.PermissionDenied(reason)
        incoming = VoteWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        exceeded = ratelimit.action_hit("vote", request)
        if exceeded:
            raise exceptions.Throttled(
                wait=exceeded.retry_after,
                detail=_(
                    "Too many votes in a short time. Please wait %(seconds)d seconds and send "
                    "again."
                )
                % {"seconds": exceeded.retry_after},
            )
        ranks = {item["choice"]: item["rank"] for item in data.get("ranks", [])}
        ratings = {item["choice"]: item["rating"] for item in data.get("ratings", [])}
        try:
            with transaction.atomic():
                vote, created = poll_vote_cast(
                    user=request.user,
                    poll=poll,
                    choices=data.get("choices", []),
                    ranks=ranks or None,
                    ratings=ratings or None,
                    other_text=data.get("other_text", ""),
                )
                token_use_record(token=request.auth, action=TokenScope.VOTE, target=vote)
        except VoteRefused as refused:
            code = status.HTTP_403_FORBIDDEN if refused.code == "closed" else 409
            return Response({"detail": " ".join(refused.messages)}, status=code)
        message = _("Your vote has been counted.") if created else _("Your vote has been changed.")
        return Response(
            {"poll": poll.pk, "created": created, "detail": message},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@csrf_exempt
def api_not_found(request, rest: str = ""):
    language = api_language(request)
    with translation.override(language):
        response = JsonResponse({"detail": _("There is no such API resource.")}, status=404)
    response["Content-Language"] = language
    return response
