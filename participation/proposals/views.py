from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from taggit.utils import edit_string_for_tags

from cooperative.accounts.second_factor import second_factor_required
from cooperative.permissions import allowed
from participation.consultations.selectors import consultation_for_user
from participation.contributions import ratelimit
from participation.gate.policy import ContributionRefused, contribution_gate
from participation.notifications.services import follow_create, follow_delete
from participation.proposals.context import proposal_detail_context, proposal_list_context
from participation.proposals.forms import (
    FeedbackForm,
    FollowForm,
    ProposalForm,
    ProposalQueryForm,
    SupportForm,
)
from participation.proposals.models import ModerationStatus, Proposal
from participation.proposals.refusals import change_refusal, withdraw_refusal
from participation.proposals.selectors import proposal_for_user, proposal_list_page
from participation.proposals.services import (
    proposal_answer,
    proposal_create,
    proposal_edit,
    proposal_support,
    proposal_support_withdraw,
    proposal_withdraw,
)
from participation.proposals.targets import proposal_target


def _consultation_or_404(request, consultation_id: int):
    consultation = consultation_for_user(request.user, consultation_id)
    if consultation is None:
        raise Http404
    return consultation


def _proposal_or_404(request, consultation, proposal_id: int) -> Proposal:
    proposal = proposal_for_user(request.user, consultation, proposal_id)
    if proposal is None:
        raise Http404
    return proposal


def _denied(request, consultation, message: str, *, proposal=None):
    return render(
        request,
        "participation_proposals/proposal_denied.html",
        {"consultation": consultation, "proposal": proposal, "message": message},
        status=403,
    )


def _closed_reason(consultation) -> str:
    phase = consultation.current_phase()
    if phase is None or not phase.allows("propose"):
        return _("Proposals cannot be submitted in the current phase of this consultation.")
    return _("You cannot submit proposals here.")


@require_GET
def proposal_list_view(request, consultation_id: int):
    consultation = _consultation_or_404(request, consultation_id)
    query = ProposalQueryForm(request.GET)
    query.is_valid()
    data = query.cleaned_data
    listing = proposal_list_page(
        request.user,
        consultation,
        sort=data.get("sort") or "",
        status=data.get("status") or "",
        tag=data.get("tag") or "",
        page_number=data.get("page") or 1,
    )
    return render(
        request,
        "participation_proposals/proposal_list.html",
        proposal_list_context(request, consultation, listing),
    )


