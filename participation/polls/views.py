from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperative.permissions import allowed
from participation.consultations.selectors import consultation_by_id
from participation.contributions import ratelimit
from participation.offload import offloaded
from participation.polls.context import poll_view
from participation.polls.forms import BallotForm
from participation.polls.selectors import (
    poll_for_viewer,
    poll_to_vote_in_by_id,
)
from participation.polls.services import VoteRefused, poll_close, poll_vote_cast, poll_vote_withdraw


def _poll_or_404(request, consultation_id: int, poll_id: int):
    poll = poll_to_vote_in_by_id(request.user, consultation_id, poll_id)
    if poll is None:
        raise Http404
    return poll.page, poll


def _closed_reason(poll) -> str:
    if poll.is_closed():
        return _("This poll has closed; votes can no longer be cast or changed.")
    phase = poll.page.current_phase()
    if phase is None or not phase.allows("vote"):
        return _("Voting is not possible in the current phase of this consultation.")
    return _("You cannot vote in this poll.")


def _respond(
    request, consultation, poll, *, form=None, status=200, message="", level="success", error=""
):
    """The poll again: in place for htmx, else back on the page (or the page with errors)."""
    if request.htmx or status >= 400:
        consultation = consultation_by_id(consultation.pk) or consultation  # every field
        fresh = poll_for_viewer(request.user, consultation, poll.pk) or poll
        context = {
            "item": poll_view(request.user, fresh, form),
            "message": message,
            "error": error,
        }
        template = (
            "participation_polls/poll_item.html"
            if request.htmx
            else "participation_polls/poll_page.html"
        )
        return render(request, template, {**context, "consultation": consultation}, status=status)
    getattr(messages, level)(request, message)
    # The page's URL without the request: from the cached site root paths, no Site query.
    return redirect(f"{consultation.url}#poll-{poll.pk}")


@require_POST
@offloaded
def poll_vote_view(request, consultation_id: int, poll_id: int):
    consultation, poll = _poll_or_404(request, consultation_id, poll_id)
    if not request.user.is_authenticated:
        return redirect_to_login(f"{consultation.url}#poll-{poll.pk}")
    form = BallotForm(poll, request.POST)
    if not allowed(request.user, "participation_polls.vote_poll", poll):
        form.is_valid()
        form.add_error(None, _closed_reason(poll))
        return _respond(request, consultation, poll, form=form, status=403)
    if not form.is_valid():
        return _respond(request, consultation, poll, form=form, status=422)
    exceeded = ratelimit.action_hit("vote", request)
    if exceeded:
        form.add_error(
            None,
            _("Too many votes in a short time. Please wait %(seconds)d seconds and send again.")
            % {"seconds": exceeded.retry_after},
        )
        return _respond(request, consultation, poll, form=form, status=429)
    try:
        _vote, created = poll_vote_cast(user=request.user, poll=poll, **form.ballot())
    except VoteRefused as error:
        form.add_error(None, error)
        status = 409 if error.code == "duplicate" else 403 if error.code == "closed" else 422
        return _respond(request, consultation, poll, form=form, status=status)
    message = _("Your vote has been counted.") if created else _("Your vote has been changed.")
    return _respond(request, consultation, poll, message=message)


@require_POST
def poll_withdraw_view(request, consultation_id: int, poll_id: int):
    consultation, poll = _poll_or_404(request, consultation_id, poll_id)
    if not request.user.is_authenticated:
        return redirect_to_login(f"{consultation.url}#poll-{poll.pk}")
    if not allowed(request.user, "participation_polls.change_vote_poll", poll):
        reason = (
            _closed_reason(poll)
            if poll.allow_change or poll.is_closed()
            else _("Votes in this poll cannot be changed.")
        )
        return _respond(request, consultation, poll, status=403, error=reason)
    try:
        withdrawn = poll_vote_withdraw(user=request.user, poll=poll)
    except VoteRefused as refused:
        return _respond(request, consultation, poll, status=403, error=refused.messages[0])
    message = _("Your vote has been withdrawn.") if withdrawn else _("You had not voted yet.")
    return _respond(request, consultation, poll, message=message, level="info")


@require_POST
def poll_close_view(request, consultation_id: int, poll_id: int):
    consultation, poll = _poll_or_404(request, consultation_id, poll_id)
    if not request.user.is_authenticated:
        return redirect_to_login(f"{consultation.url}#poll-{poll.pk}")
    if not allowed(request.user, "participation_polls.close_poll", poll):
        reason = (
            _("This poll has already closed.")
            if poll.is_closed()
            else _("Only editors of the organisation can close this poll.")
        )
        return _respond(request, consultation, poll, status=403, error=reason)
    poll_close(poll=poll, by=request.user)
    return _respond(request, consultation, poll, message=_("The poll has been closed."))
