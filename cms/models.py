import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from frontend.blocks import BodyBlock

FEEDBACK_MESSAGE_MAX_LENGTH = 5000


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    subpage_types = [
        "cms.ContentPage",
        "cms.EasyLanguagePage",
        "cms.SignLanguagePage",
        "cms.AccessibilityStatementPage",
        "participation_consultations.ConsultationIndexPage",
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from participation.consultations.models import ConsultationState
        from participation.consultations.selectors import (
            attach_organisations,
            consultation_counts_by_state,
            consultations_for_listing,
        )

        context = super().get_context(request, *args, **kwargs)
        open_now = list(consultations_for_listing(request.user, state=ConsultationState.OPEN)[:6])
        upcoming = list(
            consultations_for_listing(request.user, state=ConsultationState.UPCOMING)[:3]
        )
        attach_organisations([*open_now, *upcoming])
        context["open_consultations"] = open_now
        context["upcoming_consultations"] = upcoming
        context["state_counts"] = consultation_counts_by_state(request.user)
        return context


class ContentPage(Page):
    """Plain pages: about, imprint, privacy policy, accessibility statement, help."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage"]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    template = "cms/content_page.html"

    class Meta:
        verbose_name = _("content page")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    tagline = models.CharField(
        _("tagline"), max_length=160, blank=True, default="Beteiligung. Gemeinsam. Offen."
    )
    operator = models.CharField(
        _("operator"), max_length=200, blank=True, default="Allmende eG (Genossenschaft)"
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    imprint_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imprint"),
    )
    privacy_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("privacy policy"),
    )
    accessibility_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accessibility statement"),
    )
    # BITV 2.0 § 4: the start page and every footer lead to both.
    easy_language_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Easy Read page"),
    )
    sign_language_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Sign language page"),
    )

    panels = [
        FieldPanel("tagline"),
        FieldPanel("operator"),
        FieldPanel("contact_email"),
        MultiFieldPanel(
            [
                FieldPanel("imprint_page"),
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
                FieldPanel("easy_language_page"),
                FieldPanel("sign_language_page"),
            ],
            heading=_("Legally required pages"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")


def english_title_field() -> models.CharField:
    """These pages exist once (pages are not translated on this platform); the English
    interface shows their English title and text where the operator wrote one."""
    return models.CharField(
        _("English title"),
        max_length=255,
        blank=True,
        help_text=_("Shown when the interface is English. Empty: the German title is shown."),
    )


def title_for(page, language: str) -> str:
    return page.title_en if language == "en" and page.title_en else page.title


class EasyLanguagePage(Page):
    """Leichte Sprache (BITV 2.0 § 4): what the platform offers and how to find one's way
    around it, in German easy language, and an English Easy Read text for the English
    interface."""

    title_en = english_title_field()
    body = StreamField(
        BodyBlock(),
        verbose_name=_("text in Easy Read (Leichte Sprache)"),
        blank=True,
        help_text=_(
            "Short sentences, one statement per sentence, common words; explain hard words."
        ),
    )
    body_en = StreamField(
        BodyBlock(),
        verbose_name=_("English Easy Read text"),
        blank=True,
        help_text=_("Shown when the interface is English. Empty: the German text is shown."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("title_en"), FieldPanel("body_en")], heading=_("English")),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    search_fields = [*Page.search_fields, index.SearchField("body")]
    template = "cms/easy_language_page.html"

    class Meta:
        verbose_name = _("Easy Read page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["title"] = title_for(self, translation.get_language() or "")
        english = translation.get_language() == "en" and bool(self.body_en)
        context["text"] = self.body_en if english else self.body
        context["text_language"] = "en" if english else "de"
        return context


SIGN_LANGUAGE_VIDEO_EXTENSIONS = ("mp4", "webm")


class SignLanguagePage(Page):
    """Information in German Sign Language (Deutsche Gebärdensprache, BITV 2.0 § 4): a video
    the operator uploads as a document, its text alternative, and until there is one, a
    note that it is in preparation."""

    title_en = english_title_field()
    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("English introduction"), blank=True)
    video = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("video in German Sign Language"),
        help_text=_("An MP4 or WebM file, uploaded as a document."),
    )
    captions = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("captions"),
        help_text=_("Optional: German captions of the video as a WebVTT file (.vtt)."),
    )
    transcript = RichTextField(
        _("text of the video"),
        blank=True,
        features=["h3", "bold", "link", "ol", "ul"],
        help_text=_("What the video says, as text: its text alternative."),
    )
    transcript_en = RichTextField(
        _("English text of the video"),
        blank=True,
        features=["h3", "bold", "link", "ol", "ul"],
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("video"),
        FieldPanel("captions"),
        FieldPanel("transcript"),
        MultiFieldPanel(
            [FieldPanel("title_en"), FieldPanel("intro_en"), FieldPanel("transcript_en")],
            heading=_("English"),
        ),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    search_fields = [*Page.search_fields, index.SearchField("transcript")]
    template = "cms/sign_language_page.html"

    class Meta:
        verbose_name = _("Sign language page")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.video and self.video.file_extension.lower() not in SIGN_LANGUAGE_VIDEO_EXTENSIONS:
            errors["video"] = _("Please choose a video file (MP4 or WebM).")
        if self.captions and self.captions.file_extension.lower() != "vtt":
            errors["captions"] = _("Please choose a WebVTT file (.vtt).")
        if errors:
            raise ValidationError(errors)

    @property
    def video_type(self) -> str:
        return "video/webm" if self.video and self.video.file_extension == "webm" else "video/mp4"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        english = translation.get_language() == "en"
        context["title"] = title_for(self, translation.get_language() or "")
        context["intro"] = (self.intro_en if english else "") or self.intro
        context["intro_language"] = "en" if english and self.intro_en else "de"
        context["transcript"] = (self.transcript_en if english else "") or self.transcript
        context["transcript_language"] = "en" if english and self.transcript_en else "de"
        return context


class ConformanceStatus(models.TextChoices):
    FULL = "full", _("fully conformant")
    PARTIAL = "partial", _("partially conformant")
    NONE = "none", _("not conformant")


class AssessmentMethod(models.TextChoices):
    SELF = "self", _("self-assessment")
    TEST = "test", _("accessibility test by a third party")


class AccessibilityStatementPage(RoutablePageMixin, Page):
    """The accessibility statement (Erklärung zur Barrierefreiheit, BITV 2.0 § 7 and its
    annex): conformance status, what is not accessible and why, how the statement was
    made, the feedback form, and the enforcement procedure."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Which body publishes the statement, and which website it covers."),
    )
    conformance = models.CharField(
        _("conformance status"),
        max_length=10,
        choices=ConformanceStatus.choices,
        default=ConformanceStatus.PARTIAL,
        help_text=_("With BITV 2.0, EN 301 549 and WCAG 2.1 level AA."),
    )
    prepared_on = models.DateField(_("statement prepared on"), default=datetime.date.today)
    reviewed_on = models.DateField(_("last reviewed on"), default=datetime.date.today)
    method = models.CharField(
        _("assessment method"),
        max_length=10,
        choices=AssessmentMethod.choices,
        default=AssessmentMethod.SELF,
    )
    method_details = models.TextField(
        _("about the assessment"),
        blank=True,
        help_text=_("For example who tested, with which procedure, and when."),
    )
    feedback_text = RichTextField(
        _("feedback: further contact details"),
        blank=True,
        features=["bold", "link", "ul"],
        help_text=_("Shown above the feedback form, e.g. a postal address or telephone number."),
    )
    enforcement_text = RichTextField(
        _("enforcement procedure"),
        blank=True,
        features=["h3", "bold", "link", "ul"],
        help_text=_(
            "Empty: the standard text about the conciliation body under § 16 BGG is shown. "
            "Bodies of a federal state name their state's enforcement body here."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("conformance"),
        InlinePanel("barriers", heading=_("Content that is not accessible"), label=_("barrier")),
        MultiFieldPanel(
            [
                FieldPanel("prepared_on"),
                FieldPanel("reviewed_on"),
                FieldPanel("method"),
                FieldPanel("method_details"),
            ],
            heading=_("Preparation of this statement"),
        ),
        FieldPanel("feedback_text"),
        FieldPanel("enforcement_text"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count = 1
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    template = "cms/accessibility_statement_page.html"

    class Meta:
        verbose_name = _("accessibility statement")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["barriers"] = list(self.barriers.all())
        context["content_language"] = settings.LANGUAGE_CODE
        return context

    @path("")
    def statement(self, request):
        from cms.views import accessibility_statement

        return accessibility_statement(request, page=self)

    @path("danke/", name="feedback_received")
    def feedback_received(self, request):
        from cms.views import accessibility_feedback_received

        return accessibility_feedback_received(request, page=self)


class AccessibilityBarrier(Orderable):
    """One part of the site that is not accessible: what, why, and what to use instead."""

    page = ParentalKey(
        AccessibilityStatementPage, on_delete=models.CASCADE, related_name="barriers"
    )
    part = models.CharField(_("what is not accessible"), max_length=255)
    reason = models.TextField(
        _("reason"),
        help_text=_("Why, e.g. disproportionate burden, or not yet fixed (until when)."),
    )
    alternative = models.TextField(_("accessible alternative"), blank=True)

    panels = [FieldPanel("part"), FieldPanel("reason"), FieldPanel("alternative")]

    class Meta(Orderable.Meta):
        verbose_name = _("barrier")
        verbose_name_plural = _("barriers")

    def __str__(self) -> str:
        return self.part


class AccessibilityFeedback(models.Model):
    """A message sent with the statement's feedback form (BITV 2.0 § 7(1) no. 2): a barrier
    someone met, or a request for content in an accessible form. Kept for the operator,
    who answers it; no network address is stored."""

    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    message = models.TextField(_("message"), max_length=FEEDBACK_MESSAGE_MAX_LENGTH)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    page_url = models.CharField(_("page concerned"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")

    def __str__(self) -> str:
        return Truncator(self.message).chars(60)
