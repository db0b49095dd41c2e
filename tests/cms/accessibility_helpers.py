"""The BITV pages as an operator sets them up: statement, Easy Read page, sign-language
page, linked from the site settings."""

import datetime

from wagtail.models import Site
from wagtail.rich_text import RichText

from cms.models import (
    AccessibilityBarrier,
    AccessibilityStatementPage,
    EasyLanguagePage,
    SignLanguagePage,
    SiteSettings,
)
from tests.factories import default_home

CONTACT = "barrieren@allmende.example"


def accessibility_pages(*, english: bool = True, conformance: str = "partial"):
    home = default_home()
    statement = AccessibilityStatementPage(
        title="Erklärung zur Barrierefreiheit",
        slug="barrierefreiheit",
        intro="Diese Erklärung gilt für die Plattform der Allmende eG.",
        conformance=conformance,
        prepared_on=datetime.date(2026, 9, 1),
        reviewed_on=datetime.date(2026, 11, 15),
        method="self",
        method_details="Prüfung mit Tastatur und Bildschirmleser.",
    )
    statement.barriers = [
        AccessibilityBarrier(
            part="Alte Pläne als PDF",
            reason="Die Pläne sind eingescannt.",
            alternative="Wir senden Ihnen den Inhalt als Text.",
        )
    ]
    home.add_child(instance=statement)
    statement.save_revision().publish()
    easy = EasyLanguagePage(
        title="Leichte Sprache",
        title_en="Easy Read" if english else "",
        slug="leichte-sprache",
        body=[
            ("heading", {"text": "Willkommen bei Allmende", "level": "h2"}),
            ("paragraph", RichText("<p>Hier können Sie mit-reden.</p>")),
        ],
        body_en=[
            ("heading", {"text": "Welcome to Allmende", "level": "h2"}),
            ("paragraph", RichText("<p>Here you can have your say.</p>")),
        ]
        if english
        else [],
    )
    home.add_child(instance=easy)
    easy.save_revision().publish()
    sign = SignLanguagePage(
        title="Deutsche Gebärdensprache",
        title_en="German Sign Language",
        slug="gebaerdensprache",
        intro="Ein Video in Deutscher Gebärdensprache.",
        transcript="<p>Willkommen bei Allmende. Hier reden Sie mit.</p>",
    )
    home.add_child(instance=sign)
    sign.save_revision().publish()
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_email = CONTACT
    settings.accessibility_page = statement
    settings.easy_language_page = easy
    settings.sign_language_page = sign
    settings.save()
    return statement, easy, sign
