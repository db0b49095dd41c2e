from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participation.consultations.sections import MAIN, PageSection, page_section_register
from participation.contributions.targets import target_type_register
from participation.gate.registry import last_contribution_register
from participation.gate.targets import moderation_target_register


class ProposalsConfig(AppConfig):
    name = "participation.proposals"
    label = "participation_proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        # Modules that use models load once the app registry is ready.
        from participation.proposals.moderation_target import ProposalTarget
        from participation.proposals.selectors import proposal_last_written_at
        from participation.proposals.targets import PROPOSAL_TARGET

        last_contribution_register("proposals", proposal_last_written_at)
        moderation_target_register(ProposalTarget())
        target_type_register(PROPOSAL_TARGET)
        page_section_register(
            PageSection(
                name="proposals",
                template="participation_proposals/proposal_section.html",
                slot=MAIN,
                position=40,
            )
        )
