"""API tokens for the back channel (Rückkanal), and a record of what came in through them."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from cooperative.organisations.models import Organisation


class TokenScope(models.TextChoices):
    """What a token may do. Reading public content needs no token at all."""

    COMMENT = "comment", _("Write contributions")
    PROPOSE = "propose", _("Submit proposals")
    SUPPORT = "support", _("Support proposals")
    VOTE = "vote", _("Vote in polls")
    MODERATE = "moderate", _("Moderate within my mandates")


class ApiToken(models.Model):
    """A personal or organisation token. Only a hash of the secret is stored; the visible
    prefix finds the row. An organisation token acts for its person only in the
    organisation's own consultations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="back_channel_tokens",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="back_channel_tokens",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("permitted actions"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    def scope_labels(self) -> list[str]:
        return [str(TokenScope(scope).label) for scope in self.scopes if scope in TokenScope]


class TokenUse(models.Model):
    """One write through the back channel: which token, which action, what it made.

    Contributions and proposals carry their origin themselves; supports and votes do not,
    so this record is where the origin of every back-channel write can be read.
    """

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses")
    action = models.CharField(max_length=20, choices=TokenScope.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("use of an API token")
        verbose_name_plural = _("uses of API tokens")

    def __str__(self) -> str:
        return f"{self.action} via {self.token_id}"
