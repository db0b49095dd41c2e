"""Writes of the website app: accessibility feedback (BITV 2.0 § 7(1) no. 2)."""

from __future__ import annotations

import logging
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from cms.models import FEEDBACK_MESSAGE_MAX_LENGTH, AccessibilityFeedback, SiteSettings
from cms.tasks import accessibility_feedback_mail_task

logger = logging.getLogger(__name__)

# Control characters other than tab and line breaks never belong in a message or a mail.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _plain(text: str, *, limit: int) -> str:
    return CONTROL_CHARACTERS.sub("", (text or "").replace("\r\n", "\n")).strip()[:limit]


def accessibility_feedback_create(
    *,
    message: str,
    site,
    name: str = "",
    email: str = "",
    page_url: str = "",
    language: str = "",
) -> AccessibilityFeedback:
    """Keep a feedback message and mail it to the operator's contact address (the site's
    settings) once it is stored. The text stays plain text: it is escaped wherever it is
    shown and mailed as plain text only, so that a message may name markup ("the <video>
    has no captions") without losing it."""
    message = CONTROL_CHARACTERS.sub("", (message or "").replace("\r\n", "\n")).strip()
    errors: dict[str, list[str]] = {}
    if not message:
        errors["message"] = [_("Please write your message.")]
    elif len(message) > FEEDBACK_MESSAGE_MAX_LENGTH:
        errors["message"] = [
            _("Your message can have at most %(max)d characters. Please shorten it.")
            % {"max": FEEDBACK_MESSAGE_MAX_LENGTH}
        ]
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Please give a valid e-mail address, or leave the field empty.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        feedback = AccessibilityFeedback.objects.create(
            message=message,
            name=_plain(name, limit=200),
            email=email,
            page_url=_plain(page_url, limit=500),
            language=(language or translation.get_language() or "")[:10],
        )
    to = SiteSettings.for_site(site).contact_email if site is not None else ""
    if to:
        transaction.on_commit(lambda: _mail_enqueue(feedback.pk, to))
    else:
        logger.warning("accessibility feedback %s: no contact e-mail address set", feedback.pk)
    return feedback


def _mail_enqueue(feedback_id: int, to: str) -> None:
    try:
        accessibility_feedback_mail_task.enqueue(feedback_id=feedback_id, to=to)
    except Exception:
        logger.exception("accessibility feedback %s: could not enqueue the mail", feedback_id)
