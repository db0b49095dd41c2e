"""The context the proposal templates need, built in one place."""

from django.utils.translation import gettext_lazy as _

from cooperative.permissions import allowed
from participation.contributions.discussion import discussion_context
from participation.live.events import last_event_id
from participation.notifications.selectors import is_following
from participation.proposals.forms import FeedbackForm
from participation.proposals.models import ProposalStatus
from participation.proposals.selectors import (
    proposal_feedback,
    proposal_tags_in_use,
    user_supports,
)
from participation.proposals.targets import proposal_target

SORT_CHOICES = [
    ("supports", _("most supported")),
    ("comments", _("most comments")),
    ("newest", _("newest")),
    ("oldest", _("oldest")),
]


def _phase_allows(consultation, action: str) -> bool:
    phase = consultation.current_phase()
    return bool(phase and phase.allows(action))


def proposal_list_context(request, consultation, listing) -> dict:
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "consultation": consultation,
        "listing": listing,
        "page_obj": listing.page,
        "query_without_page": query.urlencode(),
        "sort_choices": SORT_CHOICES,
        "status_choices": ProposalStatus.choices,
        "tags_in_use": proposal_tags_in_use(consultation),
        "can_propose": allowed(request.user, "participation_proposals.add_proposal", consultation),
        "propose_phase": _phase_allows(consultation, "propose"),
    }


def proposal_detail_context(
    request, consultation, proposal, *, feedback_form=None, with_feedback: bool = True
) -> dict:
    user = request.user
    discussion = (
        discussion_context(request, consultation, target=proposal_target(proposal))
        if with_feedback
        else {}
    )
    return {
        **discussion,
        "consultation": consultation,
        "proposal": proposal,
        "viewer": user,
        "feedback_list": proposal_feedback(proposal) if with_feedback else [],
        "supported": user_supports(user, proposal),
        "following": is_following(user, proposal),
        "can_support": allowed(user, "participation_proposals.support_proposal", proposal),
        "support_phase": _phase_allows(consultation, "support"),
        "can_answer": allowed(user, "participation_proposals.answer_proposal", proposal),
        "can_change": allowed(user, "participation_proposals.change_proposal", proposal),
        "can_withdraw": allowed(user, "participation_proposals.withdraw_proposal", proposal),
        "feedback_form": feedback_form or FeedbackForm(),
        "live_since": last_event_id() if with_feedback else 0,
    }
