import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel

from cooperative.names import (
    NameSkeletonField,
    lookalikes,
    skeletons_unchanged,
    validate_visible_name,
)
from cooperative.organisations.embedding import embed_origins_parse, validate_embed_origins


class Organisation(ClusterableModel):
    """A member organisation: an administration, a municipality, a party, an association."""

    class Kind(models.TextChoices):
        ADMINISTRATION = "administration", _("Administration")
        MUNICIPALITY = "municipality", _("Municipality")
        PARTY = "party", _("Political party")
        ASSOCIATION = "association", _("Association")
        INITIATIVE = "initiative", _("Citizens' initiative")

    name = models.CharField(
        _("name"), max_length=200, unique=True, validators=[validate_visible_name]
    )
    # Its UTS #39 skeletons, to find look-alikes by index (cooperative/names.py).
    name_skeleton = NameSkeletonField(source="name")
    name_skeleton_folded = NameSkeletonField(source="name", folded=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # The sites that may show this organisation's consultations in a frame (the embed
    # view's frame-ancestors); cooperative/organisations/embedding.py says what is accepted.
    embed_origins = models.TextField(
        _("sites that may embed consultations"),
        blank=True,
        validators=[validate_embed_origins],
        help_text=_(
            "One address per line, only scheme, host and optional port, for example "
            "https://www.example.de. Only these sites may show this organisation's "
            "consultations in a frame; empty: no site may. No wildcards."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name_skeleton"], name="organisations_name_skeleton"),
            models.Index(fields=["name_skeleton_folded"], name="organisations_name_skeleton_cf"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def embed_origin_list(self) -> list[str]:
        """The origins that may frame the organisation's consultations now; a line that
        is not a valid origin (any more) is left out."""
        return embed_origins_parse(self.embed_origins, strict=False)

    def clean(self) -> None:
        super().clean()
        # Stored as browsers compare them; a mistake is reported by the field's validator.
        with contextlib.suppress(ValidationError):
            self.embed_origins = "\n".join(embed_origins_parse(self.embed_origins))
        # Every form that names an organisation (the admin's snippet form): no look-alike
        # of another organisation's name, so that no one can pose as it in the admin's
        # choices, on official statements or in the member register.
        if skeletons_unchanged(self, "name", "name"):
            return
        others = Organisation.objects.filter(lookalikes("name", self.name))
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        if others.exists():
            raise ValidationError(
                {
                    "name": _(
                        "This name looks too much like that of another organisation "
                        "(“%(other)s”). Please choose one that cannot be mistaken for it."
                    )
                    % {"other": others.values_list("name", flat=True).first()}
                }
            )


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
