"""Appeals (Beschwerden, DSA Art. 20): the person a decision affects complains within the
window; another moderator decides, and a justified appeal reverses the decision through a
new one."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cooperative.audit.services import audit_record
from participation.gate.queue import queue_changed
from participation.moderation.models import Appeal, ModerationDecision
from participation.moderation.services.common import clean_explanation
from participation.moderation.services.decisions import INVERSE, decision_create
from participation.moderation.targets import target_of
from participation.moderation.tasks import mail_schedule
from participation.notifications.mail import recipient_language
from participation.notifications.models import Notification
from participation.notifications.services import notify

Source = ModerationDecision.Source


def appeal_deadline(decided_at: datetime) -> datetime:
    """DSA Art. 20(1): at least six months after the decision."""
    months = settings.MODERATION_APPEAL_MONTHS
    month = decided_at.month - 1 + months
    year = decided_at.year + month // 12
    month = month % 12 + 1
    day = min(
        decided_at.day,
        [
            31,
            29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ][month - 1],
    )
    return decided_at.replace(year=year, month=month, day=day)


def appeal_create(*, decision: ModerationDecision, appellant, text: str) -> Appeal:
    """A complaint (DSA Art. 20) by the person the decision affects, within the window."""
    if decision.affected_user_id is None or decision.affected_user_id != appellant.pk:
        raise ValidationError(_("Only the person the decision concerns can appeal it."))
    if timezone.now() > appeal_deadline(decision.created_at):
        raise ValidationError(
            _("The time for an appeal (%(months)d months after the decision) has passed.")
            % {"months": settings.MODERATION_APPEAL_MONTHS}
        )
    if decision.is_reversed:
        raise ValidationError(_("This decision has already been reversed."))
    text = clean_explanation(text, what=_("Your appeal"))
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                decision=decision,
                appellant=appellant,
                text=text,
                decision_moderator_id=decision.moderator_id,
            )
            audit_record(
                kind="moderation.appeal",
                obj=appeal,
                public={"decision": str(decision.puid)},
                private={"appellant": appellant.pk},
            )
            with translation.override(recipient_language(appellant)):
                note = _("Your appeal was received; another moderator will decide it.")
            notify(
                recipient_ids=[appellant.pk],
                kind=Notification.Kind.MODERATION,
                text=note,
                url=decision.get_absolute_url(),
            )
            mail_schedule(
                kind="appeal_received",
                object_id=appeal.pk,
                to=appellant.email,
                language=recipient_language(appellant),
            )
            queue_changed(decision.consultation, reason="appeal")
    except IntegrityError:
        raise ValidationError(_("There is already an open appeal against this decision.")) from None
    return appeal


def appeal_decide(*, appeal: Appeal, moderator, reverse_decision: bool, reasons: str) -> Appeal:
    """Decide an appeal. The moderator must not be the one who decided; a justified appeal
    reverses the decision (restores the content, lifts the suspension or lock) through a
    new decision with source "appeal"."""
    if appeal.status != Appeal.Status.OPEN:
        raise ValidationError(_("This appeal has already been decided."))
    decision = appeal.decision
    if decision.moderator_id is not None and decision.moderator_id == moderator.pk:
        raise ValidationError(
            _("You took the decision yourself: another moderator must decide the appeal.")
        )
    reasons = clean_explanation(reasons, what=_("The reasons"))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.status != Appeal.Status.OPEN:
            raise ValidationError(_("This appeal has already been decided."))
        appeal.status = Appeal.Status.REVERSED if reverse_decision else Appeal.Status.UPHELD
        appeal.decided_by = moderator
        appeal.decided_at = timezone.now()
        appeal.reasons = reasons
        appeal.save(update_fields=["status", "decided_by", "decided_at", "reasons"])
        if reverse_decision:
            inverse = INVERSE.get(decision.action)
            target = target_of(decision)
            if inverse is None or target is None:
                raise ValidationError(_("This decision cannot be reversed."))
            reversal = decision_create(
                moderator=moderator,
                target=target,
                action=inverse,
                facts=reasons,
                reports=[],
                source=Source.APPEAL,
                appeal=appeal,
                suspension_consultation=decision.consultation,
            )
            ModerationDecision.objects.filter(pk=decision.pk).update(reversed_by=reversal)
            decision.reversed_by = reversal
        audit_record(
            kind="moderation.appeal_decided",
            obj=appeal,
            public={"decision": str(decision.puid), "outcome": appeal.status},
            private={"moderator": moderator.pk},
        )
        if appeal.appellant_id:
            language = recipient_language(appeal.appellant)
            with translation.override(language):
                note = _("Your appeal was decided: %(outcome)s") % {
                    "outcome": appeal.get_status_display()
                }
            notify(
                recipient_ids=[appeal.appellant_id],
                kind=Notification.Kind.MODERATION,
                text=note,
                url=decision.get_absolute_url(),
            )
            mail_schedule(
                kind="appeal_outcome",
                object_id=appeal.pk,
                to=appeal.appellant.email if appeal.appellant else "",
                language=language,
            )
        queue_changed(decision.consultation, reason="appeal_decided")
    return appeal
