"""One permission check for the cooperative's views: anonymous visitors are sent to log in,
everyone else without the permission gets 403."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from cooperative.membership.rules import has_governance_perm


class LoginRequired(Exception):
    pass


def require(request, permission: str, obj=None) -> None:
    if has_governance_perm(request.user, permission, obj):
        return
    if not request.user.is_authenticated:
        raise LoginRequired
    raise PermissionDenied


def login_or_403(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except LoginRequired:
            return redirect_to_login(request.get_full_path())

    return wrapped
