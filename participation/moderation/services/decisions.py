"""Moderation decisions (DSA Art. 17): a moderator's act on an item with its statement of
reasons, its effect and who is told.

The item's kind is reached through the registry of moderation targets
(participation/gate/targets.py): a contribution or a proposal changes its own state there
(hide, restore, remove, approve, reject) and tells its readers; the lasting effects on
the gate (a locked thread, pre-moderation, a suspension) are written here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cooperative.audit.services import audit_record
from cooperative.governance.selectors import rule_version_in_force
from participation.gate.models import Premoderation, Suspension, ThreadLock
from participation.gate.queue import queue_changed
from participation.gate.targets import CONTENT_ACTIONS, moderation_target
from participation.moderation.clauses import clause_by_id
from participation.moderation.models import (
    EXPLANATION_MAX_LENGTH,
    RESTRICTING_ACTIONS,
    Appeal,
    GroundType,
    LegalGround,
    ModerationDecision,
    Report,
)
from participation.moderation.scope import mandate_used
from participation.moderation.selectors import open_reports_on
from participation.moderation.services.common import (
    EXPLANATION_MIN_LENGTH,
    NETIQUETTE,
    clean_explanation,
    tell_reporter,
)
from participation.moderation.targets import DisplayNameTarget, reportable
from participation.moderation.tasks import mail_schedule
from participation.notifications.mail import recipient_language
from participation.notifications.models import Notification
from participation.notifications.services import notify

Action = ModerationDecision.Action
Source = ModerationDecision.Source
Automation = ModerationDecision.Automation

# What undoes what: an appeal that succeeds records the inverse decision.
INVERSE: dict[str, str] = {
    Action.HIDE: Action.RESTORE,
    Action.REMOVE: Action.RESTORE,
    Action.REJECT: Action.APPROVE,
    Action.LOCK: Action.UNLOCK,
    Action.PREMODERATION_ON: Action.PREMODERATION_OFF,
    Action.SUSPEND: Action.UNSUSPEND,
}


def actions_applicable(kind: str, obj) -> frozenset[str]:
    """The decisions that fit this item as it is now."""
    target = moderation_target(kind)
    return target.applicable(obj) if target is not None else frozenset()


def approvable(kind: str) -> bool:
    """Whether items of this kind wait for approval under pre-moderation."""
    target = moderation_target(kind)
    return target is not None and target.is_content


def redress_text(decision_action: str) -> str:
    """How to seek redress (DSA Art. 17(3)(f)), in the platform's language; the page
    shows it in the reader's."""
    if decision_action not in RESTRICTING_ACTIONS:
        return gettext_noop(
            "This decision lifts or does not impose a restriction: the person it concerns has "
            "nothing to appeal."
        )
    return gettext_noop(
        "You can appeal this decision within six months on its page (“My moderation "
        "notices”); a moderator other than the one who decided will review it (Art. 20 "
        "DSA). You can also turn to a certified out-of-court dispute settlement body "
        "(Art. 21 DSA) or to the courts."
    )


def restriction_text(action: str, kind: str, end_date: datetime | None) -> str:
    texts: dict[str, str] = {
        Action.HIDE: gettext_noop("The content is hidden from the public; a placeholder stays."),
        Action.REMOVE: gettext_noop("The content is removed from the platform."),
        Action.REJECT: gettext_noop("The contribution is not published (pre-moderation)."),
        Action.LOCK: gettext_noop("No new contributions can be added to this discussion."),
        Action.PREMODERATION_ON: gettext_noop(
            "New contributions to the consultation are checked before they appear."
        ),
        Action.SUSPEND: gettext_noop("The person cannot contribute."),
        Action.RESTORE: gettext_noop("No restriction: the content is public again."),
        Action.APPROVE: gettext_noop("No restriction: the contribution is published."),
        Action.UNLOCK: gettext_noop("No restriction: the discussion is open again."),
        Action.PREMODERATION_OFF: gettext_noop("No restriction: pre-moderation ends."),
        Action.UNSUSPEND: gettext_noop("No restriction: the suspension is lifted."),
    }
    return texts[action]


