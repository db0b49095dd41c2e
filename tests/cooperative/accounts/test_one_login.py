"""One login for the whole site (issue 13, finding 1): Wagtail's own login, password reset
and account forms, its login for private pages and DRF's HTTP Basic authenticated people
by password alone, outside allauth (no second factor, rate limit, lockout or verified
address). Each test is the attack, request by request."""

import base64
import inspect
import time

import pytest
from django.contrib.auth import views as auth_views
from django.core import mail
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.views import APIView

from cooperative.accounts.totp import TOTP_PERIOD, totp_code
from tests.factories import (
    TEST_PASSWORD,
    UserFactory,
    grant,
    log_in_with_second_factor,
    totp_authenticator,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-orchard-pebble-42"
TOO_MANY = "Zu viele gescheiterte Anmeldeversuche. Bitte versuchen Sie es später erneut."


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def editor(organisation_area):
    """An editor with 2FA: the admin's own login must not let the password alone in."""
    organisation, _index = organisation_area
    person = UserFactory()
    grant(person, organisation, "editor")
    totp_authenticator(person)
    return person


def test_the_admin_login_form_never_signs_in_a_2fa_account_by_its_password(client, editor):
    response = client.post("/admin/login/", {"username": editor.email, "password": TEST_PASSWORD})

    assert not signed_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=%2Fadmin%2F"
    assert sign_in_page_for(client, "/admin/") == "/konto/login/?next=%2Fadmin%2F"


def sign_in_page_for(client, url: str) -> str:
    """Where an anonymous visitor of `url` is sent to sign in, after every redirect."""
    response = client.get(url, follow=True)
    path, _status = response.redirect_chain[-1]
    return path


def test_signed_in_people_without_admin_access_are_not_sent_in_circles(client):
    client.force_login(UserFactory())
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "nicht die nötige Berechtigung das Admin-Interface aufzurufen" in (
        response.content.decode()
    )


def test_the_admin_login_sends_people_to_allauth_with_where_they_were_going(client):
    response = client.get("/admin/login/", {"next": "/admin/pages/3/"})
    assert response["Location"] == "/konto/login/?next=%2Fadmin%2Fpages%2F3%2F"


def credentials(path: str, user) -> dict:
    if "/konto/" in path:
        return {"login": user.email, "password": TEST_PASSWORD}
    return {"username": user.email, "password": TEST_PASSWORD}


@pytest.mark.parametrize(
    "path",
    ["/admin/login/", "/_util/login/", "/en/_util/login/", "/konto/login/", "/en/konto/login/"],
)
def test_an_unverified_account_gets_no_session_through_any_login_form(client, path):
    person = UserFactory(verified=False)

    client.post(path, credentials(path, person))

    assert not signed_in(client)
    # Nothing it could post with either.
    assert client.get("/konto/api-zugaenge/").status_code == 302


def test_a_password_sent_as_http_basic_is_never_checked(client):
    """DRF's default HTTP Basic checked passwords on every API request, outside allauth's
    rate limits: a wrong password was told apart from a right one (403 against 200)."""
    person = UserFactory()
    for password in ("wrong-password-123", TEST_PASSWORD):
        token = base64.b64encode(f"{person.email}:{password}".encode()).decode()
        response = client.get("/api/schema/", HTTP_AUTHORIZATION=f"Basic {token}")
        assert response.status_code == 200
    assert not signed_in(client)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/password_reset/",
        "/admin/password_reset/done/",
        "/admin/password_reset/confirm/MQ/set-password/",
        "/admin/password_reset/complete/",
    ],
)
def test_wagtails_password_reset_is_unreachable(client, path):
    admin = UserFactory(is_superuser=True, is_staff=True)

    for _ in range(3):
        response = client.post(path, {"email": admin.email})
        assert response.status_code == 302
        assert response["Location"] == "/konto/password/reset/"
    assert client.get(path)["Location"] == "/konto/password/reset/"
    assert mail.outbox == []


