"""Why someone may not change or withdraw a proposal, in the words of the rule that applies
(participation/proposals/rules.py), for the web pages and the API alike."""

from django.utils.translation import gettext as _

from participation.proposals.models import Proposal, ProposalStatus


def change_refusal(user, proposal: Proposal) -> str:
    if not user.is_authenticated or proposal.author_id != user.pk:
        return _("Only its author can change a proposal.")
    if proposal.status == ProposalStatus.WITHDRAWN:
        return _("This proposal has been withdrawn and can no longer be changed.")
    if proposal.status != ProposalStatus.SUBMITTED:
        return _("This proposal has received official feedback and can no longer be changed.")
    if proposal.support_count:
        return _("This proposal already has supporters and can no longer be changed.")
    phase = proposal.consultation.current_phase()
    if phase is None or not phase.allows("propose"):
        return _("Proposals cannot be changed in the current phase of this consultation.")
    return _("This proposal can no longer be changed.")


def withdraw_refusal(user, proposal: Proposal) -> str:
    if not user.is_authenticated or proposal.author_id != user.pk:
        return _("Only its author can withdraw a proposal.")
    if proposal.status == ProposalStatus.WITHDRAWN:
        return _("This proposal has already been withdrawn.")
    if proposal.status != ProposalStatus.SUBMITTED:
        return _("This proposal has received official feedback and can no longer be withdrawn.")
    return _("This proposal cannot be withdrawn.")
