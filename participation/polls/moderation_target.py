"""How moderation reaches poll options (``option``): registered in the app's ready()
(participation/gate/targets.py). Options are written by the organisation's editors: they
can be reported, and no decision changes them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from participation.gate.targets import ModerationTarget, TargetFacts
from participation.polls.models import PollChoice


class PollOptionTarget(ModerationTarget):
    kind = "option"
    label = gettext_lazy("poll option")
    reportable_by_public = True

    @property
    def model(self) -> type[PollChoice]:
        return PollChoice

    def facts(self, obj: PollChoice) -> TargetFacts:
        page = obj.poll.page
        return TargetFacts(
            consultation=page,
            affected_user=None,  # options are written by the organisation's editors
            location_url=f"{page.url}#poll-{obj.poll_id}",
            excerpt=obj.text,
            created_at=None,
        )

    def public_now(self, obj: PollChoice) -> bool:
        # An option of a poll on the page; whether the page may be seen is asked apart.
        return True
