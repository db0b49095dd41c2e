"""Background work of moderation: its mails, enqueued once the act has committed."""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task

from participation.moderation.dsa import ground_text
from participation.moderation.mail import mail_send
from participation.moderation.models import Appeal, ModerationDecision, Report
from participation.notifications.mail import absolute

logger = logging.getLogger(__name__)


def mail_schedule(*, kind: str, object_id: int, to: str, language: str) -> None:
    """Enqueue the mail once the current transaction has committed."""
    if not to:
        return

    def enqueue() -> None:
        try:
            moderation_mail_task.enqueue(kind=kind, object_id=object_id, to=to, language=language)
        except Exception:
            logger.exception("moderation: could not enqueue the %s mail for %s", kind, object_id)

    transaction.on_commit(enqueue)


@task()
def moderation_mail_task(*, kind: str, object_id: int, to: str, language: str) -> int:
    """Send one moderation mail; 0 when its object is gone."""
    if kind in ("report_received", "report_outcome"):
        report = Report.objects.filter(pk=object_id).first()
        if report is None:
            return 0
        decision = report.decisions.order_by("-created_at").first()
        context: dict = {
            "report": report,
            "decision": decision,
            "decision_url": absolute(decision.get_absolute_url()) if decision else "",
            "ground": ground_text(report),
        }
        return mail_send(kind=kind, obj=report, to=to, language=language, context=context)
    if kind == "decision":
        decision = ModerationDecision.objects.filter(pk=object_id).first()
        if decision is None:
            return 0
        context = {
            "decision": decision,
            "decision_url": absolute(decision.get_absolute_url()),
            "ground": ground_text(decision),
        }
        return mail_send(kind=kind, obj=decision, to=to, language=language, context=context)
    appeal = Appeal.objects.select_related("decision").filter(pk=object_id).first()
    if appeal is None:
        return 0
    context = {
        "appeal": appeal,
        "decision": appeal.decision,
        "decision_url": absolute(appeal.decision.get_absolute_url()),
        "ground": ground_text(appeal.decision),
    }
    return mail_send(kind=kind, obj=appeal, to=to, language=language, context=context)
