"""Polls (Umfragen) inside a consultation, and the votes cast in them.

A poll and its options are edited with the consultation page in the Wagtail admin, so
they go through the organisation's approval workflow like the rest of the page. A vote
is one row per participant and poll (a database constraint, not a Python check) with
one answer row per chosen, ranked or rated option; results are always counted from
these rows, so what is shown is a recount.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

OTHER_MAX_LENGTH = 200


class Poll(Orderable, ClusterableModel):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        RANKING = "ranking", _("Ranking of the options")
        RATING = "rating", _("Rating of each option on a scale")

    class Visibility(models.TextChoices):
        LIVE = "live", _("At any time, updated live")
        AFTER_VOTE = "after_vote", _("To each participant after voting")
        AFTER_CLOSE = "after_close", _("Only once the poll has closed")

    page = ParentalKey(
        "participation_consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="polls",
    )
    question = models.CharField(_("question"), max_length=300)
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Optional background shown with the question.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    max_choices = models.PositiveSmallIntegerField(
        _("at most this many options"),
        null=True,
        blank=True,
        help_text=_("Multiple choice only; empty means any number."),
    )
    scale_max = models.PositiveSmallIntegerField(
        _("top of the rating scale"),
        default=5,
        help_text=_("Rating only: each option is rated from 1 to this number (2 to 10)."),
    )
    allow_other = models.BooleanField(
        _("“Other” with free text"),
        default=False,
        help_text=_("Single and multiple choice: participants may add an answer of their own."),
    )
    allow_change = models.BooleanField(
        _("votes may be changed"), default=True, help_text=_("Until the poll closes.")
    )
    results_visibility = models.CharField(
        _("results are shown"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.AFTER_VOTE,
    )
    closes_at = models.DateTimeField(
        _("closes"),
        null=True,
        blank=True,
        help_text=_("Optional; otherwise the poll closes when no phase allows voting any more."),
    )

    panels = [
        FieldPanel("question"),
        FieldPanel("explanation"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("max_choices"), FieldPanel("scale_max")]),
        FieldRowPanel([FieldPanel("allow_other"), FieldPanel("allow_change")]),
        FieldRowPanel([FieldPanel("results_visibility"), FieldPanel("closes_at")]),
        MultiFieldPanel(
            [InlinePanel("choices", label=_("Option"), min_num=2)], heading=_("Options")
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_max__gte=2, scale_max__lte=10),
                name="polls_scale_between_2_and_10",
                violation_error_message=_("The rating scale must go up to between 2 and 10."),
            )
        ]

    def __str__(self) -> str:
        return self.question

    def clean(self) -> None:
        super().clean()
        limited = self.kind == self.Kind.MULTIPLE and self.max_choices is not None
        if limited and self.max_choices < 1:
            raise ValidationError({"max_choices": _("Allow at least one option.")})
        if self.allow_other and self.kind not in (self.Kind.SINGLE, self.Kind.MULTIPLE):
            raise ValidationError(
                {"allow_other": _("Free-text answers exist only for single and multiple choice.")}
            )

    def get_absolute_url(self) -> str:
        return f"{self.page.url}#poll-{self.pk}"

    @property
    def closed_at(self):
        """When the poll was closed early, if it was (kept outside the page's revisions, so
        that publishing an older draft can never reopen it)."""
        if "_closed_at" not in self.__dict__:
            closure = PollClosure.objects.filter(poll_id=self.pk).first() if self.pk else None
            self.__dict__["_closed_at"] = closure.closed_at if closure else None
        return self.__dict__["_closed_at"]

    @closed_at.setter
    def closed_at(self, value) -> None:
        self.__dict__["_closed_at"] = value

    @property
    def choice_limit(self) -> int | None:
        return self.max_choices if self.kind == self.Kind.MULTIPLE else None

    def is_closed(self, now=None) -> bool:
        """Closed early, past its closing time, or no phase of the consultation opens voting
        any more."""
        now = now or timezone.now()
        if self.closed_at is not None and self.closed_at <= now:
            return True
        if self.closes_at is not None and self.closes_at <= now:
            return True
        phases = getattr(self, "phases_loaded", None)
        if phases is None:
            phases = list(self.page.phases.all())
        return not any(phase.allows_vote and phase.ends_at > now for phase in phases)


class PollClosure(models.Model):
    """A poll closed before its time, by an editor of the organisation."""

    poll = models.OneToOneField(
        Poll, on_delete=models.CASCADE, primary_key=True, related_name="closure"
    )
    closed_at = models.DateTimeField(_("closed"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("closing of a poll")
        verbose_name_plural = _("closings of polls")

    def __str__(self) -> str:
        return f"poll {self.poll_id} closed at {self.closed_at:%Y-%m-%d %H:%M}"


class PollChoice(Orderable):
    poll = ParentalKey(Poll, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("option"), max_length=200)

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_votes"
    )
    other_text = models.CharField(_("other answer"), max_length=OTHER_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="polls_one_vote_per_participant")
        ]

    def __str__(self) -> str:
        return f"vote {self.pk} in poll {self.poll_id}"


class PollAnswer(models.Model):
    """One option of a vote: chosen (single, multiple), ranked (rank 1 = first) or rated."""

    vote = models.ForeignKey(PollVote, on_delete=models.CASCADE, related_name="answers")
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="+")
    # PROTECT: an option that has votes cannot disappear from under them.
    choice = models.ForeignKey(PollChoice, on_delete=models.PROTECT, related_name="answers")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "choice"], name="polls_option_once_per_vote")
        ]
        indexes = [models.Index(fields=["poll", "choice"], name="polls_answer_count_idx")]

    def __str__(self) -> str:
        return f"answer {self.choice_id} of vote {self.vote_id}"
