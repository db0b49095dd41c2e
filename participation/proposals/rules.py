"""Who may submit, support, answer and see proposals.

Submitting and supporting are open only while the consultation's current phase allows
them; official feedback comes only from the organisation's speakers and editors (or a
platform admin), in any phase once the proposal exists.
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


@rules.predicate
def is_proposal_author(user, proposal) -> bool:
    return bool(user.is_authenticated and proposal is not None and proposal.author_id == user.pk)


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
    & ~is_proposal_author,
)
rules.add_perm(
    "participation_proposals.answer_proposal",
    is_verified & (is_admin | _on_consultation(is_speaker) | _on_consultation(is_editor)),
)
rules.add_perm(
    "participation_proposals.view_proposal",
    _on_consultation(is_published) | is_admin | _on_consultation(is_editor),
)