def test_the_admin_account_page_changes_neither_password_nor_email(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    log_in_with_second_factor(client, admin)

    page = client.get("/admin/account/").content.decode()
    client.post(
        "/admin/account/",
        {
            "name_email-first_name": "Eve",
            "name_email-last_name": "Evil",
            "name_email-email": "eve@example.net",
            "password-old_password": TEST_PASSWORD,
            "password-new_password1": NEW_PASSWORD,
            "password-new_password2": NEW_PASSWORD,
        },
    )

    admin.refresh_from_db()
    assert 'name="password-old_password"' not in page
    assert 'name="name_email-email"' not in page
    assert admin.email != "eve@example.net"
    assert admin.check_password(TEST_PASSWORD)


def test_allauths_rate_limit_and_lockout_guard_the_admin_sign_in(client, settings):
    from config.settings import ACCOUNT_RATE_LIMITS

    settings.ACCOUNT_RATE_LIMITS = ACCOUNT_RATE_LIMITS  # the production limits
    cache.clear()
    admin = UserFactory(is_superuser=True, is_staff=True)

    sign_in = sign_in_page_for(client, "/admin/")
    assert sign_in == "/konto/login/?next=%2Fadmin%2F"
    for _ in range(5):
        response = client.post(sign_in, {"login": admin.email, "password": "wrong-password-1"})
        assert TOO_MANY not in response.content.decode()
        # The admin's old form is no way around it: it checks nothing.
        client.post("/admin/login/", {"username": admin.email, "password": TEST_PASSWORD})
        assert not signed_in(client)
    response = client.post(sign_in, {"login": admin.email, "password": TEST_PASSWORD})
    cache.clear()

    assert TOO_MANY in response.content.decode()
    assert not signed_in(client)


# The class: no URL of the project serves a login, password-reset or password-change view
# other than allauth's, and no API view checks passwords itself.

PASSWORD_VIEWS = (
    auth_views.LoginView,
    auth_views.PasswordResetView,
    auth_views.PasswordResetDoneView,
    auth_views.PasswordResetConfirmView,
    auth_views.PasswordResetCompleteView,
    auth_views.PasswordChangeView,
    auth_views.PasswordChangeDoneView,
)
SAMPLE_ARGUMENTS = {"int": 1, "uuid": "00000000-0000-0000-0000-0000000000aa"}


def _patterns(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern


def _view_class(callback):
    while callback is not None:
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        if view_class is not None:
            return view_class
        callback = getattr(callback, "__wrapped__", None)
    return None


def _reachable(name: str, pattern: URLPattern) -> str | None:
    """The path of a named pattern, if requesting it reaches this very pattern."""
    converters = getattr(pattern.pattern, "converters", {})
    kwargs = {
        key: SAMPLE_ARGUMENTS.get(type(conv).__name__.replace("Converter", "").lower(), "x")
        for key, conv in converters.items()
    }
    for kwarg in pattern.pattern.regex.groupindex:
        kwargs.setdefault(kwarg, "x")
    path = reverse(name, kwargs=kwargs or None)
    return path if resolve(path).func is pattern.callback else None


def test_no_url_serves_a_login_or_password_form_outside_allauth():
    found = []
    for namespace, pattern in _patterns(get_resolver()):
        view_class = _view_class(pattern.callback)
        if not inspect.isclass(view_class):
            continue
        if issubclass(view_class, PASSWORD_VIEWS):
            assert pattern.name, f"{view_class.__qualname__} has no name to check it by"
            path = _reachable(f"{namespace}{pattern.name}", pattern)
            if path is not None:
                found.append(f"{path} serves {view_class.__module__}.{view_class.__qualname__}")
        if issubclass(view_class, APIView):
            for authentication in view_class.authentication_classes:
                assert "Basic" not in authentication.__name__, view_class
    assert found == []


@pytest.mark.parametrize(("steps_ago", "accepted"), [(1, True), (2, False)])
def test_a_code_that_changed_on_its_way_counts_one_step_back_and_no_more(
    client, editor, steps_ago, accepted
):
    """Under load, or typed as it changes, a correct code arrives in the next 30-second
    step: it is accepted (RFC 6238 5.2), an older one is not."""
    secret = totp_authenticator(editor)
    response = client.post("/konto/login/", {"login": editor.email, "password": TEST_PASSWORD})
    assert response["Location"] == "/konto/2fa/authenticate/"
    code = totp_code(secret, time.time() - steps_ago * TOTP_PERIOD)
    response = client.post("/konto/2fa/authenticate/", {"code": code})
    assert signed_in(client) is accepted
    assert response.status_code == (302 if accepted else 200)
