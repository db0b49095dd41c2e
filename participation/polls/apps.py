from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "participation.polls"
    label = "participation_polls"
    verbose_name = _("Polls")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from participation.consultations.models import ConsultationPage, ConsultationPhase
        from participation.polls.guards import keep_voted_polls_and_options
        from participation.polls.models import Poll, PollChoice
        from participation.polls.selectors import vote_statics

        pre_save.connect(
            keep_voted_polls_and_options, sender=ConsultationPage, dispatch_uid="polls-keep-voted"
        )
        for model in (ConsultationPage, ConsultationPhase, Poll, PollChoice):
            for signal in (post_save, post_delete):
                signal.connect(
                    vote_statics.clear, sender=model, dispatch_uid=f"polls-statics-{model}"
                )
