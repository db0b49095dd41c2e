"""A reply tells the author of the contribution it answers: in their notifications and by
e-mail (plain text, in their language, unless they switched it off)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.users.models import UserProfile

from participation.comments.models import Comment
from participation.comments.services import comment_create
from participation.consultations.models import ModerationMode
from participation.moderation.services import decision_create
from participation.notifications.models import Notification
from tests.factories import UserFactory
from tests.participation.moderation.helpers import world

pytestmark = pytest.mark.django_db

User = get_user_model()
PAYLOAD = '<script>alert("reply")</script><img src=x onerror=alert(1)>'
HOSTILE_NAME = '<b onmouseover="alert(1)">Eve</b>'


@pytest.fixture
def thread(make_consultation):
    page = make_consultation("open", title="Radwege am Ring")
    first = UserFactory(display_name="Ringfahrerin")
    parent = comment_create(author=first, consultation=page, body="Der Ring braucht Radwege.")
    return page, first, parent


def reply(page, parent, *, author=None, body="Ja, vor allem an der Kreuzung."):
    return comment_create(
        author=author or UserFactory(display_name="Antwortender"),
        consultation=page,
        body=body,
        parent=parent,
    )


def test_a_reply_notifies_the_parents_author_and_mails_them(
    thread, mailoutbox, django_capture_on_commit_callbacks
):
    page, first, parent = thread
    with django_capture_on_commit_callbacks(execute=True):
        answer = reply(page, parent)

    notification = Notification.objects.get(recipient=first)
    assert notification.kind == Notification.Kind.REPLY
    assert notification.text == (
        "Antwortender hat auf Ihren Beitrag in „Radwege am Ring“ geantwortet."
    )
    assert notification.url == answer.get_absolute_url()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [first.email]
    assert mail.subject == "[Allmende] Eine Antwort auf Ihren Beitrag"
    assert "Guten Tag Ringfahrerin," in mail.body
    assert "Ja, vor allem an der Kreuzung." in mail.body
    assert "Der Ring braucht Radwege." in mail.body
    assert answer.get_absolute_url() in mail.body
    assert reverse("account_mail_settings") in mail.body


def test_no_notice_for_a_reply_to_oneself_or_to_a_top_level_contribution(
    thread, mailoutbox, django_capture_on_commit_callbacks
):
    page, first, parent = thread
    with django_capture_on_commit_callbacks(execute=True):
        reply(page, parent, author=first, body="Und noch ein Nachtrag von mir.")
        comment_create(author=UserFactory(), consultation=page, body="Ein neuer Faden.")
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_switched_off_mails_leave_the_notification(
    thread, mailoutbox, django_capture_on_commit_callbacks
):
    page, first, parent = thread
    User.objects.filter(pk=first.pk).update(reply_mails=False)
    parent.author.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        reply(page, parent)
    assert Notification.objects.filter(recipient=first, kind=Notification.Kind.REPLY).count() == 1
    assert mailoutbox == []


def test_the_mail_is_in_the_recipients_language(
    thread, mailoutbox, django_capture_on_commit_callbacks
):
    page, first, parent = thread
    profile = UserProfile.get_for_user(first)
    profile.preferred_language = "en"
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        reply(page, parent)
    assert mailoutbox[0].subject == "[Allmende] A reply to your contribution"
    assert "Hello Ringfahrerin," in mailoutbox[0].body
    assert Notification.objects.get(recipient=first).text == (
        "Antwortender replied to your contribution in “Radwege am Ring”."
    )


def test_hostile_replies_and_names_stay_text_in_the_mail(
    thread, mailoutbox, django_capture_on_commit_callbacks
):
    page, _first, parent = thread
    writer = UserFactory()
    # The forms refuse such names; an old or imported account could still carry one.
    User.objects.filter(pk=writer.pk).update(display_name=HOSTILE_NAME)
    writer.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        reply(page, parent, author=writer, body=PAYLOAD)

    mail = mailoutbox[0]
    # Plain text only: there is no HTML part a mail program could render.
    assert mail.content_subtype == "plain"
    assert getattr(mail, "alternatives", []) == []
    assert mail.attachments == []
    # The text arrives as written, to be read, not as markup (and not mangled into entities).
    assert PAYLOAD in mail.body
    assert HOSTILE_NAME in mail.body
    assert HOSTILE_NAME not in mail.subject
    assert "\n" not in mail.subject


def test_a_held_reply_tells_its_parents_author_only_when_approved(
    mailoutbox, django_capture_on_commit_callbacks
):
    w = world()
    page = w.town_consultation
    first = UserFactory(display_name="Erste")
    parent = comment_create(author=first, consultation=page, body="Der Ring braucht Radwege.")
    page.moderation_mode = ModerationMode.PRE
    page.save()
    with django_capture_on_commit_callbacks(execute=True):
        held = reply(page, parent)
    assert held.status == Comment.Status.PENDING
    assert not Notification.objects.filter(recipient=first).exists()
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        decision_create(
            moderator=w.org_mandate, target=held, action="approve", facts="Passt zum Thema."
        )
    assert Notification.objects.filter(recipient=first, kind=Notification.Kind.REPLY).count() == 1
    # Beside the decision's own mail to the reply's author.
    assert [m.subject for m in mailoutbox if m.to == [first.email]] == [
        "[Allmende] Eine Antwort auf Ihren Beitrag"
    ]


def test_a_reply_hidden_before_the_mail_goes_is_not_mailed(thread, mailoutbox):
    from participation.comments.services import reply_mail_send

    page, _first, parent = thread
    answer = reply(page, parent)
    Comment.objects.filter(pk=answer.pk).update(status=Comment.Status.HIDDEN)
    answer.refresh_from_db()
    assert reply_mail_send(comment=answer) == 0
    assert mailoutbox == []


# -- the setting -------------------------------------------------------------------------


def test_the_setting_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("account_mail_settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_person_switches_reply_mails_off_and_on(client):
    person = UserFactory()
    client.force_login(person)
    url = reverse("account_mail_settings")

    page = client.get(url)
    assert page.status_code == 200
    assert 'name="reply_mails"' in page.content.decode()
    assert "checked" in page.content.decode()

    off = client.post(url, {}, follow=True)
    person.refresh_from_db()
    assert off.status_code == 200
    assert person.reply_mails is False
    assert "Ihre E-Mail-Einstellungen wurden gespeichert." in off.content.decode()

    client.post(url, {"reply_mails": "on"})
    person.refresh_from_db()
    assert person.reply_mails is True


def test_the_setting_needs_the_csrf_token(person_client_csrf):
    client, person = person_client_csrf
    response = client.post(reverse("account_mail_settings"), {})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.reply_mails is True


@pytest.fixture
def person_client_csrf():
    from django.test import Client

    person = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    return client, person


def test_the_mail_quotes_the_words_not_the_markdown(
    thread, mailoutbox, django_capture_on_commit_callbacks
):
    page, _first, parent = thread
    with django_capture_on_commit_callbacks(execute=True):
        reply(page, parent, body="**Unbedingt**, siehe [Plan der Stadt](https://example.org/plan).")

    body = mailoutbox[0].body
    assert "Unbedingt, siehe Plan der Stadt." in body
    assert "**" not in body
    assert "](https://example.org/plan)" not in body
