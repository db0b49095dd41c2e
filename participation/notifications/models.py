from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Follow(models.Model):
    """A person follows (folgt) something to be told when it changes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"], name="notifications_one_follow"
            )
        ]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="notifications_follow_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.target_type_id}:{self.target_id}"


class Notification(models.Model):
    """A message (Benachrichtigung) in a person's notifications page."""

    class Kind(models.TextChoices):
        FEEDBACK = "feedback", _("Official feedback")
        REPLY = "reply", _("Replies to your contributions")
        MODERATION_SURGE = "moderation_surge", _("Surge in a consultation you moderate")
        MODERATION = "moderation", _("Moderation: notices, decisions and appeals")
        WITHDRAWN = "withdrawn", _("A proposal you support or follow was withdrawn")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notifications_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notifications_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
