from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from frontend.blocks import BodyBlock


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["cms.ContentPage", "participation_consultations.ConsultationIndexPage"]
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

    panels = [
        FieldPanel("tagline"),
        FieldPanel("operator"),
        FieldPanel("contact_email"),
        MultiFieldPanel(
            [
                FieldPanel("imprint_page"),
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
            ],
            heading=_("Legally required pages"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")
