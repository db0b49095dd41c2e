"""Writes for moderation: notices, decisions (with their effects), appeals.

Callers check permissions first (`participation_moderation.*`); the services check what
only they can know (the appeal window, the other moderator, whether an action fits its
target and state). Every act is recorded in the audit log inside its transaction; people
are told in the app and by mail, and live events go out after commit."""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from cooperative.audit.services import audit_record
from cooperative.governance.selectors import rule_version_in_force
from participation.comments.models import Comment
from participation.comments.ratelimit import Limit, hit
from participation.comments.services import (
    comment_counts_change,
    comment_event_publish,
    reply_published,
)
from participation.gate.models import Premoderation, Suspension, ThreadLock
from participation.moderation.clauses import clause_by_id
from participation.moderation.live import queue_changed
from participation.moderation.mail import mail_schedule, recipient_language
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
from participation.moderation.targets import content_version, reportable
from participation.notifications.models import Notification
from participation.notifications.services import notify
from participation.proposals.models import ModerationStatus, Proposal
from participation.proposals.services import proposal_publish_created, proposal_publish_moderated

Action = ModerationDecision.Action
Source = ModerationDecision.Source
Automation = ModerationDecision.Automation

EXPLANATION_MIN_LENGTH = 10
NAME_MAX_LENGTH = 200
NETIQUETTE = "netiquette"

# What undoes what: an appeal that succeeds records the inverse decision.
INVERSE: dict[str, str] = {
    Action.HIDE: Action.RESTORE,
    Action.REMOVE: Action.RESTORE,
    Action.REJECT: Action.APPROVE,
    Action.LOCK: Action.UNLOCK,
    Action.PREMODERATION_ON: Action.PREMODERATION_OFF,
    Action.SUSPEND: Action.UNSUSPEND,
}
# Which actions fit which kind of target.
ACTIONS_FOR: dict[str, set[str]] = {
    "beitrag": {
        Action.HIDE,
        Action.RESTORE,
        Action.REMOVE,
        Action.APPROVE,
        Action.REJECT,
        Action.LOCK,
        Action.UNLOCK,
    },
    "vorschlag": {
        Action.HIDE,
        Action.RESTORE,
        Action.REMOVE,
        Action.APPROVE,
        Action.REJECT,
        Action.LOCK,
        Action.UNLOCK,
    },
    "beteiligung": {Action.LOCK, Action.UNLOCK, Action.PREMODERATION_ON, Action.PREMODERATION_OFF},
    "anzeigename": {Action.SUSPEND, Action.UNSUSPEND},
    "option": set(),
}
# The status a contribution must have for an action, and the one it gets.
COMMENT_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    Action.HIDE: ({Comment.Status.PUBLISHED, Comment.Status.PENDING}, Comment.Status.HIDDEN),
    Action.RESTORE: ({Comment.Status.HIDDEN, Comment.Status.REMOVED}, Comment.Status.PUBLISHED),
    Action.REMOVE: (
        {Comment.Status.PUBLISHED, Comment.Status.HIDDEN, Comment.Status.PENDING},
        Comment.Status.REMOVED,
    ),
    Action.APPROVE: ({Comment.Status.PENDING}, Comment.Status.PUBLISHED),
    Action.REJECT: ({Comment.Status.PENDING}, Comment.Status.REMOVED),
}
PROPOSAL_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    Action.HIDE: ({ModerationStatus.VISIBLE, ModerationStatus.PENDING}, ModerationStatus.HIDDEN),
    Action.RESTORE: ({ModerationStatus.HIDDEN, ModerationStatus.REMOVED}, ModerationStatus.VISIBLE),
    Action.REMOVE: (
        {ModerationStatus.VISIBLE, ModerationStatus.HIDDEN, ModerationStatus.PENDING},
        ModerationStatus.REMOVED,
    ),
    Action.APPROVE: ({ModerationStatus.PENDING}, ModerationStatus.VISIBLE),
    Action.REJECT: ({ModerationStatus.PENDING}, ModerationStatus.REMOVED),
}


# --- notices -------------------------------------------------------------------------


def report_fingerprint(ip: str) -> str:
    if not ip:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"moderation-report:{ip}".encode(), hashlib.sha256).hexdigest()


def _clean_explanation(text: str, *, what: str) -> str:
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