def _check_ground(*, action, ground_type, clause, legal_ground, ground_explanation, at=None):
    errors: dict[str, list[str]] = {}
    fields: dict = {
        "ground_type": "",
        "clause": "",
        "clause_label": "",
        "legal_ground": "",
        "rule_version": None,
    }
    restricting = action in RESTRICTING_ACTIONS
    if not ground_type and restricting:
        errors["ground_type"] = [
            _("A restriction needs its ground: a rule of the netiquette or a legal provision.")
        ]
    if ground_type == GroundType.RULE:
        version = rule_version_in_force(NETIQUETTE, at)
        found = clause_by_id(version, clause) if clause else None
        if found is None:
            errors["clause"] = [_("Please choose the rule of the netiquette in force.")]
        else:
            fields.update(
                ground_type=GroundType.RULE,
                rule_version=version,
                clause=found.id,
                clause_label=found.label[:500],
            )
    elif ground_type == GroundType.LEGAL:
        if legal_ground not in LegalGround.values:
            errors["legal_ground"] = [_("Please choose the legal provision.")]
        else:
            fields.update(ground_type=GroundType.LEGAL, legal_ground=legal_ground)
    elif ground_type:
        errors["ground_type"] = [_("Unknown ground.")]
    ground_explanation = (ground_explanation or "").strip()
    if ground_type and len(ground_explanation) < EXPLANATION_MIN_LENGTH:
        errors["ground_explanation"] = [
            _("Please explain in at least %(min)d characters why the ground applies.")
            % {"min": EXPLANATION_MIN_LENGTH}
        ]
    if len(ground_explanation) > EXPLANATION_MAX_LENGTH:
        errors["ground_explanation"] = [
            _("The explanation can have at most %(max)d characters.")
            % {"max": EXPLANATION_MAX_LENGTH}
        ]
    fields["ground_explanation"] = ground_explanation
    return fields, errors


def decision_create(
    *,
    moderator,
    target,
    action: str,
    facts: str,
    ground_type: str = "",
    clause: str = "",
    legal_ground: str = "",
    ground_explanation: str = "",
    end_date: datetime | None = None,
    suspension_consultation=None,
    reports: Iterable[Report] | None = None,
    source: str | None = None,
    appeal: Appeal | None = None,
    seen_version: str | None = None,
) -> ModerationDecision:
    """A moderator's decision on `target` with its statement of reasons, and its effect.

    `reports` defaults to the target's open notices (source: notice, else own initiative).
    For a suspension `target` is the user and `suspension_consultation` the consultation it
    applies to (None: the platform). `seen_version`: the `content_version` of the text the
    moderator read; an approval of a text its author changed since is refused."""
    item = reportable(target)
    if action not in Action.values:
        raise ValidationError(_("Unknown action."))
    if action not in item.target.actions:
        raise ValidationError(
            _("This action is not possible for a %(kind)s.") % {"kind": item.label}
        )
    errors: dict[str, list[str]] = {}
    try:
        facts = clean_explanation(facts, what=_("The facts and circumstances"))
    except ValidationError as error:
        errors["facts"] = error.messages
    fields, ground_errors = _check_ground(
        action=action,
        ground_type=ground_type,
        clause=clause,
        legal_ground=legal_ground,
        ground_explanation=ground_explanation,
    )
    errors.update(ground_errors)
    if end_date is not None and end_date <= timezone.now():
        errors["end_date"] = [_("The end of the restriction must lie in the future.")]
    if errors:
        raise ValidationError(errors)
    if reports is None:
        reports = open_reports_on(target) if item.target.takes_notices else []
    reports = list(reports)
    if source is None:
        source = Source.NOTICE if reports else Source.OWN_INITIATIVE
    if item.kind == DisplayNameTarget.kind:
        # A person is suspended from one consultation or the platform: the moderator says.
        item.consultation = suspension_consultation
    with transaction.atomic():
        return decide(
            target=target,
            item=item,
            action=action,
            moderator=moderator,
            facts=facts,
            end_date=end_date,
            source=source,
            reports=reports,
            appeal=appeal,
            seen_version=seen_version,
            **fields,
        )


