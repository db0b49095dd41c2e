import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperative.membership.models import Member, MemberGroup


class RuleDocument(models.Model):
    """A body of rules the members decide on: netiquette, moderation policy, terms, statute."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rule document")
        verbose_name_plural = _("rule documents")
        ordering = ["sort_order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("rule_document", args=[self.slug])


class RuleVersion(models.Model):
    """One wording of a rule document. The version in force at a moment is the one with the
    latest `in_force_from` not after it: exactly one at any time after the first."""

    document = models.ForeignKey(
        RuleDocument, on_delete=models.PROTECT, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("text"))
    summary = models.CharField(_("summary of changes"), max_length=300, blank=True)
    in_force_from = models.DateTimeField(_("in force from"))
    motion = models.OneToOneField(
        "Motion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enacted_version",
        verbose_name=_("adopted by motion"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set by the handler that records the version's coming into force in the audit log.
    in_force_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="rule_version_number"),
            models.UniqueConstraint(
                fields=["document", "in_force_from"], name="rule_version_one_at_a_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} · {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("rule_version", args=[self.document.slug, self.number])


class Motion(models.Model):
    """Antrag: a new version of one rule document, with rationale. An amendment
    (Änderungsantrag) proposes another wording of a motion and is voted on first."""

    class State(models.TextChoices):
        COLLECTING = "collecting", _("Collecting support")
        SUPPORTED = "supported", _("Supported")
        SCHEDULED = "scheduled", _("Ballot scheduled")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")

    document = models.ForeignKey(
        RuleDocument, on_delete=models.PROTECT, related_name="motions", verbose_name=_("document")
    )
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("amendment to"),
    )
    base_version = models.ForeignKey(
        RuleVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on version"),
    )
    title = models.CharField(_("title"), max_length=200)
    rationale = models.TextField(_("rationale"))
    proposed_body = models.TextField(_("proposed text"))
    proposer = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="motions", verbose_name=_("proposer")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.COLLECTING
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("motion_detail", args=[self.pk])


class MotionSupport(models.Model):
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="supports")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["motion", "member"], name="motion_support_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.motion_id}"


class MotionComment(models.Model):
    """The members' discussion of a motion: a plain thread, in order of writing."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="comments")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("contribution"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("motion contribution")
        verbose_name_plural = _("motion contributions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.motion_id} · {self.created_at:%Y-%m-%d %H:%M}"


class Majority(models.TextChoices):
    SIMPLE = "simple", _("Simple majority")
    TWO_THIRDS = "two_thirds", _("Two-thirds majority")
    THREE_QUARTERS = "three_quarters", _("Three-quarters majority")


class Choice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")


class Ballot(models.Model):
    """Abstimmung on one motion. draft → scheduled → open → closed → enacted | rejected."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed, being counted")
        ENACTED = "enacted", _("Adopted")
        REJECTED = "rejected", _("Rejected")

    motion = models.ForeignKey(
        Motion, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("motion")
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    majority = models.CharField(
        _("majority"), max_length=20, choices=Majority.choices, default=Majority.SIMPLE
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (% of eligible members)"), default=0
    )
    majority_in_every_group = models.BooleanField(
        _("majority in every member group"), default=False
    )
    secret = models.BooleanField(_("secret ballot"), default=False)
    interim_visible = models.BooleanField(_("interim tally visible"), default=False)
    effective_at = models.DateTimeField(_("new version in force from"), null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    tallied_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    minutes = models.JSONField(_("minutes"), null=True, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="ballot_window"
            ),
            models.CheckConstraint(
                condition=Q(quorum_percent__lte=100), name="ballot_quorum_percent"
            ),
        ]

    def __str__(self) -> str:
        return str(self.motion)

    def get_absolute_url(self) -> str:
        return reverse("ballot_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.ENACTED, self.State.REJECTED)


class BallotEligibility(models.Model):
    """Who may vote, fixed from the register when the ballot opens."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="eligible")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    member_group = models.CharField(max_length=20, choices=MemberGroup.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "member"], name="ballot_eligible_once")
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} · {self.member_id}"


class Proxy(models.Model):
    """Vollmacht: the principal lets the holder vote for them in one ballot (GenG §43(5):
    a holder represents at most two members)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="proxies")
    principal = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "principal"], name="proxy_one_per_principal"),
            models.CheckConstraint(
                condition=~Q(principal=models.F("holder")), name="proxy_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.principal_id} → {self.holder_id} ({self.ballot_id})"


class Vote(models.Model):
    """A vote in an open (non-secret) ballot: one member, one vote (GenG §43(3))."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="votes")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    member_group = models.CharField(max_length=20, choices=MemberGroup.choices)
    choice = models.CharField(max_length=10, choices=Choice.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    by_proxy = models.ForeignKey(Proxy, on_delete=models.PROTECT, null=True, related_name="+")
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "member"], name="ballot_one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} · {self.member_id}"


class SecretParticipation(models.Model):
    """Who took part in a secret ballot; what they chose is in SecretChoice, unlinked.
    No time is stored, so rows cannot be matched to choices by when they were written."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="participations")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    by_proxy = models.ForeignKey(Proxy, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "member"], name="secret_one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} · {self.member_id}"


class SecretChoice(models.Model):
    """What was chosen in a secret ballot. A random key, no time, no member; the member
    group only, which the majority in every group needs. Read in key order, which is random,
    so the order of writing is not shown either."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="secret_choices")
    member_group = models.CharField(max_length=20, choices=MemberGroup.choices)
    choice = models.CharField(max_length=10, choices=Choice.choices)
    receipt_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.id)
