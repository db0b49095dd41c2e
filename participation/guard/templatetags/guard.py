from django import template
from django.template.defaultfilters import date as date_filter

from participation.guard.selectors import calm_mode_open

register = template.Library()


@register.simple_tag(takes_context=True)
def calm_mode_for(context, consultation):
    """The consultation's open calm mode, or None. Asked once per page object."""
    if consultation is None:
        return None
    return calm_mode_open(consultation)


@register.filter
def datetime_before_full_stop(value):
    """The date and time in the active language (DATETIME_FORMAT, local time) for a
    sentence that ends right after it. English ends in "a.m."/"p.m."; the sentence's own
    full stop then closes the abbreviation, as in print, instead of a second period."""
    text = date_filter(value, "DATETIME_FORMAT")
    return text[:-1] if text.endswith(".") else text
