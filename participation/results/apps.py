from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participation.consultations.sections import LEAD, PageSection, page_section_register


class ResultsConfig(AppConfig):
    name = "participation.results"
    label = "participation_results"
    verbose_name = _("Results")

    def ready(self) -> None:
        # Once the consultation is finished, its page opens with the outcome.
        page_section_register(
            PageSection(
                name="results",
                template="participation_results/results_section.html",
                slot=LEAD,
                position=10,
            )
        )
