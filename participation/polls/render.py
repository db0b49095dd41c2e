"""Poll results rendered once per interface language, from the template the page uses."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from participation.polls.results import poll_result

TEMPLATE = "participation_polls/poll_results.html"


def render_results(poll, result=None) -> dict[str, str]:
    result = result or poll_result(poll)
    html: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            # For everyone in the consultation's group: no one's own answer (`own`) in it.
            html[code] = render_to_string(TEMPLATE, {"poll": poll, "result": result, "own": None})
    return html
