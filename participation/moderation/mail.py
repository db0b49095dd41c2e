"""Moderation mails: one templated text mail per recipient, in the recipient's language,
sent by a background task after the act's transaction commits."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

logger = logging.getLogger(__name__)

# kind → (subject msgid, template); marked so that makemessages finds the subjects.
MAILS = {
    "report_received": (gettext_noop("Your notice was received"), "mail_report_received.txt"),
    "report_outcome": (gettext_noop("Outcome of your notice"), "mail_report_outcome.txt"),
    "decision": (gettext_noop("A moderation decision concerns you"), "mail_decision.txt"),
    "appeal_received": (gettext_noop("Your appeal was received"), "mail_appeal_received.txt"),
    "appeal_outcome": (gettext_noop("Your appeal was decided"), "mail_appeal_outcome.txt"),
}


def recipient_language(user) -> str:
    """The language the person chose (Wagtail's preferred language in their profile) if the
    platform offers it, else the platform's (German)."""
    offered = {code for code, _name in settings.LANGUAGES}
    if user is None:
        return settings.LANGUAGE_CODE
    from wagtail.users.models import UserProfile

    profile = UserProfile.objects.filter(user_id=user.pk).only("preferred_language").first()
    language = profile.preferred_language if profile else ""
    return language if language in offered else settings.LANGUAGE_CODE


def absolute(url: str) -> str:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") else url


def mail_schedule(*, kind: str, object_id: int, to: str, language: str) -> None:
    """Enqueue the mail once the current transaction has committed."""
    if not to:
        return
    from participation.moderation.tasks import moderation_mail_task

    def enqueue() -> None:
        try:
            moderation_mail_task.enqueue(kind=kind, object_id=object_id, to=to, language=language)
        except Exception:
            logger.exception("moderation: could not enqueue the %s mail for %s", kind, object_id)

    transaction.on_commit(enqueue)


def text_mail_send(*, to: str, language: str, subject: str, template: str, context: dict) -> int:
    """One plain-text mail (no HTML part: nothing a person wrote can become markup), its
    subject (a msgid) and body rendered in `language` if the platform offers it."""
    offered = {code for code, _name in settings.LANGUAGES}
    with translation.override(language if language in offered else settings.LANGUAGE_CODE):
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + gettext(subject)
        body = render_to_string(template, context)
    return EmailMessage(subject=subject, body=body, to=[to]).send()


def mail_send(*, kind: str, obj, to: str, language: str, context: dict) -> int:
    subject, template = MAILS[kind]
    return text_mail_send(
        to=to,
        language=language,
        subject=subject,
        template=f"participation_moderation/{template}",
        context=context,
    )
