"""What the moderation services share: the checks of a text a moderator or an appellant
writes, and telling a reporter the outcome of their notice."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from participation.moderation.models import EXPLANATION_MAX_LENGTH, Report
from participation.moderation.tasks import mail_schedule
from participation.notifications.mail import recipient_language
from participation.notifications.models import Notification
from participation.notifications.services import notify

EXPLANATION_MIN_LENGTH = 10
NETIQUETTE = "netiquette"


def clean_explanation(text: str, *, what: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) < EXPLANATION_MIN_LENGTH:
        raise ValidationError(
            _("%(what)s: please write at least %(min)d characters.")
            % {"what": what, "min": EXPLANATION_MIN_LENGTH}
        )
    if len(text) > EXPLANATION_MAX_LENGTH:
        raise ValidationError(
            _("%(what)s can have at most %(max)d characters (this one has %(length)d).")
            % {"what": what, "max": EXPLANATION_MAX_LENGTH, "length": len(text)}
        )
    return text


def tell_reporter(report: Report, *, outcome: str = "") -> None:
    if report.reporter_id:
        with translation.override(recipient_language(report.reporter)):
            text = _("Your notice was decided: %(outcome)s") % {
                "outcome": outcome or _("see the decision")
            }
        notify(
            recipient_ids=[report.reporter_id],
            kind=Notification.Kind.MODERATION,
            text=text,
            url=reverse("moderation_my_notices"),
        )
    to = report.reporter_email or (report.reporter.email if report.reporter else "")
    language = recipient_language(report.reporter) if report.reporter else report.language
    mail_schedule(kind="report_outcome", object_id=report.pk, to=to, language=language)
