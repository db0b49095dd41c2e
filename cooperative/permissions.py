"""How the code asks for a permission, everywhere: `allowed(user, name, obj)`.

Permissions are named `rules` permissions (`<app_label>.<verb>_<model>`) composed from
the predicates in each app's `rules.py`. Views, the API, consumers, services, Wagtail hooks
and templates (the `{% allowed %}` tag, frontend/templatetags/permissions.py) ask them
through `allowed`, which asks `rules` alone. Django's superuser shortcut never applies:
`user.has_perm` grants an active superuser every permission before any backend is asked,
which would let the platform admin write in a closed phase, speak for any organisation,
withdraw other people's contributions in their name or decide on members. What the admin
may do is written into the rules (`is_admin`), like every other role's powers.

Only Django's own model permissions, which no rule defines (Wagtail's
`wagtailadmin.access_admin`), are asked Django's way, with `user.has_perm`.

A view that refuses with a plain 403 calls `require` (inside `login_or_403`): anonymous
visitors are sent to sign in, everyone else without the permission gets 403. Views that
answer a refusal with a page of their own (a form with its error, an htmx fragment) ask
`allowed` and render it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def allowed(user, name: str, obj: Any = None) -> bool:
    """Whether the rules give `user` the permission `name` (on `obj`)."""
    return rules.has_perm(name, user, obj)


class LoginRequired(Exception):
    """Raised by `require` for an anonymous visitor; `login_or_403` sends them to sign in."""


def require(request, name: str, obj: Any = None) -> None:
    """Refuse the request unless `allowed`: sign in first, or 403."""
    if allowed(request.user, name, obj):
        return
    if not request.user.is_authenticated:
        raise LoginRequired
    raise PermissionDenied


def login_or_403(view: Callable) -> Callable:
    """Turn `LoginRequired` raised in the view into a redirect to the sign-in page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except LoginRequired:
            return redirect_to_login(request.get_full_path())

    return wrapped
