"""Moderation mails: one templated text mail per recipient, in the recipient's language,
sent by a background task after the act's transaction commits (tasks.py)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from participation.notifications.mail import text_mail_send

# kind → (subject msgid, template); marked so that makemessages finds the subjects.
MAILS = {
    "report_received": (gettext_noop("Your notice was received"), "mail_report_received.txt"),
    "report_outcome": (gettext_noop("Outcome of your notice"), "mail_report_outcome.txt"),
    "decision": (gettext_noop("A moderation decision concerns you"), "mail_decision.txt"),
    "appeal_received": (gettext_noop("Your appeal was received"), "mail_appeal_received.txt"),
    "appeal_outcome": (gettext_noop("Your appeal was decided"), "mail_appeal_outcome.txt"),
}


def mail_send(*, kind: str, obj, to: str, language: str, context: dict) -> int:
    subject, template = MAILS[kind]
    return text_mail_send(
        to=to,
        language=language,
        subject=subject,
        template=f"participation_moderation/{template}",
        context=context,
    )
