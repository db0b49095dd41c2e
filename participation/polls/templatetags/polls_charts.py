"""Geometry of a poll's bar chart, drawn as SVG on the server (no script, no third party).

The SVG carries a text description; the table under it holds every figure, so the chart
is never the only way to read a result.
"""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participation.polls.results import PollResult

register = template.Library()

WIDTH = 640
BAR_WIDTH = 470
BAR_HEIGHT = 18
ROW = 50


def _value(result: PollResult, option) -> str:
    if result.kind == "ranking":
        return ngettext("%(count)d point", "%(count)d points", option.points) % {
            "count": option.points
        }
    if result.kind == "rating":
        if option.average is None:
            return _("no rating")
        return _("⌀ %(average)s") % {"average": number_format(option.average, 1)}
    return f"{option.votes} ({round(option.share * 100)} %)"


@register.simple_tag
def poll_chart(poll, result: PollResult) -> dict:
    bars = []
    parts = []
    for index, option in enumerate(result.options):
        top = index * ROW
        value = _value(result, option)
        bars.append(
            {
                "label": Truncator(option.text).chars(70),
                "label_y": top + 14,
                "y": top + 22,
                "value_y": top + 36,
                "length": round(max(0.0, min(1.0, option.bar)) * BAR_WIDTH, 1),
                "value": value,
            }
        )
        parts.append(f"{option.text}: {value}")
    return {
        "width": WIDTH,
        "height": max(ROW, len(bars) * ROW),
        "bar_width": BAR_WIDTH,
        "bar_height": BAR_HEIGHT,
        "value_x": BAR_WIDTH + 8,
        "bars": bars,
        "description": "; ".join(parts),
    }
