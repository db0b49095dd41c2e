from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participation.gate.targets import moderation_target_register


class ModerationConfig(AppConfig):
    name = "participation.moderation"
    label = "participation_moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        # Modules that use models load once the app registry is ready.
        from participation.moderation.targets import ConsultationTarget, DisplayNameTarget

        moderation_target_register(DisplayNameTarget())
        moderation_target_register(ConsultationTarget())
