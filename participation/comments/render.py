"""Renders a contribution once per interface language, for live events and for htmx.

The page, htmx responses and live events use the same template, so an update and
a page load look identical. Controls that depend on who is reading (edit, delete,
which reactions are pressed) are switched on in the browser, never rendered per reader.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

TEMPLATE = "participation_comments/comment_item.html"


def render_comment(comment, *, viewer=None, request=None) -> dict[str, str]:
    languages = [code for code, _name in settings.LANGUAGES]
    comment.children = getattr(comment, "children", [])
    comment.my_reactions = getattr(comment, "my_reactions", set())
    html: dict[str, str] = {}
    for language in languages:
        with translation.override(language):
            html[language] = render_to_string(
                TEMPLATE,
                {
                    "comment": comment,
                    "consultation_id": comment.consultation_id,
                    "viewer": viewer,
                    "live": True,
                },
                request=request,
            )
    return html
