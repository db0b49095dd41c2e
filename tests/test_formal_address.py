"""allauth addresses people with "Sie": no "du" on the account pages or in the mails.

allauth's own German catalogue says "du"; frontend/locale_overrides replaces those
strings (see LOCALE_PATHS in config/settings.py).
"""

import re
from pathlib import Path

import allauth
import polib
import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.utils import translation

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

INFORMAL = re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines)\b", re.IGNORECASE)
ALLAUTH_PO = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
# Where allauth's account and mfa strings come from; socialaccount, usersessions,
# headless and the OIDC provider are not in use.
IN_USE = ("account/", "mfa/", "templates/account/", "templates/mfa/", "templates/allauth/")


@pytest.fixture(autouse=True)
def default_language_afterwards():
    yield
    translation.deactivate()


@pytest.fixture
def german_client():
    return Client(headers={"accept-language": "de"})


def informal_words(text: str) -> list[str]:
    return INFORMAL.findall(text)


def main_text(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html is not None
    assert soup.html["lang"] == "de"
    main = soup.find("main")
    assert main is not None
    return main.get_text(" ", strip=True)


def mail_texts(message) -> list[str]:
    texts = [message.subject, message.body]
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            texts.append(BeautifulSoup(str(content), "html.parser").get_text(" ", strip=True))
    return texts


@pytest.mark.parametrize(
    ("path", "formal"),
    [
        ("/konto/login/", "registrieren Sie sich"),
        ("/konto/signup/", "melden Sie sich bitte an"),
        ("/konto/password/reset/", "Geben Sie unten Ihre E-Mail-Adresse ein"),
        ("/konto/password/reset/done/", "Wir haben Ihnen eine E-Mail geschickt"),
    ],
)
def test_anonymous_account_pages_say_sie(german_client, path, formal):
    response = german_client.get(path)
    assert response.status_code == 200
    text = main_text(response)
    assert informal_words(text) == [], text
    assert formal in text


@pytest.fixture
def logged_in_client(german_client):
    german_client.force_login(UserFactory())
    return german_client


@pytest.mark.parametrize(
    "path", ["/konto/email/", "/konto/password/change/", "/konto/2fa/", "/konto/logout/"]
)
def test_account_settings_pages_say_sie(logged_in_client, path):
    response = logged_in_client.get(path)
    assert response.status_code == 200
    text = main_text(response)
    assert informal_words(text) == [], text


def test_totp_activation_says_sie(logged_in_client):
    # Activating a second factor asks for the password again first.
    response = logged_in_client.get("/konto/2fa/totp/activate/")
    assert response.status_code == 302
    reauthenticate = response["Location"]
    assert reauthenticate.startswith("/konto/reauthenticate/")
    text = main_text(logged_in_client.get(reauthenticate))
    assert informal_words(text) == [], text
    assert logged_in_client.post(reauthenticate, {"password": TEST_PASSWORD}).status_code == 302

    response = logged_in_client.get("/konto/2fa/totp/activate/")
    assert response.status_code == 200
    text = main_text(response)
    assert informal_words(text) == [], text
    assert "scannen Sie den unten stehenden QR-Code" in text


def test_confirmation_mail_says_sie(german_client):
    response = german_client.post(
        "/konto/signup/",
        {
            "email": "amsel@example.org",
            "display_name": "Amsel",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in message.subject
    for text in mail_texts(message):
        assert informal_words(text) == [], text
    # The page shown after sign-up asks to confirm the address, formally too.
    page = main_text(german_client.get(response["Location"]))
    assert informal_words(page) == [], page


def test_account_exists_mail_says_sie(german_client):
    user = UserFactory()
    german_client.post(
        "/konto/signup/",
        {
            "email": user.email,
            "display_name": "Drossel",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )
    (message,) = mail.outbox
    assert user.email in message.to
    for text in mail_texts(message):
        assert informal_words(text) == [], text


@pytest.mark.parametrize("known", [True, False], ids=["known-account", "unknown-account"])
def test_password_reset_mail_says_sie(german_client, known):
    email = UserFactory().email if known else "niemand@example.org"
    response = german_client.post("/konto/password/reset/", {"email": email})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [email]
    for text in mail_texts(message):
        assert informal_words(text) == [], text
    if known:
        assert "Klicken Sie auf den folgenden Link" in message.body


def _in_use(entry: polib.POEntry) -> bool:
    return any(path.startswith(IN_USE) for path, _line in entry.occurrences)


def test_no_allauth_string_in_use_says_du():
    """Every account and mfa string, as Django translates it now; catches strings that a
    newer allauth adds in informal German before any page test happens to show them."""
    informal = []
    with translation.override("de"):
        for entry in polib.pofile(str(ALLAUTH_PO)):
            if entry.obsolete or not _in_use(entry):
                continue
            if entry.msgid_plural:
                texts = [
                    translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                    if entry.msgctxt
                    else translation.ngettext(entry.msgid, entry.msgid_plural, n)
                    for n in (1, 2)
                ]
            elif entry.msgctxt:
                texts = [translation.pgettext(entry.msgctxt, entry.msgid)]
            else:
                texts = [translation.gettext(entry.msgid)]
            informal += [text for text in texts if informal_words(text)]
    assert informal == []
