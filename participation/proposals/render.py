"""Parts of the proposal page rendered once per interface language, for live events.

The page includes the same templates, so a live update and a page load look identical.
Nothing in them depends on who is reading."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from participation.proposals.models import ProposalStatus

CONTENT_TEMPLATE = "participation_proposals/proposal_content.html"
FEEDBACK_TEMPLATE = "participation_proposals/proposal_feedback_item.html"


def _in_every_language(template: str, context: dict) -> dict[str, str]:
    html: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            html[code] = render_to_string(template, context)
    return html


def render_proposal_content(proposal) -> dict[str, str]:
    """Description, location, topics and the note that its author changed it."""
    return _in_every_language(
        CONTENT_TEMPLATE, {"proposal": proposal, "consultation_id": proposal.consultation_id}
    )


def render_feedback(feedback) -> dict[str, str]:
    """One official answer as the feedback list on the proposal page shows it."""
    return _in_every_language(FEEDBACK_TEMPLATE, {"feedback": feedback})


def status_labels(status: str) -> dict[str, str]:
    """The status badge's text in every interface language."""
    labels: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels[code] = str(ProposalStatus(status).label)
    return labels
