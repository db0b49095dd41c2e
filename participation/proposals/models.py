from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from cooperative.organisations.models import Organisation

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 5000
LOCATION_MAX_LENGTH = 200
FEEDBACK_MAX_LENGTH = 5000


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")
    IMPLEMENTED = "implemented", _("Implemented")
    # Set by its author, only before any official answer (proposal_withdraw).
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The statuses an official answer can give; "submitted" means no answer yet, "withdrawn"
# is its author's, never the organisation's.
FEEDBACK_STATUSES = [
    choice for choice in ProposalStatus.choices if choice[0] not in {"submitted", "withdrawn"}
]


class ModerationStatus(models.TextChoices):
    """Whether the public sees a proposal; its author and moderators always do."""

    VISIBLE = "visible", _("Visible")
    PENDING = "pending", _("Waiting for moderation")
    HIDDEN = "hidden", _("Hidden by moderation")
    REMOVED = "removed", _("Removed by moderation")


class TaggedProposal(TaggedItemBase):
    content_object = models.ForeignKey(
        "participation_proposals.Proposal", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Proposal(models.Model):  # type: ignore[django-manager-missing]
    """A proposal (Vorschlag) made by a participant in a consultation."""

    class Origin(models.TextChoices):
        WEB = "web", _("Website")
        API = "api", _("API")

    consultation = models.ForeignKey(
        "participation_consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("consultation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposals",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("description"), max_length=BODY_MAX_LENGTH)
    body_html = models.TextField(editable=False)
    tags = TaggableManager(through=TaggedProposal, blank=True, verbose_name=_("topics"))
    location = models.CharField(_("location"), max_length=LOCATION_MAX_LENGTH, blank=True)
    # The status of the latest official feedback (kept here for filtering and sorting).
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.SUBMITTED,
    )
    moderation_status = models.CharField(
        _("moderation status"),
        max_length=10,
        choices=ModerationStatus.choices,
        default=ModerationStatus.VISIBLE,
        db_index=True,
    )
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.WEB)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # When its author last changed title, description, topics or location (proposal_edit).
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    # Set by proposal_create (not stored): why the new proposal waits for approval.
    hold_reason: str

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["consultation", "status"], name="proposals_status_idx"),
            models.Index(
                fields=["consultation", "support_count", "created_at"],
                name="proposals_supports_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposal_detail", args=[self.consultation_id, self.pk])

    @property
    def is_visible_to_public(self) -> bool:
        return self.moderation_status == ModerationStatus.VISIBLE

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ProposalStatus.WITHDRAWN

    @property
    def is_answered(self) -> bool:
        """Whether the organisation has given official feedback (any status but these two)."""
        return self.status not in {ProposalStatus.SUBMITTED, ProposalStatus.WITHDRAWN}


class Support(models.Model):
    """One person's support (Unterstützung) of a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_supports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"], name="proposals_one_support_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} supports #{self.proposal_id}"


class Feedback(models.Model):
    """The organisation's official answer (Rückmeldung) to a proposal; every answer is kept."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="feedback")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="proposal_feedback",
        verbose_name=_("on behalf of"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposal_feedback",
        verbose_name=_("author"),
    )
    status = models.CharField(_("status"), max_length=20, choices=FEEDBACK_STATUSES)
    text = models.TextField(_("feedback"), max_length=FEEDBACK_MAX_LENGTH)
    text_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("given"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [models.Index(fields=["proposal", "created_at"], name="proposals_feedback_idx")]

    def __str__(self) -> str:
        return f"{self.status} on #{self.proposal_id}"
