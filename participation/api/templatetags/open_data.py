"""{% jsonld_consultation %} and {% jsonld_organisation %}: schema.org in a
<script type="application/ld+json">, escaped like json_script (no "</script>" can end
it early, whatever a contribution says)."""

import json

from django import template
from django.utils.safestring import mark_safe

from participation.api import jsonld

register = template.Library()

# As django.utils.html.json_script: nothing in the text can close the element or open markup.
ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _script(data) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@register.simple_tag(takes_context=True)
def jsonld_consultation(context, page):
    request = context["request"]
    thread = context.get("thread")
    comments = thread.comments if thread is not None else []
    phases = context.get("phases") or page.phases_in_order()
    return _script(jsonld.consultation_ld(request, page, phases=phases, comments=comments))


@register.simple_tag(takes_context=True)
def jsonld_organisation(context, page):
    return _script(jsonld.organisation_ld(context["request"], page.organisation, page))
