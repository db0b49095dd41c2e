from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from itertools import pairwise
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import classproperty
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, Task, TaskState, WorkflowState
from wagtail.search import index
from wagtail.signals import workflow_approved

from cooperative.organisations.models import Organisation
from cooperative.permissions import allowed
from cooperative.slugs import GermanSlugMixin
from frontend.blocks import BodyBlock, DraftTextBlock
from participation.consultations.panels import EmbedCodePanel
from participation.consultations.sections import (
    editor_checks_run,
    editor_panels,
    page_sections_context,
)


class ConsultationState(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    EVALUATION = "evaluation", _("In evaluation")
    FINISHED = "finished", _("Finished")


class ModerationMode(models.TextChoices):
    POST = "post", _("Post-moderation: contributions appear at once")
    PRE = "pre", _("Pre-moderation: contributions appear after approval")


class ConsultationIndexPage(GermanSlugMixin, Page):
    """One per organisation: the organisation's area in the page tree and its public profile."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="consultation_index",
        verbose_name=_("organisation"),
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    editors_group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["participation_consultations.ConsultationPage"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    template = "participation_consultations/consultation_index_page.html"

    class Meta:
        verbose_name = _("organisation area")
        verbose_name_plural = _("organisation areas")

    def get_context(self, request, *args, **kwargs):
        from participation.consultations.selectors import consultations_for_listing

        context = super().get_context(request, *args, **kwargs)
        context["consultations"] = consultations_for_listing(
            request.user, organisation=self.organisation
        )
        return context


class ConsultationPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "participation_consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="tagged_items",
    )


class ConsultationPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        phases = []
        formset = self.formsets.get("phases")
        if formset is not None:
            for form in formset.forms:
                if not form.is_valid() or form.cleaned_data.get("DELETE"):
                    continue
                start, end = form.cleaned_data.get("starts_at"), form.cleaned_data.get("ends_at")
                if start and end:
                    phases.append((start, end))
        phases.sort()
        for (_start_a, end_a), (start_b, _end_b) in pairwise(phases):
            if start_b < end_a:
                raise ValidationError(_("Phases must not overlap."))
        editor_checks_run(self)  # the contribution kinds' checks (sections.py)
        return cleaned_data


@dataclass(frozen=True)
class DraftParagraph:
    """A paragraph (Absatz) of the draft text as readers see it: numbered 1..n."""

    number: int
    block_id: str
    value: Any

    @property
    def anchor(self) -> str:
        return f"absatz-{self.number}"


class ConsultationPage(GermanSlugMixin, Page):
    """A consultation (Beteiligungsverfahren) run by one organisation."""

    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("Two or three sentences shown in lists.")
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    draft_text_title = models.CharField(
        _("title of the draft text"),
        max_length=200,
        blank=True,
        help_text=_("For example “Draft statute on street trees”. Empty: “Draft text”."),
    )
    draft_text = StreamField(
        DraftTextBlock(),
        verbose_name=_("draft text"),
        blank=True,
        help_text=_(
            "A text that participants comment on paragraph by paragraph (Textentwurf "
            "kommentieren), while the phase allows comments."
        ),
    )
    moderation_mode = models.CharField(
        _("moderation mode"),
        max_length=10,
        choices=ModerationMode.choices,
        default=ModerationMode.POST,
    )
    tags = ClusterTaggableManager(through=ConsultationPageTag, blank=True, verbose_name=_("topics"))
    results_summary = RichTextField(
        _("results"),
        blank=True,
        features=["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"],
        help_text=_("The outcome and the organisation's final statement, shown once published."),
    )

    own_content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("tags"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("draft_text_title"), FieldPanel("draft_text")], heading=_("Draft text")
        ),
        InlinePanel("phases", heading=_("Phases"), label=_("Phase"), min_num=1),
    ]
    results_panels = [MultiFieldPanel([FieldPanel("results_summary")], heading=_("Results"))]
    settings_panels = [
        *Page.settings_panels,
        FieldPanel("moderation_mode"),
        EmbedCodePanel(heading=_("Embedding on other websites")),
    ]
    base_form_class = ConsultationPageForm
    parent_page_types = ["participation_consultations.ConsultationIndexPage"]
    subpage_types: list[str] = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("draft_text"),
        index.SearchField("results_summary"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    template = "participation_consultations/consultation_page.html"

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    @classproperty
    def content_panels(cls) -> list:
        """The page's own panels, then the contribution kinds' (the polls, registered in
        sections.py when their app is ready), then the results."""
        return [*cls.own_content_panels, *editor_panels(), *cls.results_panels]

    @cached_property
    def organisation(self) -> Organisation | None:
        """The owner: the organisation whose area the page lives in."""
        parent = self.get_parent()
        if parent is None:
            return None
        index_page = ConsultationIndexPage.objects.filter(pk=parent.pk).select_related(
            "organisation"
        )
        first = index_page.first()
        return first.organisation if first else None

    def draft_paragraphs(self) -> list[DraftParagraph]:
        """The paragraphs of the draft text in this (published) version, numbered 1..n."""
        paragraphs = [block for block in self.draft_text if block.block_type == "paragraph"]
        return [
            DraftParagraph(number=number, block_id=str(block.id), value=block.value)
            for number, block in enumerate(paragraphs, start=1)
        ]

    def phases_in_order(self) -> list[ConsultationPhase]:
        return sorted(self.phases.all(), key=lambda phase: phase.starts_at)

    def current_phase(self, now: datetime | None = None) -> ConsultationPhase | None:
        now = now or timezone.now()
        for phase in self.phases_in_order():
            if phase.starts_at <= now < phase.ends_at:
                return phase
        return None

    def state(self, now: datetime | None = None) -> str:
        from participation.consultations.selectors import consultation_state

        return consultation_state(self.phases_in_order(), now or timezone.now())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context["phases"] = self.phases_in_order()
        context["current_phase"] = self.current_phase(now)
        context["consultation_state"] = self.state(now)
        context["now"] = now
        context.update(page_sections_context(request, self))
        return context


class ConsultationSearchText(models.Model):
    """The folded text of a published consultation, by field, as the search reads it
    (participation/consultations/search.py); made from revision `revision_id`."""

    page = models.OneToOneField(
        ConsultationPage,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_text",
    )
    revision_id = models.BigIntegerField(null=True)
    text_format = models.PositiveSmallIntegerField()
    title = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.title


class ConsultationPhase(Orderable):
    """A period of a consultation and the actions it opens."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        PARTICIPATION = "participation", _("Participation")
        EVALUATION = "evaluation", _("Evaluation")
        RESULT = "result", _("Result")

    page = ParentalKey(ConsultationPage, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(
        _("title"), max_length=120, blank=True, help_text=_("Optional; the kind is shown if empty.")
    )
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    allows_comment = models.BooleanField(_("comments open"), default=False)
    allows_vote = models.BooleanField(_("polls open"), default=False)
    allows_propose = models.BooleanField(_("proposals open"), default=False)
    allows_support = models.BooleanField(_("support open"), default=False)

    panels = [
        FieldPanel("kind"),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("allows_comment"),
        FieldPanel("allows_vote"),
        FieldPanel("allows_propose"),
        FieldPanel("allows_support"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="consultations_phase_ends_after_start",
                violation_error_message=_("A phase must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or str(self.get_kind_display())

    def allows(self, action: str) -> bool:
        return bool(getattr(self, f"allows_{action}", False))

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A phase must end after it starts.")})


class OrganisationApprovalTask(Task):
    """Four-eyes approval: another editor of the owning organisation publishes the page.

    The submitter can never approve their own submission; platform admins can approve any.
    """

    class Meta:
        verbose_name = _("approval by a second editor of the organisation")
        verbose_name_plural = _("approvals by a second editor of the organisation")

    def _submitter_ids(self, obj) -> set[int]:
        # Whoever asked for this approval: the workflow's requester and the author of the
        # revision under review, who differs when someone else resubmitted after changes
        # were requested.
        workflow_state = getattr(obj, "current_workflow_state", None)
        if workflow_state is None:
            return set()
        ids = {workflow_state.requested_by_id}
        task_state = workflow_state.current_task_state
        if task_state is not None:
            ids.add(task_state.revision.user_id)
        return {pk for pk in ids if pk is not None}

    def user_can_approve(self, obj, user) -> bool:
        return allowed(
            user, "participation_consultations.approve_consultationpage", obj
        ) and user.pk not in self._submitter_ids(obj)

    def start(self, workflow_state, user=None):
        return super().start(workflow_state, user=user)

    def user_can_access_editor(self, obj, user) -> bool:
        return self.user_can_approve(obj, user)

    def locked_for_user(self, obj, user) -> bool:
        return not self.user_can_approve(obj, user)

    def get_actions(self, obj, user):
        if self.user_can_approve(obj, user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve"), False),
                ("approve", _("Approve with comment"), True),
            ]
        return []

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        # Wagtail's action view asks get_actions about the page named in the URL, not about
        # the task state it then acts on; ask again about the task state's own object.
        workflow_state = task_state.workflow_state
        allowed = {
            name for name, _label, _modal in self.get_actions(workflow_state.content_object, user)
        }
        if task_state.status != TaskState.STATUS_IN_PROGRESS or action_name not in allowed:
            raise PermissionDenied
        if action_name != "approve":
            return super().on_action(task_state, user, action_name, **kwargs)
        task_state.approve(user=user, update=False, **kwargs)
        if workflow_state.get_next_task() is not None:
            workflow_state.update(user=user)
            return None
        # Wagtail's own finish publishes only for holders of the publish permission, which
        # editors lack by design: here the second editor's approval is what permits publishing.
        workflow_state.status = WorkflowState.STATUS_APPROVED
        workflow_state.save()
        workflow_state.content_object.get_latest_revision().publish(
            user=user, skip_permission_checks=True
        )
        workflow_approved.send(sender=WorkflowState, instance=workflow_state, user=user)
        return None

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS, task=self.task_ptr
        ).select_related("workflow_state")
        allowed = [
            state.pk
            for state in states
            if self.user_can_approve(state.workflow_state.content_object, user)
        ]
        return TaskState.objects.filter(pk__in=allowed)

    @classmethod
    def get_description(cls):
        return _("Another editor of the page's organisation must approve before it goes live.")
