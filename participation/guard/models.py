"""The shitstorm guard: per-consultation configuration and the surge alerts that
measurement raised. The calm-mode periods it starts are the gate's
(participation/gate/models.py `CalmMode`): contributions read them before they publish.

Thresholds left empty on a consultation's configuration come from the GUARD_* settings
(config/settings.py, docs/moderation-guard.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class GuardConfig(models.Model):
    """How the guard treats one consultation. A consultation without a row uses the
    settings' defaults and does not switch calm mode on by itself."""

    consultation = models.OneToOneField(
        "participation_consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="guard_config",
        verbose_name=_("consultation"),
    )
    auto_calm_mode = models.BooleanField(
        _("switch calm mode on automatically on a surge"),
        default=False,
        help_text=_(
            "Moderators are alerted on every surge. With this on, calm mode also starts at "
            "once, before a moderator has looked."
        ),
    )
    surge_factor = models.FloatField(
        _("surge factor"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1.5), MaxValueValidator(1000)],
        help_text=_("Empty: the platform default."),
    )
    min_events = models.PositiveIntegerField(
        _("minimum contributions or notices in the window"),
        null=True,
        blank=True,
        validators=[MinValueValidator(3)],
        help_text=_("Empty: the platform default."),
    )
    slow_mode_minutes = models.PositiveIntegerField(
        _("slow mode: minutes between two contributions of one person"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
        help_text=_("Empty: the platform default."),
    )
    young_account_days = models.PositiveIntegerField(
        _("pre-moderation for accounts younger than (days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
        help_text=_("Empty: the platform default. 0: no pre-moderation by account age."),
    )

    class Meta:
        verbose_name = _("shitstorm guard setting")
        verbose_name_plural = _("shitstorm guard settings")

    def __str__(self) -> str:
        return f"guard config of consultation {self.consultation_id}"


class SurgeAlert(models.Model):
    """A surge the guard measured: the current window's rate against the baseline."""

    class Kind(models.TextChoices):
        CONTRIBUTIONS = "contributions", _("Contributions")
        REPORTS = "reports", _("Notices")

    consultation = models.ForeignKey(
        "participation_consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="surge_alerts",
        verbose_name=_("consultation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("measured"))
    window_minutes = models.PositiveIntegerField(_("window (minutes)"))
    observed_count = models.PositiveIntegerField(_("events in the window"))
    # Events per hour.
    observed_rate = models.FloatField(_("observed rate per hour"))
    baseline_rate = models.FloatField(_("baseline rate per hour"))
    ratio = models.FloatField(_("ratio"))
    notified_moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("moderators alerted"),
    )

    class Meta:
        verbose_name = _("surge alert")
        verbose_name_plural = _("surge alerts")
        ordering = ["-at"]
        indexes = [models.Index(fields=["consultation", "kind", "-at"], name="guard_alert_idx")]

    def __str__(self) -> str:
        return f"{self.kind} surge on consultation {self.consultation_id} at {self.at}"
