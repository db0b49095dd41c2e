"""Blocks an editor has added but not filled yet: the page preview renders them as nothing.

The preview panel re-renders the page while the editor works; an image or document block
without its image or document raised in the image tag, and the preview showed a server
error page instead of the page."""

import pytest
from django.test import override_settings

from frontend.blocks import BodyBlock


@pytest.mark.django_db
@override_settings(DEBUG=True)  # the development server, where the error page appeared
def test_an_image_or_document_block_not_yet_chosen_renders_as_nothing():
    block = BodyBlock()
    value = block.to_python(
        [
            {"type": "paragraph", "value": "<p>Vorher</p>"},
            {"type": "image", "value": None},
            {"type": "document", "value": {"document": None, "title": ""}},
            {"type": "paragraph", "value": "<p>Nachher</p>"},
        ]
    )
    html = block.render(value)
    assert "Vorher" in html and "Nachher" in html
    assert "<figure" not in html
    assert "<a " not in html
