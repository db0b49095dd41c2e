"""Accounts: sign-up with a pseudonym, verified e-mail, log-in, password reset, TOTP."""

import html
import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "lantern-orchard-pebble-42"


@pytest.fixture(autouse=True)
def default_language_afterwards():
    """A request under /en/ leaves English active in this thread (LocaleMiddleware never
    deactivates); later tests build URLs such as `page.url` and expect German."""
    yield
    translation.deactivate()


@pytest.fixture
def finished_tasks():
    """Every django-tasks result finished while the test runs (immediate backend)."""
    results = []

    def record(sender, task_result, **kwargs):
        results.append(task_result)

    task_finished.connect(record)
    yield results
    task_finished.disconnect(record)


def main_html(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def messages_html(response) -> str:
    found = re.search(r'<ul class="messages".*?</ul>', response.content.decode(), re.S)
    return found.group(0) if found else ""


def link_in(message, prefix: str) -> str:
    found = re.search(rf"https?://testserver({re.escape(prefix)}\S+)", message.body)
    assert found, message.body
    return found.group(1)


def signup(client, **overrides):
    data = {
        "email": "amsel@example.org",
        "display_name": "Amsel",
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
    }
    data.update(overrides)
    return client.post("/konto/signup/", data)


def log_in(client, email: str, password: str = TEST_PASSWORD):
    return client.post("/konto/login/", {"login": email, "password": password})


def shown_secret(response) -> str:
    """The TOTP secret as the activation page shows it for typing into an app."""
    field = re.search(r'<input[^>]*id="authenticator_secret"[^>]*>', main_html(response))
    assert field, main_html(response)
    value = re.search(r'value="([A-Z2-7=]+)"', field.group(0))
    assert value, field.group(0)
    return value.group(1)


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


# Sign-up and verification


def test_signup_creates_unverified_account_with_pseudonym_and_sends_mail_through_task(
    client, finished_tasks
):
    response = signup(client)

    assert response.status_code == 302
    assert response["Location"] == "/konto/confirm-email/"
    user = User.objects.get(email="amsel@example.org")
    assert user.display_name == "Amsel"
    assert not EmailAddress.objects.get(user=user).verified
    assert "_auth_user_id" not in client.session

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amsel@example.org"]
    assert message.subject.startswith("[Allmende] ")
    assert "/konto/confirm-email/" in message.body
    # The adapter hands the mail to the task queue instead of sending it in the request.
    sent = [r for r in finished_tasks if r.task.name == "email_send"]
    assert len(sent) == 1
    assert sent[0].status == TaskResultStatus.SUCCESSFUL
    assert sent[0].kwargs["to"] == ["amsel@example.org"]
    assert sent[0].return_value == 1


def test_verification_mail_names_the_site_and_the_pseudonym_not_the_internal_username(client):
    signup(client)
    user = User.objects.get(email="amsel@example.org")
    body = mail.outbox[0].body

    assert "Hallo von testserver!" in body
    assert "ein Konto bei testserver zu registrieren" in body
    assert "Amsel" in body
    assert user.username not in body


def test_unverified_account_cannot_log_in(client):
    signup(client)
    client.logout()
    mail.outbox.clear()

    response = log_in(client, "amsel@example.org")

    assert response.status_code == 302
    assert response["Location"] == "/konto/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert "Bestätigen Sie Ihre E-Mail-Adresse" in main_html(client.get(response["Location"]))


def test_following_the_verification_link_verifies_and_logs_in(client):
    signup(client)
    user = User.objects.get(email="amsel@example.org")
    link = link_in(mail.outbox[0], "/konto/confirm-email/")

    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert "E-Mail-Adresse bestätigen" in main_html(confirm_page)
    # Opening the link alone (a mail scanner) must not confirm anything.
    assert not EmailAddress.objects.get(user=user).verified

    response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)
    home = client.get(response["Location"])
    shown = messages_html(home)
    assert "Sie haben die Adresse amsel@example.org bestätigt." in shown
    assert "Erfolgreich als Amsel angemeldet." in shown
    assert user.username not in home.content.decode()
    assert "Mein Konto" in home.content.decode()


def test_username_is_never_derived_from_the_email_address(client):
    signup(client, email="vorname.nachname@example.org", display_name="Zaunkönig")

    user = User.objects.get(email="vorname.nachname@example.org")
    assert user.username
    assert "vorname" not in user.username
    assert "nachname" not in user.username
    assert user.username != user.display_name


# Display name validation


@pytest.mark.parametrize(
    ("display_name", "message"),
    [
        ("Al", "Ein Anzeigename hat zwischen 3 und 40 Zeichen."),
        (" Amsel", "Ein Anzeigename darf nicht mit einem Leerzeichen beginnen oder enden."),
        (
            "<script>alert(1)</script>",
            "Ein Anzeigename darf nur Buchstaben, Ziffern, Leerzeichen und . - _ &#x27; enthalten.",
        ),
        ("Amsel  Drossel", "Ein Anzeigename darf nicht zwei Leerzeichen hintereinander enthalten."),
    ],
)
def test_signup_rejects_bad_display_name_and_keeps_the_other_fields(client, display_name, message):
    response = signup(client, email="drossel@example.org", display_name=display_name)

    assert response.status_code == 200
    page = main_html(response)
    assert message in page
    assert 'value="drossel@example.org"' in page
    assert f'value="{html.escape(display_name)}"' in page
    assert not User.objects.filter(email="drossel@example.org").exists()
    assert mail.outbox == []


