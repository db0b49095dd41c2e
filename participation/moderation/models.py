"""Moderation acts: notices (Meldungen, DSA Art. 16), decisions with their statement of
reasons (DSA Art. 17) and appeals (Beschwerden, DSA Art. 20). The lasting effects of a
decision (suspensions, locked threads, pre-moderation switched on by a moderator) are
rows of the gate (participation/gate/models.py), which the contribution kinds read.

Targets are referred to through a generic relation (a comment, a proposal, a poll option,
a user's profile name, a consultation), so that moderation needs no field on each of them
beyond its status.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

EXPLANATION_MAX_LENGTH = 5000
URL_MAX_LENGTH = 500


class LegalGround(models.TextChoices):
    """Legal grounds a notice of illegal content (or a decision) can name. The DSA
    Transparency Database category of each is in dsa.py."""

    STGB_86 = "stgb_86", _("§ 86 StGB: propaganda of unconstitutional organisations")
    STGB_86A = "stgb_86a", _("§ 86a StGB: symbols of unconstitutional organisations")
    STGB_111 = "stgb_111", _("§ 111 StGB: public incitement to crime")
    STGB_126 = "stgb_126", _("§ 126 StGB: disturbing public peace by threatening crimes")
    STGB_130 = "stgb_130", _("§ 130 StGB: incitement to hatred (Volksverhetzung)")
    STGB_131 = "stgb_131", _("§ 131 StGB: depiction of violence")
    STGB_140 = "stgb_140", _("§ 140 StGB: rewarding and approving of crimes")
    STGB_166 = "stgb_166", _("§ 166 StGB: defamation of religions and beliefs")
    STGB_184 = "stgb_184", _("§§ 184 ff. StGB: distribution of pornographic content")
    STGB_185 = "stgb_185", _("§ 185 StGB: insult")
    STGB_186 = "stgb_186", _("§ 186 StGB: defamation (üble Nachrede)")
    STGB_187 = "stgb_187", _("§ 187 StGB: intentional defamation (Verleumdung)")
    STGB_188 = "stgb_188", _("§ 188 StGB: defamation of persons in political life")
    STGB_201A = "stgb_201a", _("§ 201a StGB: violation of intimate privacy by images")
    STGB_241 = "stgb_241", _("§ 241 StGB: threat (Bedrohung)")
    STGB_269 = "stgb_269", _("§ 269 StGB: forgery of data relevant as evidence")
    GDPR = "gdpr", _("GDPR / BDSG: unlawful publication of personal data")
    COPYRIGHT = "copyright", _("UrhG: copyright infringement")
    FRAUD = "fraud", _("§ 263 StGB: fraud, scams")
    MINORS = "minors", _("§ 184b StGB, JMStV: endangering or abusing minors")
    OTHER = "other", _("Other legal provision (please name it in the explanation)")


class GroundType(models.TextChoices):
    RULE = "rule", _("Breach of a rule (netiquette)")
    LEGAL = "legal", _("Illegal content")


class CitedGround(models.Model):
    """The ground a notice or a decision cites: a clause of a rule version in force (its
    number and its wording as adopted, kept even if a later version changes it), or a
    legal ground. Which of the two is the model's own `kind` / `ground_type`."""

    rule_version = models.ForeignKey(
        "cooperative_governance.RuleVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rule version"),
    )
    clause = models.CharField(_("rule clause"), max_length=20, blank=True)
    clause_label = models.CharField(_("wording of the clause"), max_length=500, blank=True)
    legal_ground = models.CharField(
        _("legal ground"), max_length=20, choices=LegalGround.choices, blank=True
    )

    class Meta:
        abstract = True


