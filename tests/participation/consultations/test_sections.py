"""The consultation page knows no contribution kind: each kind (and the results) adds its
section and its editor panel when its app is ready (consultations/sections.py)."""

from wagtail.admin.panels import InlinePanel

from participation.consultations.models import ConsultationPage
from participation.consultations.sections import page_sections


def test_every_kind_adds_its_section_in_the_page_order():
    sections = page_sections()
    assert [section.name for section in sections["lead"]] == ["results"]
    assert [section.name for section in sections["main"]] == [
        "polls",
        "draft_text",
        "discussion",
        "proposals",
    ]


def test_the_polls_panel_sits_between_the_phases_and_the_results():
    inline = [
        panel.relation_name
        for panel in ConsultationPage.content_panels
        if isinstance(panel, InlinePanel)
    ]
    assert inline == ["phases", "polls"]
    assert ConsultationPage.content_panels[-1].children[0].field_name == "results_summary"
