"""How moderation reaches proposals (``vorschlag``): registered in the app's ready()
(participation/gate/targets.py). A moderator's decision moves a proposal through its
moderation states here and tells readers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participation.contributions.markup import markdown_to_text
from participation.gate.targets import (
    APPROVE,
    CONTENT_ACTIONS,
    HIDE,
    REJECT,
    REMOVE,
    RESTORE,
    THREAD_ACTIONS,
    ModerationTarget,
    TargetFacts,
)
from participation.proposals.models import ModerationStatus, Proposal
from participation.proposals.services import proposal_publish_created, proposal_publish_moderated

# The moderation status a proposal must have for an action, and the one it gets.
TRANSITIONS: dict[str, tuple[set[str], str]] = {
    HIDE: ({ModerationStatus.VISIBLE, ModerationStatus.PENDING}, ModerationStatus.HIDDEN),
    RESTORE: ({ModerationStatus.HIDDEN, ModerationStatus.REMOVED}, ModerationStatus.VISIBLE),
    REMOVE: (
        {ModerationStatus.VISIBLE, ModerationStatus.HIDDEN, ModerationStatus.PENDING},
        ModerationStatus.REMOVED,
    ),
    APPROVE: ({ModerationStatus.PENDING}, ModerationStatus.VISIBLE),
    REJECT: ({ModerationStatus.PENDING}, ModerationStatus.REMOVED),
}


class ProposalTarget(ModerationTarget):
    kind = "vorschlag"
    label = gettext_lazy("proposal")
    actions = CONTENT_ACTIONS | THREAD_ACTIONS
    reportable_by_public = True
    authored = True
    is_content = True

    def applicable(self, obj) -> frozenset[str]:
        return self.applicable_by_status(TRANSITIONS, obj.moderation_status)

    @property
    def model(self) -> type[Proposal]:
        return Proposal

    def facts(self, obj: Proposal) -> TargetFacts:
        return TargetFacts(
            consultation=obj.consultation,
            affected_user=obj.author,
            location_url=obj.get_absolute_url(),
            excerpt=Truncator(f"{obj.title}: {markdown_to_text(obj.body)}").chars(300),
            created_at=obj.created_at,
        )

    def public_now(self, obj: Proposal) -> bool:
        return obj.is_visible_to_public

    def is_pending(self, obj: Proposal) -> bool:
        return obj.moderation_status == ModerationStatus.PENDING

    def pending(self):
        return Proposal.objects.filter(moderation_status=ModerationStatus.PENDING).select_related(
            "author", "consultation"
        )

    def text(self, obj: Proposal) -> str:
        return "\n".join([obj.title, obj.body, obj.location])

    def text_html(self, obj: Proposal) -> str:
        # The body was sanitised when it was written (participation/contributions/markup.py).
        return f"<p><strong>{escape(obj.title)}</strong></p>{obj.body_html}"

    def lock_place(self, obj: Proposal) -> dict:
        # Its discussion.
        return {
            "consultation_id": obj.consultation_id,
            "root__isnull": True,
            "target_kind": "proposal",
            "target_key": str(obj.pk),
        }

    def moderate(self, obj: Proposal, action: str, *, seen_version: str | None = None) -> None:
        if action not in TRANSITIONS:
            super().moderate(obj, action, seen_version=seen_version)
        allowed, new = TRANSITIONS[action]
        proposal = Proposal.objects.select_for_update().get(pk=obj.pk)
        if proposal.moderation_status not in allowed:
            raise ValidationError(_("This proposal is not in a state for this action."))
        self.check_seen(proposal, action, seen_version)
        old = proposal.moderation_status
        Proposal.objects.filter(pk=proposal.pk).update(moderation_status=new)
        obj.moderation_status = new
        if new == ModerationStatus.VISIBLE and old == ModerationStatus.PENDING:
            proposal_publish_created(obj)
        elif new != old:
            proposal_publish_moderated(proposal, visible=new == ModerationStatus.VISIBLE)
