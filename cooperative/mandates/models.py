from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperative.governance.models import Ballot
from cooperative.membership.models import Member
from cooperative.organisations.models import Organisation


class ModerationMandate(models.Model):
    """Moderationsmandat: who may moderate where, for how long, granted by whom."""

    class Scope(models.TextChoices):
        PLATFORM = "platform", _("Whole platform")
        ORGANISATION = "organisation", _("One organisation's consultations")
        TAG = "tag", _("One topic")

    holder_member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
        verbose_name=_("holder (member)"),
    )
    holder_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates_held",
        verbose_name=_("holder (organisation)"),
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    scope_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates_covering",
        verbose_name=_("organisation"),
    )
    scope_tag = models.SlugField(_("topic tag"), max_length=100, blank=True)
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_by_ballot = models.ForeignKey(
        Ballot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
        verbose_name=_("granted by ballot"),
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("moderation mandate")
        verbose_name_plural = _("moderation mandates")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(holder_member__isnull=False, holder_organisation__isnull=True)
                | Q(holder_member__isnull=True, holder_organisation__isnull=False),
                name="mandate_one_holder",
            ),
            models.CheckConstraint(
                condition=Q(scope="platform", scope_organisation__isnull=True, scope_tag="")
                | Q(scope="organisation", scope_organisation__isnull=False, scope_tag="")
                | (Q(scope="tag", scope_organisation__isnull=True) & ~Q(scope_tag="")),
                name="mandate_scope_fits",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="mandate_validity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_display} · {self.scope_display}"

    @property
    def holder_display(self) -> str:
        if self.holder_organisation_id:
            return str(self.holder_organisation)
        return self.holder_member.display_name if self.holder_member else ""

    @property
    def scope_display(self) -> str:
        if self.scope == self.Scope.ORGANISATION:
            return str(self.scope_organisation)
        if self.scope == self.Scope.TAG:
            return f"#{self.scope_tag}"
        return str(self.get_scope_display())
