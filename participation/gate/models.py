"""What decides whether a person may contribute to a consultation now: suspensions,
locked threads and pre-moderation (each the effect of a moderation decision) and calm-mode
periods (Ruhemodus, started by the shitstorm guard or a moderator).

The contribution kinds read these through the gate (`participation/gate/policy.py`)
before they publish; moderation and the guard write them. The rows keep the tables they
were created in (`participation_moderation_*`, `participation_guard_calmmode`): the
models moved here without their data moving.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Suspension(models.Model):
    """A user may not contribute in one consultation (or anywhere) until `until`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="moderation_suspensions",
        verbose_name=_("user"),
    )
    consultation = models.ForeignKey(
        "participation_consultations.ConsultationPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="moderation_suspensions",
        verbose_name=_("consultation (none: the whole platform)"),
    )
    until = models.DateTimeField(_("until"), null=True, blank=True)
    decision = models.ForeignKey(
        "participation_moderation.ModerationDecision",
        on_delete=models.PROTECT,
        related_name="suspensions",
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        "participation_moderation.ModerationDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "participation_moderation_suspension"
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        indexes = [models.Index(fields=["user", "lifted_at"], name="mod_suspension_user_idx")]

    def __str__(self) -> str:
        return f"suspension of {self.user_id} in {self.consultation_id or 'platform'}"


class ThreadLock(models.Model):
    """No new contributions on a target (the consultation's discussion, a paragraph, a
    proposal) or, with `root`, in one thread."""

    consultation = models.ForeignKey(
        "participation_consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="moderation_locks",
    )
    target_kind = models.CharField(max_length=20)
    target_key = models.CharField(max_length=64, blank=True, default="")
    root = models.ForeignKey(
        "participation_comments.Comment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    decision = models.ForeignKey(
        "participation_moderation.ModerationDecision",
        on_delete=models.PROTECT,
        related_name="locks",
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        "participation_moderation.ModerationDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "participation_moderation_threadlock"
        verbose_name = _("locked thread")
        verbose_name_plural = _("locked threads")
        indexes = [
            models.Index(fields=["consultation", "lifted_at"], name="mod_lock_consult_idx"),
        ]

    def __str__(self) -> str:
        return f"lock {self.target_kind}:{self.target_key} root={self.root_id}"


class Premoderation(models.Model):
    """Pre-moderation (Vorabprüfung) switched on by a moderator for a consultation, on top
    of the mode its editors configured (which a moderator does not change: a later page
    revision would undo it)."""

    consultation = models.ForeignKey(
        "participation_consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="moderation_premoderations",
    )
    until = models.DateTimeField(null=True, blank=True)
    decision = models.ForeignKey(
        "participation_moderation.ModerationDecision",
        on_delete=models.PROTECT,
        related_name="premoderations",
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        "participation_moderation.ModerationDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "participation_moderation_premoderation"
        verbose_name = _("pre-moderation")
        verbose_name_plural = _("pre-moderations")

    def __str__(self) -> str:
        return f"pre-moderation of {self.consultation_id}"


class CalmMode(models.Model):
    """One period of calm mode (Ruhemodus) on a consultation. At most one is open."""

    consultation = models.ForeignKey(
        "participation_consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="calm_modes",
        verbose_name=_("consultation"),
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # None: started automatically on a surge.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    reason = models.TextField(_("reason"), max_length=1000)
    end_reason = models.TextField(_("reason for ending"), max_length=1000, blank=True)
    # The rules in effect are copied at the start: the banner and the gate tell readers
    # what applies now, even if the configuration changes meanwhile.
    slow_mode_minutes = models.PositiveIntegerField(_("slow mode (minutes)"))
    young_account_days = models.PositiveIntegerField(_("pre-moderation of new accounts (days)"))
    surge_alert = models.ForeignKey(
        "participation_guard.SurgeAlert",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calm_modes",
        verbose_name=_("surge alert"),
    )

    class Meta:
        db_table = "participation_guard_calmmode"
        verbose_name = _("calm mode")
        verbose_name_plural = _("calm mode periods")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation"],
                condition=Q(ended_at__isnull=True),
                name="guard_one_open_calm_mode",
            )
        ]
        indexes = [models.Index(fields=["consultation", "-started_at"], name="guard_calm_idx")]

    def __str__(self) -> str:
        return f"calm mode on consultation {self.consultation_id} from {self.started_at}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def is_automatic(self) -> bool:
        return self.started_by_id is None
