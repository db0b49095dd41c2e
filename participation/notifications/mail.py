"""Mail to one person: in their language, as plain text, with absolute links. Used by every
app that writes to people (reply mails, moderation, the surge guard)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from wagtail.users.models import UserProfile


def recipient_language(user) -> str:
    """The language the person chose (Wagtail's preferred language in their profile) if the
    platform offers it, else the platform's (German)."""
    offered = {code for code, _name in settings.LANGUAGES}
    if user is None:
        return settings.LANGUAGE_CODE
    profile = UserProfile.objects.filter(user_id=user.pk).only("preferred_language").first()
    language = profile.preferred_language if profile else ""
    return language if language in offered else settings.LANGUAGE_CODE


def absolute(url: str) -> str:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") else url


def text_mail_send(*, to: str, language: str, subject: str, template: str, context: dict) -> int:
    """One plain-text mail (no HTML part: nothing a person wrote can become markup), its
    subject (a msgid) and body rendered in `language` if the platform offers it."""
    offered = {code for code, _name in settings.LANGUAGES}
    with translation.override(language if language in offered else settings.LANGUAGE_CODE):
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + gettext(subject)
        body = render_to_string(template, context)
    return EmailMessage(subject=subject, body=body, to=[to]).send()
