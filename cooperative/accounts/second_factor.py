"""Staff act only with a second factor.

A staff account (staff.py) may use its powers (the Wagtail admin, the moderators' views,
the board's pages, API tokens) only in a session that was signed in, or confirmed since,
with the TOTP authenticator of the account. allauth writes every step of a sign-in into
the session (`get_authentication_records`); a session without an "mfa" step was made
without the second factor, whatever made it. Everyone else is unaffected: the views
refuse them as before.

Instead of the act, a staff account without it gets a page that says how to set the
second factor up (allauth's pages) or how to confirm this session with a code.
"""

from __future__ import annotations

import inspect
import time
from functools import wraps
from types import SimpleNamespace

from allauth.account import app_settings as account_settings
from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from cooperative.accounts.staff import user_is_staff

# Read by the test that every staff-only URL is guarded.
MARKER = "second_factor_required"


def has_authenticator(user) -> bool:
    return is_mfa_enabled(user, types=[Authenticator.Type.TOTP])


def second_factor_used(request) -> bool:
    """Whether this session's sign-in (or a confirmation since) used the second factor of
    an account that still has a TOTP authenticator."""
    records = get_authentication_records(request, request.user)
    if not any(record.get("method") == "mfa" for record in records):
        return False
    return has_authenticator(request.user)


def signed_in_recently(request) -> bool:
    """Whether the person signed in, or confirmed who they are, in this session within
    allauth's reauthentication timeout (ACCOUNT_REAUTHENTICATION_TIMEOUT, 5 minutes)."""
    records = get_authentication_records(request, request.user)
    latest = max((record.get("at", 0) for record in records), default=0)
    return time.time() - latest < account_settings.REAUTHENTICATION_TIMEOUT


def staff_without_second_factor(request) -> bool:
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return False
    if second_factor_used(request):
        return False
    return user_is_staff(user)


def scope_staff_without_second_factor(scope) -> bool:
    """The same for a WebSocket: its scope carries the session and the user."""
    session = scope.get("session") or {}
    return staff_without_second_factor(SimpleNamespace(session=session, user=scope.get("user")))


def _back_to(request) -> str:
    """Where confirming the session should lead: this page, or for a form sent from one of
    ours, the page the form was on."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def second_factor_page(request):
    back = _back_to(request)
    confirm_url = reverse("mfa_reauthenticate")
    if back:
        confirm_url += "?" + urlencode({"next": back})
    return render(
        request,
        "cooperative_accounts/second_factor_required.html",
        {
            "has_authenticator": has_authenticator(request.user),
            "setup_url": reverse("mfa_activate_totp"),
            "overview_url": reverse("mfa_index"),
            "confirm_url": confirm_url,
        },
        status=403,
    )


def second_factor_required(view):
    """For views that only staff can use: a staff account without the second factor in
    this session gets the page above instead; anyone else reaches the view, which decides
    as before (a login redirect, a refusal)."""
    if inspect.iscoroutinefunction(view):
        raise TypeError(f"{view.__qualname__}: second_factor_required takes sync views only")

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if staff_without_second_factor(request):
            return second_factor_page(request)
        return view(request, *args, **kwargs)

    setattr(guarded, MARKER, True)
    return guarded


def is_guarded(view) -> bool:
    """Whether `view` (possibly wrapped by further decorators) passes this guard first."""
    while view is not None:
        if getattr(view, MARKER, False):
            return True
        view = getattr(view, "__wrapped__", None)
    return False
