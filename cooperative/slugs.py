"""Addresses of German titles in plain ASCII, the way German readers spell them without
umlauts: "Lärmaktionsplan Straße" → "laermaktionsplan-strasse", never the percent-encoded
"l%C3%A4rm…" of a Unicode slug, nor the "larmaktionsplan" of a generic transliteration.

The admin's slug field transliterates while the editor types (Wagtail's slug widget runs
the same replacements as its formatters before its own urlify); `german_slugify` does it on
the server for pages made without that widget (demo content, services, a form sent without
JavaScript whose slug field was left empty)."""

from django.db import models
from django.utils.text import slugify
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets.slug import SlugInput

GERMAN_LETTERS = (
    ("ä", "ae"),
    ("ö", "oe"),
    ("ü", "ue"),
    ("Ä", "Ae"),
    ("Ö", "Oe"),
    ("Ü", "Ue"),
    ("ß", "ss"),
    ("ẞ", "SS"),
)


def german_slugify(text: str) -> str:
    for letter, spelled in GERMAN_LETTERS:
        text = text.replace(letter, spelled)
    return slugify(text)


class GermanSlugMixin:
    """For page models: a page saved without a slug gets its title's German ASCII slug
    (Wagtail's own would drop the umlauts' letters: "Lärm" → "larm"), and a slug typed with
    umlauts where the admin's widget did not run (no JavaScript, the API) is spelled out."""

    slug: str
    title: str

    def full_clean(self, *args, **kwargs):
        if not self.slug and self.title:
            self.slug = german_slugify(self.title)
        elif self.slug and not self.slug.isascii():
            self.slug = german_slugify(self.slug)
        return super().full_clean(*args, **kwargs)  # type: ignore[misc]


class GermanSlugInput(SlugInput):
    def __init__(self, attrs: dict | None = None, **kwargs) -> None:
        kwargs.setdefault("formatters", list(GERMAN_LETTERS))
        super().__init__(attrs, **kwargs)


def register_admin_widget() -> None:
    """Every slug field of the admin (pages, snippets) gets the German widget."""
    register_form_field_override(models.SlugField, override={"widget": GermanSlugInput})