def test_signup_rejects_display_name_taken_in_other_case(client):
    UserFactory(display_name="Amsel")

    response = signup(client, email="drossel@example.org", display_name="aMSEL")

    assert response.status_code == 200
    page = main_html(response)
    assert "Dieser Anzeigename ist bereits vergeben." in page
    assert 'value="drossel@example.org"' in page
    assert not User.objects.filter(email="drossel@example.org").exists()


# Log-in, log-out, password reset


def test_login_and_logout(client):
    user = UserFactory(display_name="Kiebitz")

    response = log_in(client, user.email)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "Erfolgreich als Kiebitz angemeldet." in messages_html(client.get(response["Location"]))

    response = client.post("/konto/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert "Anmelden" in client.get("/").content.decode()


def test_login_with_wrong_password_shows_error_and_keeps_email(client):
    user = UserFactory()

    response = log_in(client, user.email, password="wrong-password-123")

    assert response.status_code == 200
    page = main_html(response)
    assert "Die E-Mail-Adresse und/oder das Passwort sind leider falsch." in page
    assert f'value="{user.email}"' in page
    assert "_auth_user_id" not in client.session


def test_password_reset_mail_and_new_password(client, finished_tasks):
    user = UserFactory()

    response = client.post("/konto/password/reset/", {"email": user.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert [r.task.name for r in finished_tasks] == ["email_send"]
    link = link_in(mail.outbox[0], "/konto/password/reset/key/")

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    client.logout()
    assert log_in(client, user.email).status_code == 200  # old password refused
    assert "_auth_user_id" not in client.session
    assert log_in(client, user.email, NEW_PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


# Display name change


def test_display_name_change_requires_login(client):
    response = client.get("/konto/anzeigename/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/?next=/konto/anzeigename/")


def test_display_name_change(client):
    user = UserFactory(display_name="Kiebitz")
    client.force_login(user)

    response = client.post("/konto/anzeigename/", {"display_name": "Kiebitz Zwei"}, follow=True)

    user.refresh_from_db()
    assert user.display_name == "Kiebitz Zwei"
    assert "Ihr Anzeigename wurde geändert." in messages_html(response)


@pytest.mark.parametrize(
    ("display_name", "message"),
    [
        ("<b>x</b>", "Ein Anzeigename darf nur Buchstaben"),
        (" Kiebitz", "Ein Anzeigename darf nicht mit einem Leerzeichen beginnen oder enden."),
        ("AMSEL", "Dieser Anzeigename ist bereits vergeben."),
    ],
)
def test_display_name_change_rejects_bad_input(client, display_name, message):
    UserFactory(display_name="Amsel")
    user = UserFactory(display_name="Kiebitz")
    client.force_login(user)

    response = client.post("/konto/anzeigename/", {"display_name": display_name})

    assert response.status_code == 200
    page = main_html(response)
    assert message in page
    assert f'value="{html.escape(display_name)}"' in page
    user.refresh_from_db()
    assert user.display_name == "Kiebitz"


def test_changing_only_the_case_of_ones_own_display_name_is_allowed(client):
    user = UserFactory(display_name="Kiebitz")
    client.force_login(user)

    client.post("/konto/anzeigename/", {"display_name": "KIEBITZ"})

    user.refresh_from_db()
    assert user.display_name == "KIEBITZ"


# Two-factor authentication (TOTP)


def test_totp_activation_and_later_login_asks_for_the_code(client):
    user = UserFactory()
    log_in(client, user.email)

    # Activating a second factor is sensitive: allauth asks for the password again.
    response = client.get("/konto/2fa/totp/activate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/reauthenticate/")
    response = client.post(response["Location"], {"password": TEST_PASSWORD})
    assert response.status_code == 302

    activate_page = client.get("/konto/2fa/totp/activate/")
    assert activate_page.status_code == 200
    secret = shown_secret(activate_page)

    refused = client.post("/konto/2fa/totp/activate/", {"code": "000000"})
    assert refused.status_code == 200
    assert "Falscher Code." in main_html(refused)

    response = client.post("/konto/2fa/totp/activate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert user.authenticator_set.filter(type="totp").exists()

    client.post("/konto/logout/")
    response = log_in(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    code_page = client.get(response["Location"])
    assert 'name="code"' in main_html(code_page)

    wrong = client.post("/konto/2fa/authenticate/", {"code": "000000"})
    assert "_auth_user_id" not in client.session
    assert "Falscher Code." in main_html(wrong)

    response = client.post("/konto/2fa/authenticate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


# Language


def test_login_page_in_german_by_default_and_in_english_under_en(client):
    german = client.get("/konto/login/")
    english = client.get("/en/konto/login/")

    assert german.status_code == english.status_code == 200
    assert '<html lang="de">' in german.content.decode()
    assert "Passwort vergessen?" in main_html(german)
    assert '<html lang="en">' in english.content.decode()
    assert "Forgot your password?" in main_html(english)
    assert "Passwort vergessen?" not in main_html(english)


def test_failed_logins_are_rate_limited(client, settings):
    from django.core.cache import cache

    from config.settings import ACCOUNT_RATE_LIMITS

    settings.ACCOUNT_RATE_LIMITS = ACCOUNT_RATE_LIMITS  # the production limits
    cache.clear()
    user = UserFactory()
    for _ in range(5):
        response = client.post(
            "/konto/login/", {"login": user.email, "password": "wrong-password-123"}
        )
        assert "Zu viele gescheiterte Anmeldeversuche" not in main_html(response)
    # While the limit holds, even the right password is refused, with a clear message.
    response = client.post("/konto/login/", {"login": user.email, "password": TEST_PASSWORD})
    cache.clear()
    assert response.status_code == 200
    assert "Zu viele gescheiterte Anmeldeversuche. Bitte versuchen Sie es später erneut." in (
        main_html(response)
    )
    assert "_auth_user_id" not in client.session
