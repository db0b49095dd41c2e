"""Background work of the website app: the accessibility feedback mail to the operator."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_tasks import task

from cms.models import AccessibilityFeedback
from participation.notifications.mail import absolute


@task()
def accessibility_feedback_mail_task(*, feedback_id: int, to: str) -> int:
    """Mail one feedback message to the operator, in the platform's language, as plain
    text; a reply goes to the sender if they gave an address. 0 when it is gone."""
    feedback = AccessibilityFeedback.objects.filter(pk=feedback_id).first()
    if feedback is None:
        return 0
    admin_url = absolute(
        reverse("wagtailsnippets_cms_accessibilityfeedback:inspect", args=[feedback.pk])
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + gettext(
            "Accessibility feedback: a message about a barrier"
        )
        body = render_to_string(
            "cms/accessibility_feedback_mail.txt",
            {"feedback": feedback, "admin_url": admin_url},
        )
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[to],
        reply_to=[feedback.email] if feedback.email else None,
    )
    return message.send()