# The statement of reasons of a one-click approval: approving restricts nothing, so it
# needs no ground (DSA Art. 17 applies to restrictions); the facts say what was checked.
APPROVAL_FACTS = gettext_noop(
    "The contribution waited for approval (pre-moderation). A moderator checked it before "
    "publication and found nothing that stands against publishing it."
)


def pending_approve(*, moderator, target, seen_version: str | None = None) -> ModerationDecision:
    """Publish a contribution or proposal that waits under pre-moderation, in one step:
    a decision `approve` with the standard facts in the platform's language, the mandate
    used, and the source `notice` when notices about it are open, else own initiative.
    `seen_version` as for `decision_create`."""
    if not reportable(target).target.is_content:
        raise ValidationError(_("Only contributions and proposals wait for approval."))
    with translation.override(settings.LANGUAGE_CODE):
        facts = _(APPROVAL_FACTS)
    return decision_create(
        moderator=moderator,
        target=target,
        action=Action.APPROVE,
        facts=facts,
        seen_version=seen_version,
    )


def decide(
    *,
    target,
    item,
    action: str,
    moderator,
    facts: str,
    source: str,
    reports: list[Report],
    end_date: datetime | None = None,
    automated_detection: bool = False,
    automated_decision: str = Automation.NOT_AUTOMATED,
    awaiting_review: bool = False,
    appeal: Appeal | None = None,
    seen_version: str | None = None,
    **ground,
) -> ModerationDecision:
    """Write the decision, apply it, record it, tell people. Inside a transaction."""
    consultation = item.consultation
    _apply(
        target=target,
        item=item,
        action=action,
        consultation=consultation,
        seen_version=seen_version,
    )
    decision = ModerationDecision.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        consultation=consultation,
        action=action,
        affected_user=item.affected_user,
        restriction=restriction_text(action, item.kind, end_date),
        end_date=end_date,
        facts=facts,
        automated_detection=automated_detection,
        automated_decision=automated_decision,
        source=source,
        redress=redress_text(action),
        content_date=item.created_at,
        content_language=(translation.get_language() or settings.LANGUAGE_CODE)[:10]
        if item.target.is_content
        else "",
        moderator=moderator,
        mandate=mandate_used(moderator, consultation) if moderator is not None else None,
        awaiting_review=awaiting_review,
        appeal=appeal,
        **ground,
    )
    _link_effects(decision, target=target, item=item)
    if reports:
        decision.reports.set(reports)
        now = timezone.now()
        if not awaiting_review:
            Report.objects.filter(pk__in=[r.pk for r in reports], status=Report.Status.OPEN).update(
                status=Report.Status.DECIDED, decided_at=now
            )
    if moderator is not None:
        # A human has looked: earlier automated decisions on the target are reviewed; one
        # that this decision undoes is reversed by it.
        pending = ModerationDecision.objects.filter(
            content_type=decision.content_type, object_id=decision.object_id, awaiting_review=True
        ).exclude(pk=decision.pk)
        if action in INVERSE.values():
            pending.filter(
                action__in=[a for a, inverse in INVERSE.items() if inverse == action]
            ).update(reversed_by=decision)
        pending.update(awaiting_review=False)
    audit_record(
        kind=f"moderation.{action}",
        obj=decision,
        public={
            "puid": str(decision.puid),
            "target": item.kind,
            "source": source,
            "ground_type": decision.ground_type,
            "rule_version": decision.rule_version_id,
            "clause": decision.clause,
            "legal_ground": decision.legal_ground,
            "automated": automated_decision,
        },
        # The consultation is private too: the public moderation log (reached through the
        # puid) shows it only where the consultation itself is public.
        private={
            "consultation": consultation.pk if consultation is not None else None,
            "target_id": target.pk,
            "moderator": moderator.pk if moderator is not None else None,
            "mandate": decision.mandate_id,
            "affected": decision.affected_user_id,
            "reports": [r.pk for r in reports],
        },
    )
    _tell_affected(decision)
    if not awaiting_review:
        for report in reports:
            if report.status == Report.Status.OPEN or report.decided_at is None:
                report.status = Report.Status.DECIDED
                tell_reporter(report, outcome=str(decision.get_action_display()))
    queue_changed(consultation, reason="decision")
    return decision


