"""`{% allowed "app_label.verb_model" obj as name %}`: templates ask a permission the way
the code does (cooperative/permissions.py), for the person making the request."""

from django import template

from cooperative.permissions import allowed as permission_allowed

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context, name: str, obj=None) -> bool:
    return permission_allowed(context["request"].user, name, obj)
