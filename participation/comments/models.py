from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperative.organisations.models import Organisation
from participation.comments.authorship import author_token
from participation.contributions.targets import KEY_MAX_LENGTH, Target, TargetKind, target_url

BODY_MAX_LENGTH = 5000
MAX_DEPTH = 3  # 0 = top level; replies to depth-3 comments attach to their parent


def edit_window() -> timedelta:
    """How long after writing a contribution its author may change it."""
    return timedelta(minutes=settings.COMMENT_EDIT_WINDOW_MINUTES)


class Comment(models.Model):
    """A contribution (Beitrag) or reply in a consultation's discussion."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PENDING = "pending", _("Waiting for moderation")
        HIDDEN = "hidden", _("Hidden by moderation")
        REMOVED = "removed", _("Removed")

    class Origin(models.TextChoices):
        WEB = "web", _("Website")
        API = "api", _("API")
        ACTIVITYPUB = "activitypub", _("ActivityPub")

    consultation = models.ForeignKey(
        "participation_consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("consultation"),
    )
    # What the comment is about inside the consultation (see targets.py): the consultation
    # itself, a paragraph of its draft text (key: the block id) or a proposal (key: its pk).
    target_kind = models.CharField(
        _("about"), max_length=20, choices=TargetKind.choices, default=TargetKind.CONSULTATION
    )
    target_key = models.CharField(max_length=KEY_MAX_LENGTH, blank=True, default="")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    root = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="descendants"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"), max_length=BODY_MAX_LENGTH)
    body_html = models.TextField(editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PUBLISHED
    )
    removed_by_author = models.BooleanField(default=False)
    is_official = models.BooleanField(_("official statement"), default=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name=_("on behalf of"),
    )
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.WEB)
    created_at = models.DateTimeField(_("written"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    reply_count = models.PositiveIntegerField(default=0)
    agree_count = models.PositiveIntegerField(default=0)
    disagree_count = models.PositiveIntegerField(default=0)
    helpful_count = models.PositiveIntegerField(default=0)

    # Set by selectors for rendering (not stored): replies on this page, viewer's reactions.
    children: list["Comment"]
    my_reactions: set[str]
    # Set by comment_create (not stored): why the new contribution waits for approval.
    hold_reason: str

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        indexes = [
            models.Index(
                fields=["consultation", "target_kind", "target_key", "depth", "created_at"],
                name="comments_thread_idx",
            ),
            models.Index(fields=["root", "created_at"], name="comments_root_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_official=False) | models.Q(organisation__isnull=False),
                name="comments_official_has_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.body[:40]}"

    def get_absolute_url(self) -> str:
        base = target_url(self.consultation_id, self.target) or self.consultation.url
        return f"{base}#comment-{self.pk}"

    @property
    def target(self) -> Target:
        return Target.of(self)

    @property
    def is_visible_to_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def author_token(self) -> str:
        """Who wrote it, as the page script may compare it (authorship.py), never the id."""
        return author_token(consultation_id=self.consultation_id, user_id=self.author_id)

    @property
    def editable_until(self) -> datetime:
        """Its author may change it until then (COMMENT_EDIT_WINDOW_MINUTES)."""
        return self.created_at + edit_window()

    @property
    def edit_window_open(self) -> bool:
        return timezone.now() <= self.editable_until


class Reaction(models.Model):
    class Kind(models.TextChoices):
        AGREE = "agree", _("Agree")
        DISAGREE = "disagree", _("Disagree")
        HELPFUL = "helpful", _("Helpful")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user", "kind"], name="comments_one_reaction_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on #{self.comment_id}"