class Report(CitedGround):
    """A notice (Meldung) about a contribution, DSA Art. 16."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DECIDED = "decided", _("Decided")
        REJECTED = "rejected", _("Rejected (no action)")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # The consultation the target belongs to (none for a profile name): the queue's scope
    # and the surge guard's count of reports per consultation.
    consultation = models.ForeignKey(
        "participation_consultations.ConsultationPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_reports",
        verbose_name=_("consultation"),
    )
    location_url = models.CharField(_("exact location"), max_length=URL_MAX_LENGTH)
    kind = models.CharField(_("kind of notice"), max_length=10, choices=GroundType.choices)
    explanation = models.TextField(_("explanation"), max_length=EXPLANATION_MAX_LENGTH)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_reports",
        verbose_name=_("reporter"),
    )
    reporter_name = models.CharField(_("name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("e-mail address"), blank=True)
    # A keyed hash of the reporter's IP: tells independent reporters apart without keeping
    # the address itself.
    reporter_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # The interface language the notice was given in: the reporter's mails use it.
    language = models.CharField(max_length=10, blank=True)
    good_faith = models.BooleanField(_("good-faith statement"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "status"], name="mod_report_target_idx"
            ),
            models.Index(fields=["consultation", "created_at"], name="mod_report_consult_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(good_faith=True), name="mod_report_good_faith"),
            models.CheckConstraint(
                condition=(Q(kind="rule") & ~Q(clause="") & Q(legal_ground=""))
                | (Q(kind="legal") & ~Q(legal_ground="")),
                name="mod_report_ground_fits_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"notice #{self.pk} on {self.content_type_id}:{self.object_id}"


class ModerationDecision(CitedGround):
    """A moderation act and its statement of reasons (Begründung, DSA Art. 17)."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hide")
        RESTORE = "restore", _("Restore")
        REMOVE = "remove", _("Remove")
        APPROVE = "approve", _("Approve (pre-moderation)")
        REJECT = "reject", _("Reject (pre-moderation)")
        LOCK = "lock", _("Lock thread")
        UNLOCK = "unlock", _("Unlock thread")
        PREMODERATION_ON = "premoderation_on", _("Switch pre-moderation on")
        PREMODERATION_OFF = "premoderation_off", _("Switch pre-moderation off")
        SUSPEND = "suspend", _("Suspend user")
        UNSUSPEND = "unsuspend", _("Lift suspension")

    class Source(models.TextChoices):
        NOTICE = "notice", _("Notice (Art. 16 DSA)")
        OWN_INITIATIVE = "own_initiative", _("Own initiative")
        AUTOMATED = "automated", _("Automated detection")
        APPEAL = "appeal", _("Appeal (Art. 20 DSA)")

    class Automation(models.TextChoices):
        NOT_AUTOMATED = "not", _("Not automated")
        PARTIALLY = "partially", _("Partially automated")
        FULLY = "fully", _("Fully automated")

    puid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    consultation = models.ForeignKey(
        "participation_consultations.ConsultationPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_decisions",
        verbose_name=_("consultation"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # The person the decision restricts (the author, the suspended user): told, may appeal.
    affected_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_decisions_received",
        verbose_name=_("affected person"),
    )
    # --- statement of reasons
    restriction = models.TextField(_("what is restricted"), max_length=1000)
    end_date = models.DateTimeField(_("restricted until"), null=True, blank=True)
    facts = models.TextField(_("facts and circumstances"), max_length=EXPLANATION_MAX_LENGTH)
    ground_type = models.CharField(
        _("ground"), max_length=10, choices=GroundType.choices, blank=True
    )
    ground_explanation = models.TextField(
        _("why the ground applies"), max_length=EXPLANATION_MAX_LENGTH, blank=True
    )
    automated_detection = models.BooleanField(_("detected automatically"), default=False)
    automated_decision = models.CharField(
        _("decided automatically"),
        max_length=10,
        choices=Automation.choices,
        default=Automation.NOT_AUTOMATED,
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    redress = models.TextField(_("how to seek redress"), max_length=2000)
    # What the content was: its date and language (for the transparency database).
    content_date = models.DateTimeField(null=True, blank=True)
    content_language = models.CharField(max_length=10, blank=True)
    # --- who and when
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_decisions_made",
        verbose_name=_("moderator"),
    )
    mandate = models.ForeignKey(
        "cooperative_mandates.ModerationMandate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("mandate used"),
    )
    reports = models.ManyToManyField(
        Report, blank=True, related_name="decisions", verbose_name=_("notices")
    )
    # An automated decision waits for a human; it stays first in the queue until one acts.
    awaiting_review = models.BooleanField(default=False, db_index=True)
    appeal = models.ForeignKey(
        "Appeal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resulting_decisions",
        verbose_name=_("decided on appeal"),
    )
    reversed_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reverses",
        verbose_name=_("reversed by"),
    )
    created_at = models.DateTimeField(_("decided"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "created_at"], name="mod_decision_target_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ground_type="")
                | (Q(ground_type="rule") & Q(rule_version__isnull=False) & ~Q(clause=""))
                | (Q(ground_type="legal") & ~Q(legal_ground="")),
                name="mod_decision_ground_complete",
            ),
            models.CheckConstraint(
                condition=~Q(source="appeal") | Q(appeal__isnull=False),
                name="mod_decision_appeal_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} · {self.puid}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("moderation_decision_detail", args=[self.puid])

    @property
    def is_restriction(self) -> bool:
        return self.action in RESTRICTING_ACTIONS

    @property
    def is_reversed(self) -> bool:
        return self.reversed_by_id is not None


RESTRICTING_ACTIONS = frozenset(
    {
        ModerationDecision.Action.HIDE,
        ModerationDecision.Action.REMOVE,
        ModerationDecision.Action.REJECT,
        ModerationDecision.Action.LOCK,
        ModerationDecision.Action.PREMODERATION_ON,
        ModerationDecision.Action.SUSPEND,
    }
)


class Appeal(models.Model):
    """A complaint (Beschwerde, DSA Art. 20) against a decision, by the person affected."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Rejected: the decision stands")
        REVERSED = "reversed", _("Justified: the decision was reversed")

    decision = models.ForeignKey(
        ModerationDecision,
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("decision"),
    )
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="moderation_appeals",
        verbose_name=_("appellant"),
    )
    text = models.TextField(_("reasons of the appeal"), max_length=EXPLANATION_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # Copied from the decision so that the database itself refuses the same moderator.
    decision_moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_appeals_decided",
        verbose_name=_("decided by"),
    )
    reasons = models.TextField(
        _("reasons of the outcome"), max_length=EXPLANATION_MAX_LENGTH, blank=True
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision"], condition=Q(status="open"), name="mod_appeal_one_open"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | Q(decision_moderator__isnull=True)
                | ~Q(decided_by=F("decision_moderator")),
                name="mod_appeal_other_moderator",
            ),
            models.CheckConstraint(
                condition=Q(status="open", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status="open") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="mod_appeal_decided_fields",
            ),
        ]

    def __str__(self) -> str:
        return f"appeal #{self.pk} on {self.decision_id}"
