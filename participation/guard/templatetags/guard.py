from django import template

from participation.guard.selectors import calm_mode_open

register = template.Library()


@register.simple_tag(takes_context=True)
def calm_mode_for(context, consultation):
    """The consultation's open calm mode, or None. Asked once per page object."""
    if consultation is None:
        return None
    return calm_mode_open(consultation)


@register.simple_tag(takes_context=True)
def may_change_calm_mode(context, consultation) -> bool:
    user = getattr(context.get("request"), "user", None)
    return bool(
        user and consultation and user.has_perm("participation_guard.change_calmmode", consultation)
    )
