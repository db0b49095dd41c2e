from django import template

from participation.gate.selectors import calm_mode_open

register = template.Library()


@register.simple_tag(takes_context=True)
def calm_mode_for(context, consultation):
    """The consultation's open calm mode, or None. Asked once per page object."""
    if consultation is None:
        return None
    return calm_mode_open(consultation)
