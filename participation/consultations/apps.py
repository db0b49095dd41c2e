from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "participation.consultations"
    label = "participation_consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        # Both modules use models (Wagtail's pages), loaded once the app registry is ready.
        from participation.consultations import search
        from participation.consultations.selectors import consultation_stream_viewable
        from participation.live.access import stream_rule_register

        stream_rule_register(consultation_stream_viewable)
        search.connect()  # the search's text follows each publication
