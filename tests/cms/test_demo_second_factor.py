"""The demo's staff accounts act with a second factor like everyone's: `demo_content` gives
them a TOTP authenticator, and on a development server `demo_totp_code` tells testers the
code of the moment. Elsewhere it tells nobody anything."""

import io

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from cms.management.commands.demo_content import DEMO_PASSWORD, PEOPLE, STAFF_KEYS

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def secret_of(email: str) -> str:
    return Authenticator.objects.get(user__email=email).data["secret"]


def test_demo_staff_sign_in_with_the_code_the_command_prints(client, settings):
    printed = run("demo_content")
    staff = {email for email, _name, key, _description in PEOPLE if key in STAFF_KEYS}
    with_authenticator = set(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list(
            "user__email", flat=True
        )
    )
    assert with_authenticator == staff
    keys = {email: secret_of(email) for email in staff}
    for email, secret in keys.items():
        assert f"{email:<36} {secret}" in printed
    assert "demo_totp_code" in printed
    # A second run keeps them, so that an app set up for an account goes on working.
    run("demo_content")
    assert keys == {email: secret_of(email) for email in staff}

    settings.DEBUG = True
    code = run("demo_totp_code", "vorstand@allmende.example").strip()
    assert len(code) == 6 and code.isdigit()
    response = client.post(
        "/konto/login/", {"login": "vorstand@allmende.example", "password": DEMO_PASSWORD}
    )
    assert response["Location"] == "/konto/2fa/authenticate/"
    client.post("/konto/2fa/authenticate/", {"code": code})
    board_page = client.get(reverse("member_register"))
    assert board_page.status_code == 200
    assert "Zwei-Faktor-Authentifizierung erforderlich" not in board_page.content.decode()


def test_the_code_is_told_only_on_a_development_server_and_only_for_demo_accounts(settings):
    user = get_user_model().objects.create_user(
        username="echt", email="echt@example.org", password="x" * 12, display_name="Echt"
    )
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        run("demo_totp_code", "vorstand@allmende.example")
    settings.DEBUG = True
    with pytest.raises(CommandError, match="not a demo account"):
        run("demo_totp_code", "echt@example.org")
