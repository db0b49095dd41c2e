from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "participation.polls"
    label = "participation_polls"
    verbose_name = _("Polls")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from participation.consultations.models import ConsultationPage
        from participation.polls.guards import keep_voted_polls_and_options

        pre_save.connect(
            keep_voted_polls_and_options, sender=ConsultationPage, dispatch_uid="polls-keep-voted"
        )