def _rate_limit_reports(reporter, ip: str) -> None:
    per_user = Limit(settings.MODERATION_REPORTS_PER_HOUR_USER, 3600)
    per_ip = Limit(settings.MODERATION_REPORTS_PER_HOUR_IP, 3600)
    exceeded = None
    if reporter is not None and reporter.is_authenticated:
        exceeded = hit("report-user", str(reporter.pk), (per_user,))
    if exceeded is None and ip:
        exceeded = hit("report-ip", report_fingerprint(ip)[:32], (per_ip,))
    if exceeded is not None:
        minutes = max(1, (exceeded.retry_after + 59) // 60)
        raise ValidationError(
            _(
                "You have sent many notices in a short time. Please wait %(minutes)d minutes "
                "before sending the next one; what you wrote is kept."
            )
            % {"minutes": minutes},
            code="rate_limited",
        )


def report_create(
    *,
    target,
    reporter,
    kind: str,
    explanation: str,
    good_faith: bool,
    clause: str = "",
    legal_ground: str = "",
    reporter_name: str = "",
    reporter_email: str = "",
    ip: str = "",
    language: str = "",
    location_url: str = "",
) -> Report:
    """A notice (DSA Art. 16) about `target` (a comment, proposal, poll option or user).
    `location_url`: where the reporter saw it, if not at the target's own place (a display
    name: the contribution it was shown with)."""
    item = reportable(target)
    errors: dict[str, list[str]] = {}
    version = None
    clause_label = ""
    if kind == GroundType.RULE:
        version = rule_version_in_force(NETIQUETTE)
        found = clause_by_id(version, clause) if clause else None
        if found is None:
            errors.setdefault("clause", []).append(
                _("Please choose the rule of the netiquette that the content breaks.")
            )
        else:
            clause_label = found.label[:500]
        legal_ground = ""
    elif kind == GroundType.LEGAL:
        if legal_ground not in LegalGround.values:
            errors.setdefault("legal_ground", []).append(
                _("Please choose the legal provision that the content breaks.")
            )
        clause = ""
    else:
        errors.setdefault("kind", []).append(
            _("Please say whether the content breaks the netiquette or the law.")
        )
    try:
        explanation = _clean_explanation(explanation, what=_("The explanation"))
    except ValidationError as error:
        errors.setdefault("explanation", []).extend(error.messages)
    if not good_faith:
        errors.setdefault("good_faith", []).append(
            _(
                "Please confirm that your notice is accurate and complete to the best of your "
                "knowledge (good faith)."
            )
        )
    reporter_name = (reporter_name or "").strip()[: NAME_MAX_LENGTH + 1]
    reporter_email = (reporter_email or "").strip()
    if len(reporter_name) > NAME_MAX_LENGTH:
        errors.setdefault("reporter_name", []).append(
            _("The name can have at most %(max)d characters.") % {"max": NAME_MAX_LENGTH}
        )
    if reporter_email:
        try:
            validate_email(reporter_email)
        except ValidationError:
            errors.setdefault("reporter_email", []).append(
                _("Please give a valid e-mail address, or none.")
            )
    signed_in = reporter is not None and reporter.is_authenticated
    # DSA Art. 16(2)(c): the notifier's name and e-mail, except for notices about the sexual
    # abuse of children (Directive 2011/93/EU, Art. 3-7). Signed-in reporters are known.
    if not signed_in and legal_ground != LegalGround.MINORS:
        if not reporter_name:
            errors.setdefault("reporter_name", []).append(
                _("Please give your name (or sign in): the law asks for it with a notice.")
            )
        if not reporter_email:
            errors.setdefault("reporter_email", []).append(
                _("Please give your e-mail address (or sign in): we send you the outcome.")
            )
    if errors:
        raise ValidationError(errors)
    if (
        signed_in
        and Report.objects.filter(
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            reporter=reporter,
            status=Report.Status.OPEN,
        ).exists()
    ):
        raise ValidationError(
            _("You have already reported this; your notice is being looked at."),
            code="duplicate",
        )
    _rate_limit_reports(reporter if signed_in else None, ip)
    with transaction.atomic():
        report = Report.objects.create(
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            consultation=item.consultation,
            location_url=(location_url or item.location_url)[:500],
            kind=kind,
            rule_version=version,
            clause=clause,
            clause_label=clause_label,
            legal_ground=legal_ground,
            explanation=explanation,
            reporter=reporter if signed_in else None,
            reporter_name=reporter_name,
            reporter_email=reporter_email,
            reporter_fingerprint=report_fingerprint(ip),
            language=language or translation.get_language() or settings.LANGUAGE_CODE,
            good_faith=True,
        )
        audit_record(
            kind="moderation.notice",
            obj=report,
            public={
                "target": item.kind,
                "ground": kind,
                "clause": clause,
                "legal_ground": legal_ground,
            },
            private={
                "target_id": target.pk,
                "reporter": report.reporter_id,
                "consultation": report.consultation_id,
            },
        )
        _confirm_report(report)
        queue_changed(item.consultation, reason="report")
        _auto_hide_if_due(target, item)
    return report


def _confirm_report(report: Report) -> None:
    if report.reporter_id:
        with translation.override(recipient_language(report.reporter)):
            text = _("Your notice was received; you will be told the outcome.")
        notify(
            recipient_ids=[report.reporter_id],
            kind=Notification.Kind.MODERATION,
            text=text,
            url=reverse("moderation_my_notices"),
        )
    to = report.reporter_email or (report.reporter.email if report.reporter else "")
    language = recipient_language(report.reporter) if report.reporter else report.language
    mail_schedule(kind="report_received", object_id=report.pk, to=to, language=language)


def independent_report_count(reports: Iterable[Report]) -> int:
    """Notices count as independent when neither their reporter nor their network address
    (its keyed hash) was counted already."""
    people: set[int] = set()
    addresses: set[str] = set()
    count = 0
    for report in reports:
        if report.reporter_id and report.reporter_id in people:
            continue
        if report.reporter_fingerprint and report.reporter_fingerprint in addresses:
            continue
        count += 1
        if report.reporter_id:
            people.add(report.reporter_id)
        if report.reporter_fingerprint:
            addresses.add(report.reporter_fingerprint)
    return count


def open_reports_on(target) -> list[Report]:
    return list(
        Report.objects.filter(
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            status=Report.Status.OPEN,
        ).order_by("created_at", "pk")
    )


def reports_counted_for_auto_hide(reports: Iterable[Report]) -> list[Report]:
    """The notices that may hide content without a moderator: only those that cannot be
    multiplied cheaply. Each needs a signed-in reporter whose account is active, has a
    verified e-mail address and was at least MODERATION_AUTO_HIDE_ACCOUNT_DAYS old when
    the notice was given. Anonymous notices and notices from young accounts (a sign-up
    per notice, or accounts made for a campaign) reach the queue like any other, but
    never hide anything by themselves."""
    reports = list(reports)
    min_age = timedelta(days=settings.MODERATION_AUTO_HIDE_ACCOUNT_DAYS)
    reporter_ids = {r.reporter_id for r in reports if r.reporter_id}
    if not reporter_ids:
        return []
    verified = EmailAddress.objects.filter(user_id__in=reporter_ids, verified=True)
    joined = dict(
        get_user_model()
        .objects.filter(pk__in=verified.values("user_id"), is_active=True)
        .values_list("pk", "date_joined")
    )
    return [
        r
        for r in reports
        if r.reporter_id in joined and r.created_at - joined[r.reporter_id] >= min_age
    ]


def hidden_only_by_a_moderator(target, item) -> bool:
    """Content that is never hidden automatically, however many notices it gets: an
    organisation's official statement (Stellungnahme). Hiding the voice of the authority
    on a platform that promises it a hearing takes a person who answers for it."""
    return item.kind == "beitrag" and target.is_official


def _auto_hide_if_due(target, item) -> ModerationDecision | None:
    """After N counted notices (`reports_counted_for_auto_hide`, each from a different
    account and network address) a contribution is hidden until a moderator looks at it."""
    threshold = settings.MODERATION_AUTO_HIDE_REPORTS
    if threshold <= 0 or item.kind not in ("beitrag", "vorschlag"):
        return None
    target = type(target).objects.select_for_update().get(pk=target.pk)
    if hidden_only_by_a_moderator(target, item):
        return None
    public = (
        target.status == Comment.Status.PUBLISHED
        if item.kind == "beitrag"
        else target.moderation_status == ModerationStatus.VISIBLE
    )
    if not public:
        return None
    reports = open_reports_on(target)
    counted = reports_counted_for_auto_hide(reports)
    count = independent_report_count(counted)
    if count < threshold:
        return None
    # The ground is the one the counted notices cite: uncounted ones cannot choose it.
    legal = Counter(r.legal_ground for r in counted if r.kind == GroundType.LEGAL)
    rules_cited = Counter(
        (r.rule_version_id, r.clause, r.clause_label) for r in counted if r.kind == GroundType.RULE
    )
    fields: dict = {}
    if legal:
        fields = {"ground_type": GroundType.LEGAL, "legal_ground": legal.most_common(1)[0][0]}
    else:
        (version_id, clause, label), _n = rules_cited.most_common(1)[0]
        fields = {
            "ground_type": GroundType.RULE,
            "rule_version_id": version_id,
            "clause": clause,
            "clause_label": label,
        }
    facts = ngettext(
        "%(count)d notice about this content was received from an account with a verified "
        "e-mail address that was at least %(days)d days old; the platform hides content "
        "automatically after %(threshold)d such notices from different accounts and network "
        "addresses until a moderator has looked at it.",
        "%(count)d notices about this content were received from different accounts and "
        "network addresses, each with a verified e-mail address and at least %(days)d days "
        "old; the platform hides content automatically after %(threshold)d such notices "
        "until a moderator has looked at it.",
        count,
    ) % {
        "count": count,
        "days": settings.MODERATION_AUTO_HIDE_ACCOUNT_DAYS,
        "threshold": threshold,
    }
    return _decide(
        target=target,
        item=item,
        action=Action.HIDE,
        moderator=None,
        facts=facts,
        ground_explanation=_(
            "The notices say the content breaks this ground; no moderator has checked that "
            "yet. A moderator will confirm or lift the restriction."
        ),
        source=Source.AUTOMATED,
        automated_detection=False,
        automated_decision=Automation.FULLY,
        reports=reports,
        awaiting_review=True,
        **fields,
    )


def report_reject(*, reports: Iterable[Report], moderator, reasons: str) -> list[Report]:
    """The notices lead to no action; their reporters are told why."""
    reasons = _clean_explanation(reasons, what=_("The reasons"))
    reports = [r for r in reports if r.status == Report.Status.OPEN]
    if not reports:
        raise ValidationError(_("There is no open notice to reject."))
    now = timezone.now()
    with transaction.atomic():
        for report in reports:
            report.status = Report.Status.REJECTED
            report.decided_at = now
            report.save(update_fields=["status", "decided_at"])
            audit_record(
                kind="moderation.notice_rejected",
                obj=report,
                # Written to the reporter, not to the public: it may speak about them.
                public={},
                private={"moderator": moderator.pk, "reasons": reasons},
            )
            _tell_reporter(report, outcome=reasons)
        queue_changed(reports[0].consultation, reason="report_rejected")
    return reports


def _tell_reporter(report: Report, *, outcome: str = "") -> None:
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


# --- decisions -----------------------------------------------------------------------


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


def redress_text(decision_action: str) -> str:
    """How to seek redress (DSA Art. 17(3)(f)), in the platform's language; the page
    shows it in the reader's."""
    if decision_action not in RESTRICTING_ACTIONS:
        return gettext_noop(
            "This decision lifts or does not impose a restriction. If it affects you, you can "
            "still appeal it within six months on its page."
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
    if action not in ACTIONS_FOR.get(item.kind, set()):
        raise ValidationError(
            _("This action is not possible for a %(kind)s.") % {"kind": item.label}
        )
    errors: dict[str, list[str]] = {}
    try:
        facts = _clean_explanation(facts, what=_("The facts and circumstances"))
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
        reports = open_reports_on(target) if item.kind != "beteiligung" else []
    reports = list(reports)
    if source is None:
        source = Source.NOTICE if reports else Source.OWN_INITIATIVE
    if item.kind == "anzeigename":
        item.consultation = suspension_consultation
    with transaction.atomic():
        return _decide(
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
APPROVABLE_KINDS = ("beitrag", "vorschlag")


def pending_approve(*, moderator, target, seen_version: str | None = None) -> ModerationDecision:
    """Publish a contribution or proposal that waits under pre-moderation, in one step:
    a decision `approve` with the standard facts in the platform's language, the mandate
    used, and the source `notice` when notices about it are open, else own initiative.
    `seen_version` as for `decision_create`."""
    if reportable(target).kind not in APPROVABLE_KINDS:
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


def _decide(
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
        end_date=end_date,
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
        if item.kind in ("beitrag", "vorschlag")
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
                _tell_reporter(report, outcome=str(decision.get_action_display()))
    queue_changed(consultation, reason="decision")
    return decision


def _check_seen(obj, action: str, seen_version: str | None) -> None:
    """An approval publishes the text as it is now, under the row lock that a change by its
    author takes too: it must be the text the moderator read."""
    if (
        action == Action.APPROVE
        and seen_version is not None
        and content_version(obj) != seen_version
    ):
        raise ValidationError(
            _(
                "Its author changed the text after you read it. Please read it again "
                "before you approve it."
            ),
            code="changed",
        )


def _apply(*, target, item, action, end_date, consultation, seen_version=None) -> None:
    kind = item.kind
    if kind == "beitrag" and action in COMMENT_TRANSITIONS:
        allowed, new = COMMENT_TRANSITIONS[action]
        comment = Comment.objects.select_for_update().get(pk=target.pk)
        if comment.status not in allowed or comment.removed_by_author:
            raise ValidationError(_("This contribution is not in a state for this action."))
        _check_seen(comment, action, seen_version)
        old = comment.status
        comment.status = new
        comment.save(update_fields=["status"])
        target.status = new
        was_public = old == Comment.Status.PUBLISHED
        is_public = new == Comment.Status.PUBLISHED
        if was_public and not is_public:
            comment_counts_change(comment=comment, delta=-1)
        elif is_public and not was_public:
            comment_counts_change(comment=comment, delta=1)
            if old == Comment.Status.PENDING:
                reply_published(comment)  # approved: new to everyone, its parent's author too
        _publish_comment_change(comment, old=old)
    elif kind == "vorschlag" and action in PROPOSAL_TRANSITIONS:
        allowed, new = PROPOSAL_TRANSITIONS[action]
        proposal = Proposal.objects.select_for_update().get(pk=target.pk)
        if proposal.moderation_status not in allowed:
            raise ValidationError(_("This proposal is not in a state for this action."))
        _check_seen(proposal, action, seen_version)
        old = proposal.moderation_status
        Proposal.objects.filter(pk=proposal.pk).update(moderation_status=new)
        target.moderation_status = new
        if new == ModerationStatus.VISIBLE and old == ModerationStatus.PENDING:
            proposal_publish_created(target)
        elif new != old:
            proposal_publish_moderated(proposal, visible=new == ModerationStatus.VISIBLE)
    elif action in (Action.LOCK, Action.UNLOCK):
        place = _lock_place(target, item)
        active = ThreadLock.objects.filter(lifted_at__isnull=True, **place)
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


def _lock_place(target, item) -> dict:
    if item.kind == "beitrag":
        return {"consultation_id": target.consultation_id, "root_id": target.root_id or target.pk}
    if item.kind == "vorschlag":
        return {
            "consultation_id": target.consultation_id,
            "root__isnull": True,
            "target_kind": "proposal",
            "target_key": str(target.pk),
        }
    return {
        "consultation_id": target.pk,
        "root__isnull": True,
        "target_kind": "consultation",
        "target_key": "",
    }


def _link_effects(decision: ModerationDecision, *, target, item) -> None:
    """The lasting effect rows (lock, pre-moderation, suspension) point at their decision."""
    now = timezone.now()
    action = decision.action
    if action == Action.LOCK:
        place = _lock_place(target, item)
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
        ThreadLock.objects.filter(lifted_at__isnull=True, **_lock_place(target, item)).update(
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


def _publish_comment_change(comment: Comment, *, old: str) -> None:
    """Readers see a hidden contribution turn into its placeholder and a restored one come
    back, through the discussion's own events; a pending one only its author saw. The
    contribution's earlier stored frames carry the placeholder from now on too
    (`comment_event_publish`), so catch-up never replays the hidden text."""
    if old == Comment.Status.PENDING and comment.status != Comment.Status.PUBLISHED:
        comment_event_publish(comment, "comment.removed", author_only=True)
        return
    if comment.status == Comment.Status.PUBLISHED:
        # An approved contribution is new to readers; a restored one replaces its
        # placeholder (rendered by the page's own template) and counts again.
        kind = "comment.created" if old == Comment.Status.PENDING else "comment.restored"
        comment_event_publish(comment, kind)
        return
    comment_event_publish(comment, "comment.removed")


def _tell_affected(decision: ModerationDecision) -> None:
    user = decision.affected_user
    if user is None:
        return
    language = recipient_language(user)
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


# --- appeals -------------------------------------------------------------------------


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
    text = _clean_explanation(text, what=_("Your appeal"))
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
    reasons = _clean_explanation(reasons, what=_("The reasons"))
    from participation.moderation.targets import target_of

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
