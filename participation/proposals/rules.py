"""Who may submit, change, withdraw, support, answer and see proposals.

Submitting and supporting are open only while the consultation's current phase allows
them; official feedback comes only from the organisation's speakers and editors (or a
platform admin), in any phase once the proposal exists, unless its author withdrew it.

Its author may change a proposal while the phase allows proposals and until someone
supports it or the organisation answers it (supporters backed that text, and an answer
refers to it); a proposal the moderation hid or removed stays as it is. Its author may
withdraw it in any phase until the organisation answers it. A withdrawn proposal can no
longer be changed, supported or answered.
"""

import rules

from cooperative.accounts.rules import is_verified
from participation.consultations.rules import (
    is_admin,
    is_editor,
    is_published,
    is_speaker,
    phase_allows,
)
from participation.proposals.models import ModerationStatus, ProposalStatus

# The moderation states in which its author may still change a proposal.
EDITABLE = (ModerationStatus.VISIBLE, ModerationStatus.PENDING)


@rules.predicate
def is_proposal_author(user, proposal) -> bool:
    return bool(user.is_authenticated and proposal is not None and proposal.author_id == user.pk)


@rules.predicate
def is_proposal_withdrawn(user, proposal) -> bool:
    return proposal is not None and proposal.is_withdrawn


@rules.predicate
def is_proposal_unanswered(user, proposal) -> bool:
    """No official answer yet, and not withdrawn by its author."""
    return proposal is not None and proposal.status == ProposalStatus.SUBMITTED


@rules.predicate
def is_proposal_unsupported(user, proposal) -> bool:
    return proposal is not None and proposal.support_count == 0


@rules.predicate
def is_proposal_editable_state(user, proposal) -> bool:
    """Public or waiting for approval: what moderation hid or removed stays as it is."""
    return proposal is not None and proposal.moderation_status in EDITABLE


@rules.predicate
def is_proposal_not_removed(user, proposal) -> bool:
    return proposal is not None and proposal.moderation_status != ModerationStatus.REMOVED


def _on_consultation(predicate):
    """Apply a consultation predicate to a proposal's consultation."""

    @rules.predicate(name=f"proposal_{predicate.name}")
    def wrapped(user, proposal) -> bool:
        return proposal is not None and predicate.test(user, proposal.consultation)

    return wrapped


rules.add_perm(
    "participation_proposals.add_proposal",
    is_verified & is_published & phase_allows("propose"),
)
rules.add_perm(
    "participation_proposals.support_proposal",
    is_verified
    & _on_consultation(is_published)
    & _on_consultation(phase_allows("support"))
    & ~is_proposal_author
    & ~is_proposal_withdrawn,
)
rules.add_perm(
    "participation_proposals.change_proposal",
    is_verified
    & is_proposal_author
    & _on_consultation(is_published)
    & _on_consultation(phase_allows("propose"))
    & is_proposal_unanswered
    & is_proposal_unsupported
    & is_proposal_editable_state,
)
rules.add_perm(
    "participation_proposals.withdraw_proposal",
    is_verified & is_proposal_author & is_proposal_unanswered & is_proposal_not_removed,
)
rules.add_perm(
    "participation_proposals.answer_proposal",
    is_verified
    & (is_admin | _on_consultation(is_speaker) | _on_consultation(is_editor))
    & ~is_proposal_withdrawn,
)
rules.add_perm(
    "participation_proposals.view_proposal",
    _on_consultation(is_published) | is_admin | _on_consultation(is_editor),
)
