"""The proposals section of a consultation page, without touching the page's own context."""

from django import template

from cooperative.permissions import allowed
from participation.proposals.selectors import proposal_count, proposals_top

register = template.Library()


@register.inclusion_tag("participation_proposals/proposal_section_content.html", takes_context=True)
def proposal_section(context, consultation):
    user = context["request"].user
    phase = consultation.current_phase()
    allows = bool(phase and (phase.allows("propose") or phase.allows("support")))
    count = proposal_count(user, consultation)
    return {
        "consultation": consultation,
        "proposals": proposals_top(user, consultation) if count else [],
        "proposal_count": count,
        "phase_open": allows,
        "can_propose": allowed(user, "participation_proposals.add_proposal", consultation),
        "user": user,
    }
