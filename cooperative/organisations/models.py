from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel


class Organisation(ClusterableModel):
    """A member organisation: an administration, a municipality, a party, an association."""

    class Kind(models.TextChoices):
        ADMINISTRATION = "administration", _("Administration")
        MUNICIPALITY = "municipality", _("Municipality")
        PARTY = "party", _("Political party")
        ASSOCIATION = "association", _("Association")
        INITIATIVE = "initiative", _("Citizens' initiative")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationRole(models.Model):
    """What a person may do for an organisation. One row per person, organisation and role."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("Editor")
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")
        REPRESENTATIVE = "representative", _("Representative")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_roles",
        verbose_name=_("user"),
    )
    organisation = ParentalKey(
        Organisation, on_delete=models.CASCADE, related_name="roles", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    panels = [FieldPanel("user"), FieldPanel("role")]
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="organisations_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"
