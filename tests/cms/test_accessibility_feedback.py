"""The accessibility statement's feedback form (BITV 2.0 § 7): a valid message is kept,
mailed to the operator and confirmed; bad input is refused with a message on its field and
loses nothing; the form is rate limited; admins read the messages in the Wagtail admin,
nobody else does."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from wagtail.models import Site

from cms.models import AccessibilityFeedback, SiteSettings
from tests.cms.accessibility_helpers import CONTACT, accessibility_pages
from tests.factories import UserFactory, log_in_with_second_factor, rate_limits

pytestmark = pytest.mark.django_db

STATEMENT = "/barrierefreiheit/"
MESSAGE = "Das Diagramm auf der Seite zum Radverkehr hat keinen Alternativtext."
ADMIN_LIST = "/admin/snippets/cms/accessibilityfeedback/"


@pytest.fixture
def statement(db):
    return accessibility_pages()[0]


def send(client, **fields):
    data = {"message": MESSAGE, "name": "", "email": "", "page_url": "", **fields}
    return client.post(STATEMENT, data)


def form_of(response) -> BeautifulSoup:
    page = BeautifulSoup(response.content, "html.parser")
    form = page.find("form", class_="feedback-form")
    assert form is not None
    return form


def error_of(form, name: str) -> str:
    """The error shown for a field, found the way assistive technology finds it: through
    the field's aria-describedby."""
    field = form.find(attrs={"name": name})
    assert field.get("aria-invalid") == "true", name
    described = field["aria-describedby"].split()
    texts = [form.find(id=ident).get_text(" ", strip=True) for ident in described]
    return " ".join(texts)


def test_a_valid_message_is_kept_mailed_and_confirmed(
    client, statement, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            client,
            name="Amsel",
            email="amsel@example.org",
            page_url="/beteiligungen/radverkehr/",
        )
    assert response.status_code == 302
    assert response["Location"] == "/barrierefreiheit/danke/"
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.message == MESSAGE
    assert (feedback.name, feedback.email) == ("Amsel", "amsel@example.org")
    assert feedback.page_url == "/beteiligungen/radverkehr/"
    assert feedback.language == "de"
    assert feedback.handled is False

    (message,) = mail.outbox
    assert message.to == [CONTACT]
    assert message.reply_to == ["amsel@example.org"]
    assert "Barrierefreiheit" in message.subject
    assert MESSAGE in message.body
    assert "/beteiligungen/radverkehr/" in message.body
    assert f"/admin/snippets/cms/accessibilityfeedback/inspect/{feedback.pk}/" in message.body

    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    main = BeautifulSoup(confirmation.content, "html.parser").find("main")
    assert main.find("h1").get_text(strip=True) == "Vielen Dank: Ihre Nachricht ist angekommen"
    assert MESSAGE in main.get_text()
    assert "Wir antworten Ihnen an amsel@example.org." in main.get_text(" ", strip=True)


def test_only_the_message_is_needed_and_the_page_form_comes_prefilled(client, statement):
    form = form_of(client.get(STATEMENT, headers={"referer": "http://testserver/beteiligungen/"}))
    assert form.find("input", attrs={"name": "page_url"})["value"] == "/beteiligungen/"
    response = send(client)
    assert response.status_code == 302
    assert AccessibilityFeedback.objects.get().email == ""
    confirmation = client.get(response["Location"]).content.decode()
    assert "Sie haben keine E-Mail-Adresse angegeben" in confirmation


def test_the_confirmation_is_shown_only_to_whoever_sent(client, statement):
    send(client)
    other = client.__class__()
    response = other.get("/barrierefreiheit/danke/")
    assert response.status_code == 302
    assert response["Location"] == STATEMENT


def test_an_empty_message_is_refused_and_the_rest_is_kept(client, statement):
    response = send(client, message="   ", name="Amsel", email="amsel@example.org")
    assert response.status_code == 422
    form = form_of(response)
    assert "Bitte schreiben Sie Ihre Nachricht." in error_of(form, "message")
    assert form.find("input", attrs={"name": "name"})["value"] == "Amsel"
    assert form.find("input", attrs={"name": "email"})["value"] == "amsel@example.org"
    assert not AccessibilityFeedback.objects.exists()
    assert mail.outbox == []


