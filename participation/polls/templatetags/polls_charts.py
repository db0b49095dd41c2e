"""The rows of a poll's bar chart and table, worked out on the server (no script, no third
party).

Labels and figures are HTML text, so that they keep the page's font size on a phone; only
each bar is a small SVG stretched to the row's width. The chart carries a text
description; the table under it holds every figure, so the chart is never the only way to
read a result.

`own` holds the viewer's own answer (participation/polls/context.py `own_marks`): given
only where the page is rendered for that person, never for a live update or a published
result. Each row has a slot for it (`data-own-slot`) in either case, which polls.js fills
again from the page after a live update, so both read the same.
"""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participation.polls.forms import OTHER
from participation.polls.results import PollResult

register = template.Library()


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


def _length(fraction: float) -> str:
    """The bar's length in percent of the row, as an SVG attribute (never localised)."""
    return f"{max(0.0, min(1.0, fraction)) * 100:.1f}"


def points_method(options: int) -> str:
    """How results.py counts a ranking (Borda count): of n options, place 1 earns n points
    and the last place 1; an option's points are the sum over all participants."""
    if options <= 2:
        return _(
            "Points: place 1 earns 2 points, place 2 earns 1 point. Each option's points "
            "from all participants are added up (Borda count)."
        )
    return _(
        "Points: place 1 earns %(top)d points, place 2 earns %(second)d, and so on down to "
        "1 point for place %(top)d. Each option's points from all participants are added "
        "up (Borda count)."
    ) % {"top": options, "second": options - 1}


@register.simple_tag
def poll_chart(poll, result: PollResult, own=None) -> dict:
    own = own or {}
    rows = []
    for place, option in enumerate(result.options, start=1):
        value = _value(result, option)
        rows.append(
            {
                "key": str(option.choice_id),
                "text": option.text,
                "option": option,
                "place": place,
                "votes": option.votes,
                "percent": round(option.share * 100),
                "length": _length(option.bar),
                "value": value,
                "own": own.get(str(option.choice_id), ""),
            }
        )
    if result.other:
        share = result.other / result.participants if result.participants else 0.0
        rows.append(
            {
                "key": OTHER,
                "text": _("Own answers"),
                "option": None,
                "place": None,
                "votes": result.other,
                "percent": round(share * 100),
                "length": _length(share),
                "value": f"{result.other} ({round(share * 100)} %)",
                "own": own.get(OTHER, ""),
            }
        )
    return {
        "rows": rows,
        "description": "; ".join(f"{row['text']}: {row['value']}" for row in rows),
        "method": points_method(len(result.options)) if result.kind == "ranking" else "",
    }
