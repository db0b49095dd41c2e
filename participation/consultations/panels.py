"""The page editor's panel with the code that shows a consultation on another website."""

from __future__ import annotations

from html import escape

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.admin.panels import Panel

from participation.consultations.sections import embed_parts

EMBED_HEIGHT = 900  # pixels; the discussion scrolls inside the frame below that


def embed_url(page, part: str = "") -> str:
    """The embed view's address in the platform's default language, absolute."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("consultation_embed", kwargs={"consultation_id": page.pk})
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"{base}{path}" + (f"?abschnitt={part}" if part else "")


def embed_code(page, part: str = "") -> str:
    """The <iframe> element a website puts where the consultation should appear; its
    title names the frame for screen readers (WCAG 4.1.2). Plain text: the page shows it
    escaped, to be copied."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Consultation “%(title)s” on Allmende") % {"title": page.title}
    return (
        f'<iframe src="{escape(embed_url(page, part))}" title="{escape(title)}" '
        f'width="100%" height="{EMBED_HEIGHT}" loading="lazy"></iframe>'
    )


class EmbedCodePanel(Panel):
    """Read-only: the embed code, the parts one may pick, and the websites the owning
    organisation lets frame it (set on the organisation, not here)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "participation_consultations/consultation_embed_code_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            saved = page is not None and page.pk is not None
            organisation = page.organisation if saved else None
            context.update(
                {
                    "saved": saved,
                    "embed_code": embed_code(page) if saved else "",
                    "embed_parts": [
                        {"part": part, "url": embed_url(page, part)} for part in embed_parts()
                    ]
                    if saved
                    else [],
                    "embed_origins": organisation.embed_origin_list if organisation else [],
                }
            )
            return context