def test_a_too_long_message_is_refused_and_kept(client, statement):
    long_message = "Barriere " * 700
    response = send(client, message=long_message)
    assert response.status_code == 422
    form = form_of(response)
    assert "höchstens 5000 Zeichen" in error_of(form, "message")
    # (Django writes a line break after <textarea>, which browsers drop.)
    kept = form.find("textarea", attrs={"name": "message"}).get_text().removeprefix("\n")
    assert kept == long_message
    assert not AccessibilityFeedback.objects.exists()


def test_a_bad_email_address_is_refused_and_the_message_kept(client, statement):
    response = send(client, email="amsel-at-example", page_url="/beteiligungen/")
    assert response.status_code == 422
    form = form_of(response)
    assert "gültige E-Mail-Adresse" in error_of(form, "email")
    assert form.find("textarea", attrs={"name": "message"}).get_text().strip() == MESSAGE
    assert form.find("input", attrs={"name": "page_url"})["value"] == "/beteiligungen/"
    assert not AccessibilityFeedback.objects.exists()


def test_errors_are_told_in_english_on_the_english_page(client, statement):
    response = client.post("/en/barrierefreiheit/", {"message": "", "email": "nope"})
    assert response.status_code == 422
    form = form_of(response)
    assert "Please write your message." in error_of(form, "message")
    assert "valid e-mail address" in error_of(form, "email")


def test_the_form_is_rate_limited_and_keeps_the_text(client, statement, settings):
    rate_limits(settings, "accessibility_feedback", address="1/hour")
    assert send(client).status_code == 302
    second = "Die Schrift im Kalender ist zu klein."
    response = send(client, message=second)
    assert response.status_code == 429
    form = form_of(response)
    alert = form.find(class_="form-errors")
    assert alert["role"] == "alert"
    assert "mehrere Nachrichten" in alert.get_text()
    assert form.find("textarea", attrs={"name": "message"}).get_text().strip() == second
    assert AccessibilityFeedback.objects.count() == 1


def test_without_a_contact_address_the_message_is_kept_unmailed(
    client, statement, django_capture_on_commit_callbacks
):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_email = ""
    settings.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send(client).status_code == 302
    assert AccessibilityFeedback.objects.count() == 1
    assert mail.outbox == []


def test_markup_in_a_message_is_kept_as_text_and_never_rendered(
    client, statement, django_capture_on_commit_callbacks
):
    text = 'Das <video> hat keine Untertitel. <script>alert("x")</script>'
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, message=text)
    assert AccessibilityFeedback.objects.get().message == text
    assert text in mail.outbox[0].body
    confirmation = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in confirmation
    assert "&lt;video&gt; hat keine Untertitel." in confirmation


def test_an_admin_reads_the_messages_in_the_wagtail_admin(client, statement):
    send(client, name="Amsel")
    feedback = AccessibilityFeedback.objects.get()
    admin = UserFactory(is_superuser=True, is_staff=True)
    log_in_with_second_factor(client, admin)
    listing = client.get(ADMIN_LIST)
    assert listing.status_code == 200
    assert "Das Diagramm auf der Seite zum Radverkehr" in listing.content.decode()
    inspect = client.get(f"{ADMIN_LIST}inspect/{feedback.pk}/")
    assert inspect.status_code == 200
    assert MESSAGE in inspect.content.decode()
    assert "Amsel" in inspect.content.decode()
    # Marked as handled; nobody writes feedback in the admin.
    edit = client.post(f"{ADMIN_LIST}edit/{feedback.pk}/", {"handled": "on"})
    assert edit.status_code == 302
    feedback.refresh_from_db()
    assert feedback.handled is True and feedback.message == MESSAGE
    assert client.get(f"{ADMIN_LIST}add/").status_code in (302, 403)


@pytest.mark.parametrize("who", ["anonymous", "participant", "staff without permission"])
def test_nobody_else_reads_the_messages(client, statement, who):
    send(client)
    feedback = AccessibilityFeedback.objects.get()
    client.cookies.clear()
    if who == "participant":
        client.force_login(UserFactory())
    elif who == "staff without permission":
        log_in_with_second_factor(client, UserFactory(is_staff=True))
    for url in (ADMIN_LIST, f"{ADMIN_LIST}inspect/{feedback.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        assert MESSAGE not in response.content.decode()
