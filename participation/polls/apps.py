from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participation.consultations.sections import (
    MAIN,
    PageSection,
    editor_check_register,
    editor_panel_register,
    page_section_register,
)
from participation.gate.targets import moderation_target_register


class PollsConfig(AppConfig):
    name = "participation.polls"
    label = "participation_polls"
    verbose_name = _("Polls")

    def ready(self) -> None:
        # Models, and the modules and panels that use them, load once the registry is ready.
        from django.db.models.signals import post_delete, post_save, pre_save
        from wagtail.admin.panels import InlinePanel

        from participation.consultations.models import ConsultationPage, ConsultationPhase
        from participation.polls.admin_forms import check_poll_edits
        from participation.polls.context import polls_context
        from participation.polls.guards import keep_voted_polls_and_options
        from participation.polls.models import Poll, PollChoice
        from participation.polls.moderation_target import PollOptionTarget
        from participation.polls.selectors import vote_statics

        page_section_register(
            PageSection(
                name="polls",
                template="participation_polls/poll_section.html",
                slot=MAIN,
                position=10,
                context=polls_context,
                embed="umfragen",  # ?abschnitt=umfragen in the embed view
            )
        )
        editor_panel_register(InlinePanel("polls", heading=_("Polls"), label=_("Poll")))
        editor_check_register(check_poll_edits)
        moderation_target_register(PollOptionTarget())
        pre_save.connect(
            keep_voted_polls_and_options, sender=ConsultationPage, dispatch_uid="polls-keep-voted"
        )
        for model in (ConsultationPage, ConsultationPhase, Poll, PollChoice):
            for signal in (post_save, post_delete):
                signal.connect(
                    vote_statics.clear, sender=model, dispatch_uid=f"polls-statics-{model}"
                )