def _apply(*, target, item, action, consultation, seen_version=None) -> None:
    """Change the item's state, or check that the effect the decision will have is not in
    force already. Inside the decision's transaction."""
    kind = item.target
    if action in CONTENT_ACTIONS:
        kind.moderate(target, action, seen_version=seen_version)
    elif action in (Action.LOCK, Action.UNLOCK):
        active = ThreadLock.objects.filter(lifted_at__isnull=True, **kind.lock_place(target))
        if action == Action.LOCK and active.exists():
            raise ValidationError(_("This discussion is already locked."))
        if action == Action.UNLOCK and not active.exists():
            raise ValidationError(_("This discussion is not locked."))
    elif action == Action.PREMODERATION_ON:
        if Premoderation.objects.filter(consultation=target, lifted_at__isnull=True).exists():
            raise ValidationError(_("Pre-moderation is already on for this consultation."))
    elif action == Action.PREMODERATION_OFF:
        if not Premoderation.objects.filter(consultation=target, lifted_at__isnull=True).exists():
            raise ValidationError(
                _(
                    "No pre-moderation switched on by the moderation is running here (the mode "
                    "the editors chose is changed in the page settings)."
                )
            )
    elif action == Action.SUSPEND:
        if target.is_superuser:
            raise ValidationError(_("A platform admin cannot be suspended here."))
        if Suspension.objects.filter(
            user=target, consultation=consultation, lifted_at__isnull=True
        ).exists():
            raise ValidationError(_("This person is already suspended there."))
    elif action == Action.UNSUSPEND:
        if not Suspension.objects.filter(
            user=target, consultation=consultation, lifted_at__isnull=True
        ).exists():
            raise ValidationError(_("This person is not suspended there."))
    else:
        raise ValidationError(_("This action is not possible here."))


def _link_effects(decision: ModerationDecision, *, target, item) -> None:
    """The lasting effect rows (lock, pre-moderation, suspension) point at their decision."""
    now = timezone.now()
    action = decision.action
    if action == Action.LOCK:
        place = item.target.lock_place(target)
        ThreadLock.objects.create(
            consultation_id=place["consultation_id"],
            root_id=place.get("root_id"),
            target_kind=place.get(
                "target_kind", "consultation" if not place.get("root_id") else ""
            ),
            target_key=place.get("target_key", ""),
            decision=decision,
        )
    elif action == Action.UNLOCK:
        ThreadLock.objects.filter(lifted_at__isnull=True, **item.target.lock_place(target)).update(
            lifted_at=now, lifted_by=decision
        )
    elif action == Action.PREMODERATION_ON:
        Premoderation.objects.create(
            consultation=target, until=decision.end_date, decision=decision
        )
    elif action == Action.PREMODERATION_OFF:
        Premoderation.objects.filter(consultation=target, lifted_at__isnull=True).update(
            lifted_at=now, lifted_by=decision
        )
    elif action == Action.SUSPEND:
        Suspension.objects.create(
            user=target,
            consultation=decision.consultation,
            until=decision.end_date,
            decision=decision,
        )
    elif action == Action.UNSUSPEND:
        Suspension.objects.filter(
            user=target, consultation=decision.consultation, lifted_at__isnull=True
        ).update(lifted_at=now, lifted_by=decision)


def _tell_affected(decision: ModerationDecision) -> None:
    user = decision.affected_user
    if user is None:
        return
    language = recipient_language(user)
    if decision.action not in RESTRICTING_ACTIONS:
        # Released, restored, unlocked: nothing to appeal, no statement of reasons to mail.
        with translation.override(language):
            text = _("Good news from the moderation: %(action)s.") % {
                "action": decision.get_action_display()
            }
        notify(
            recipient_ids=[user.pk],
            kind=Notification.Kind.MODERATION,
            text=text,
            url=decision.get_absolute_url(),
        )
        return
    with translation.override(language):
        text = _(
            "Moderation decision: %(action)s. Reasons and how to appeal: see the decision."
        ) % {"action": decision.get_action_display()}
    notify(
        recipient_ids=[user.pk],
        kind=Notification.Kind.MODERATION,
        text=text,
        url=decision.get_absolute_url(),
    )
    mail_schedule(kind="decision", object_id=decision.pk, to=user.email, language=language)
