from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperative.organisations.models import Organisation


class MemberGroup(models.TextChoices):
    """The curiae: the statute gives each group its own voice."""

    CITIZENS = "citizens", _("Citizens")
    ADMINISTRATION = "administration", _("Administration")
    PARTIES = "parties", _("Parties")
    ASSOCIATIONS = "associations", _("Associations")


class Member(models.Model):
    """A member of the cooperative: a natural person or an organisation (GenG §30).

    A membership runs from `joined_on` (admission) to `left_on` (the effective date of a
    resignation or exclusion; the member counts until the day before).
    """

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ADMITTED = "admitted", _("Admitted")
        REJECTED = "rejected", _("Rejected")
        RESIGNED = "resigned", _("Resigned")
        EXCLUDED = "excluded", _("Excluded")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="membership_applications",
        verbose_name=_("applied by"),
    )
    member_group = models.CharField(_("member group"), max_length=20, choices=MemberGroup.choices)
    shares = models.PositiveIntegerField(_("shares"), default=1)
    legal_name = models.CharField(_("full name"), max_length=200)
    address = models.TextField(_("postal address"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    number = models.PositiveIntegerField(_("member number"), null=True, blank=True, unique=True)
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)
    leaving_reason = models.TextField(_("reason for leaving"), blank=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["number", "applied_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, organisation__isnull=True)
                | Q(user__isnull=True, organisation__isnull=False),
                name="membership_person_or_organisation",
            ),
            models.CheckConstraint(condition=Q(shares__gte=1), name="membership_shares_positive"),
            # One live membership (applied, admitted, or left but not yet gone) per holder.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["applied", "admitted"]),
                name="membership_one_open_per_person",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=["applied", "admitted"]),
                name="membership_one_open_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        number = f"{self.number} · " if self.number else ""
        return f"{number}{self.display_name}"

    @property
    def display_name(self) -> str:
        """What other members see: the pseudonym, or the organisation's name."""
        if self.organisation_id:
            return str(self.organisation)
        return str(self.user)

    @property
    def is_organisation(self) -> bool:
        return self.organisation_id is not None

    def is_member_on(self, day: date) -> bool:
        if self.joined_on is None or self.status not in (
            self.Status.ADMITTED,
            self.Status.RESIGNED,
            self.Status.EXCLUDED,
        ):
            return False
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)
