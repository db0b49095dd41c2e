"""German titles get ASCII addresses with umlauts spelled out (issue 14: `l%C3%A4rm…`)."""

import pytest

from cooperative.slugs import GermanSlugInput, german_slugify
from participation.consultations.models import ConsultationPage


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Lärmaktionsplan Straße", "laermaktionsplan-strasse"),
        ("Öffentliche Übergänge", "oeffentliche-uebergaenge"),
        ("GROẞE Bäume", "grosse-baeume"),
        ("Café & Crêpes", "cafe-crepes"),
        ("  ", ""),
    ],
)
def test_german_slugs_spell_umlauts_out(title, slug):
    assert german_slugify(title) == slug


@pytest.mark.django_db
def test_a_page_saved_without_a_slug_gets_the_german_one(organisation_area):
    _org, index = organisation_area
    page = index.add_child(
        instance=ConsultationPage(title="Grünflächen am Mühlbach", summary="Worum es geht.")
    )

    assert page.slug == "gruenflaechen-am-muehlbach"
    assert page.url.endswith("/gruenflaechen-am-muehlbach/")


@pytest.mark.django_db
def test_the_admin_slug_field_transliterates_while_the_editor_types():
    form_class = ConsultationPage.get_edit_handler().get_form_class()
    field = form_class.base_fields["slug"]

    assert isinstance(field.widget, GermanSlugInput)
    rendered = field.widget.render("slug", "")
    assert "data-w-slug-formatters-value" in rendered
    assert "ae" in rendered and "ss" in rendered


@pytest.mark.django_db
def test_a_slug_typed_with_umlauts_is_spelled_out(organisation_area):
    _org, index = organisation_area
    page = index.add_child(
        instance=ConsultationPage(title="Lärm", slug="lärmschutz-straße", summary="Worum es geht.")
    )

    assert page.slug == "laermschutz-strasse"