@require_http_methods(["GET", "POST"])
def proposal_create_view(request, consultation_id: int):
    consultation = _consultation_or_404(request, consultation_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = ProposalForm(request.POST or None)
    can_propose = allowed(request.user, "participation_proposals.add_proposal", consultation)
    status = 200
    retry_after = 0
    # Why the form is closed: not an error of the form, which a GET leaves unbound.
    refusal = "" if can_propose else _closed_reason(consultation)
    if not can_propose:
        status = 403
    elif request.method == "POST" and form.is_valid():
        exceeded = ratelimit.action_hit("proposal", request)
        if exceeded:
            form.add_error(
                None,
                _(
                    "You are submitting very quickly. Please wait %(seconds)d seconds and send "
                    "again; your text is kept."
                )
                % {"seconds": exceeded.retry_after},
            )
            status = 429
            retry_after = exceeded.retry_after
        else:
            try:
                with transaction.atomic():
                    proposal = proposal_create(
                        author=request.user,
                        consultation=consultation,
                        title=form.cleaned_data["title"],
                        body=form.cleaned_data["body"],
                        tags=form.cleaned_data["tags"],
                        location=form.cleaned_data["location"],
                    )
            except ContributionRefused as refused:
                form.add_error(None, refused)
                if refused.retry_after:
                    # Slow mode: the author may send again after the wait; the text is kept.
                    status = 429
                    retry_after = refused.retry_after
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if proposal.moderation_status == ModerationStatus.PENDING:
                    messages.info(
                        request,
                        proposal.hold_reason
                        or _(
                            "Thank you. Your proposal will appear once the moderators have "
                            "checked it."
                        ),
                    )
                else:
                    messages.success(request, _("Your proposal has been submitted."))
                return redirect(proposal.get_absolute_url())
    if request.method == "POST" and status == 200:
        status = 422
    response = render(
        request,
        "participation_proposals/proposal_form.html",
        {
            "consultation": consultation,
            "form": form,
            "can_propose": can_propose,
            "refusal": refusal,
        },
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_GET
def proposal_detail_view(request, consultation_id: int, proposal_id: int):
    consultation = _consultation_or_404(request, consultation_id)
    proposal = _proposal_or_404(request, consultation, proposal_id)
    return render(
        request,
        "participation_proposals/proposal_detail.html",
        proposal_detail_context(request, consultation, proposal),
    )


@require_POST
def proposal_support_view(request, consultation_id: int, proposal_id: int):
    consultation = _consultation_or_404(request, consultation_id)
    proposal = _proposal_or_404(request, consultation, proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(proposal.get_absolute_url())
    form = SupportForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            _("Unknown action."), status=400, content_type="text/plain; charset=utf-8"
        )
    if not allowed(request.user, "participation_proposals.support_proposal", proposal):
        if proposal.is_withdrawn:
            message = _("Its author has withdrawn this proposal. It can no longer be supported.")
        elif proposal.author_id == request.user.pk:
            message = _("You cannot support your own proposal.")
        else:
            message = _("Proposals cannot be supported in the current phase.")
        return _denied(request, consultation, message, proposal=proposal)
    exceeded = ratelimit.action_hit("support", request)
    if exceeded:
        return HttpResponse(
            _("Too many requests. Please wait %(seconds)d seconds.")
            % {"seconds": exceeded.retry_after},
            status=429,
            content_type="text/plain; charset=utf-8",
        )
    withdraw = form.cleaned_data["action"] == "withdraw"
    try:
        with transaction.atomic():
            if withdraw:
                proposal_support_withdraw(user=request.user, proposal=proposal)
            else:
                proposal_support(user=request.user, proposal=proposal)
    except ValidationError as error:
        level, message = messages.ERROR, " ".join(error.messages)
    else:
        level = messages.SUCCESS
        if withdraw:
            message = _("You no longer support this proposal.")
        else:
            message = _("Thank you for your support.")
    if request.htmx:
        context = proposal_detail_context(request, consultation, proposal, with_feedback=False)
        return render(
            request,
            "participation_proposals/proposal_support.html",
            {**context, "support_message": message},
        )
    messages.add_message(request, level, message)
    return redirect(f"{proposal.get_absolute_url()}#support")


@require_POST
def proposal_follow_view(request, consultation_id: int, proposal_id: int):
    consultation = _consultation_or_404(request, consultation_id)
    proposal = _proposal_or_404(request, consultation, proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(proposal.get_absolute_url())
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            _("Unknown action."), status=400, content_type="text/plain; charset=utf-8"
        )
    follow = form.cleaned_data["action"] == "follow"
    with transaction.atomic():
        if follow:
            follow_create(user=request.user, target=proposal)
        else:
            follow_delete(user=request.user, target=proposal)
    if follow:
        message = _("You now follow this proposal. We will notify you of official feedback.")
    else:
        message = _("You no longer follow this proposal.")
    if request.htmx:
        return render(
            request,
            "participation_proposals/proposal_follow.html",
            {
                "consultation": consultation,
                "proposal": proposal,
                "following": follow,
                "follow_message": message,
            },
        )
    messages.success(request, message)
    return redirect(f"{proposal.get_absolute_url()}#follow")


@second_factor_required  # the organisation's voice: a staff act
@require_POST
def proposal_answer_view(request, consultation_id: int, proposal_id: int):
    consultation = _consultation_or_404(request, consultation_id)
    proposal = _proposal_or_404(request, consultation, proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(proposal.get_absolute_url())
    if not allowed(request.user, "participation_proposals.answer_proposal", proposal):
        if proposal.is_withdrawn:
            message = _("Its author has withdrawn this proposal.")
        else:
            message = _("Only speakers and editors of the organisation can give official feedback.")
        return _denied(request, consultation, message, proposal=proposal)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                feedback = proposal_answer(
                    author=request.user,
                    proposal=proposal,
                    status=form.cleaned_data["status"],
                    text=form.cleaned_data["text"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your official feedback has been published."))
            return redirect(f"{proposal.get_absolute_url()}#feedback-{feedback.pk}")
    return render(
        request,
        "participation_proposals/proposal_detail.html",
        proposal_detail_context(request, consultation, proposal, feedback_form=form),
        status=422,
    )


@require_http_methods(["GET", "POST"])
def proposal_edit_view(request, consultation_id: int, proposal_id: int):
    consultation = _consultation_or_404(request, consultation_id)
    proposal = _proposal_or_404(request, consultation, proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed(request.user, "participation_proposals.change_proposal", proposal):
        return _denied(
            request, consultation, change_refusal(request.user, proposal), proposal=proposal
        )
    initial = {
        "title": proposal.title,
        "body": proposal.body,
        "tags": edit_string_for_tags(list(proposal.tags.all())),
        "location": proposal.location,
    }
    form = ProposalForm(request.POST or None, initial=initial)
    status = 200
    retry_after = 0
    if request.method == "GET":
        # Say at once what the gate would say on sending (a suspension, a locked discussion),
        # rather than after the text was rewritten.
        verdict = contribution_gate(
            user=request.user, consultation=consultation, target=proposal_target(proposal)
        )
        if verdict.refusal and not verdict.retry_after:
            return _denied(request, consultation, verdict.refusal, proposal=proposal)
    elif form.is_valid():
        exceeded = ratelimit.action_hit("proposal", request)
        if exceeded:
            form.add_error(
                None,
                _(
                    "You are submitting very quickly. Please wait %(seconds)d seconds and send "
                    "again; your text is kept."
                )
                % {"seconds": exceeded.retry_after},
            )
            status, retry_after = 429, exceeded.retry_after
        else:
            try:
                proposal = proposal_edit(
                    proposal=proposal,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    tags=form.cleaned_data["tags"],
                    location=form.cleaned_data["location"],
                )
            except ContributionRefused as refused:
                form.add_error(None, refused)
                if refused.retry_after:
                    status, retry_after = 429, refused.retry_after
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if proposal.moderation_status == ModerationStatus.PENDING:
                    messages.info(
                        request,
                        proposal.hold_reason
                        or _(
                            "Thank you. Your changed proposal will appear again once the "
                            "moderators have checked it."
                        ),
                    )
                else:
                    messages.success(request, _("Your changes have been saved."))
                return redirect(proposal.get_absolute_url())
    if request.method == "POST" and status == 200:
        status = 422
    response = render(
        request,
        "participation_proposals/proposal_form.html",
        {"consultation": consultation, "proposal": proposal, "form": form, "can_propose": True},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_http_methods(["GET", "POST"])
def proposal_withdraw_view(request, consultation_id: int, proposal_id: int):
    """A confirmation page (GET) and the withdrawal itself (POST with `confirm=yes`)."""
    consultation = _consultation_or_404(request, consultation_id)
    proposal = _proposal_or_404(request, consultation, proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed(request.user, "participation_proposals.withdraw_proposal", proposal):
        return _denied(
            request, consultation, withdraw_refusal(request.user, proposal), proposal=proposal
        )
    error = ""
    status = 200
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = _("Please confirm that you want to withdraw the proposal.")
            status = 422
        else:
            try:
                with transaction.atomic():
                    proposal_withdraw(proposal=proposal)
            except ValidationError as refusal:
                error = " ".join(refusal.messages)
                status = 409
            else:
                messages.success(request, _("Your proposal has been withdrawn."))
                return redirect(proposal.get_absolute_url())
    return render(
        request,
        "participation_proposals/proposal_withdraw.html",
        {"consultation": consultation, "proposal": proposal, "error": error},
        status=status,
    )
