"""Notices (Meldungen, DSA Art. 16): receiving one, hiding content automatically after
enough independent ones, rejecting them.

The notice form (forms.ReportForm) checks what a person typed; `report_create` trusts
that and keeps what a notice must be: its ground fits the netiquette in force, the
good-faith statement is given, the address the outcome is mailed to is one; and what only
it can know: one open notice per person and target, the rate limit."""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cooperative.audit.services import audit_record
from cooperative.governance.selectors import rule_version_in_force
from participation.contributions.ratelimit import action_limits, hit
from participation.gate.queue import queue_changed
from participation.moderation.clauses import clause_by_id
from participation.moderation.models import (
    GroundType,
    LegalGround,
    ModerationDecision,
    Report,
)
from participation.moderation.selectors import (
    independent_report_count,
    open_reports_on,
    reports_counted_for_auto_hide,
)
from participation.moderation.services.common import NETIQUETTE, clean_explanation, tell_reporter
from participation.moderation.services.decisions import decide
from participation.moderation.targets import reportable
from participation.moderation.tasks import mail_schedule
from participation.notifications.mail import recipient_language
from participation.notifications.models import Notification
from participation.notifications.services import notify

Action = ModerationDecision.Action
Source = ModerationDecision.Source
Automation = ModerationDecision.Automation


def report_fingerprint(ip: str) -> str:
    if not ip:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"moderation-report:{ip}".encode(), hashlib.sha256).hexdigest()


def _rate_limit_reports(reporter, ip: str) -> None:
    limits = action_limits("notice")
    exceeded = None
    if reporter is not None and reporter.is_authenticated:
        exceeded = hit("notice", f"user:{reporter.pk}", limits.person)
    if exceeded is None and ip:
        exceeded = hit("notice", f"ip:{report_fingerprint(ip)[:32]}", limits.address)
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


def _ground(*, kind: str, clause: str, legal_ground: str):
    """The rule version in force, the clause's wording and the ground's fields as the
    notice stores them, or the errors by field (the netiquette may have changed since the
    form was shown)."""
    errors: dict[str, list[str]] = {}
    version = None
    clause_label = ""
    if kind == GroundType.RULE:
        version = rule_version_in_force(NETIQUETTE)
        found = clause_by_id(version, clause) if clause else None
        if found is None:
            errors["clause"] = [
                _("Please choose the rule of the netiquette that the content breaks.")
            ]
        else:
            clause_label = found.label[:500]
        legal_ground = ""
    elif kind == GroundType.LEGAL:
        if legal_ground not in LegalGround.values:
            errors["legal_ground"] = [
                _("Please choose the legal provision that the content breaks.")
            ]
        clause = ""
    else:
        errors["kind"] = [_("Please say whether the content breaks the netiquette or the law.")]
    return version, clause, clause_label, legal_ground, errors


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
    """A notice (DSA Art. 16) about `target` (a comment, proposal, poll option or user),
    from what the notice form cleaned. `location_url`: where the reporter saw it, if not at
    the target's own place (a display name: the contribution it was shown with)."""
    item = reportable(target)
    version, clause, clause_label, legal_ground, errors = _ground(
        kind=kind, clause=clause, legal_ground=legal_ground
    )
    if not good_faith:
        # DSA Art. 16(2)(d); the table refuses a notice without it too.
        errors["good_faith"] = [good_faith_missing()]
    if reporter_email and not email_valid(reporter_email):
        # The outcome is mailed there.
        errors["reporter_email"] = [email_invalid()]
    if errors:
        raise ValidationError(errors)
    signed_in = reporter is not None and reporter.is_authenticated
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


def email_valid(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def email_invalid() -> str:
    return _("Please give a valid e-mail address, or none.")


def good_faith_missing() -> str:
    return _(
        "Please confirm that your notice is accurate and complete to the best of your "
        "knowledge (good faith)."
    )


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


def _auto_hide_if_due(target, item) -> ModerationDecision | None:
    """After N counted notices (`reports_counted_for_auto_hide`, each from a different
    account and network address) content is hidden until a moderator looks at it. Never
    what its kind keeps for a moderator (an organisation's official statement)."""
    threshold = settings.MODERATION_AUTO_HIDE_REPORTS
    kind = item.target
    if threshold <= 0 or not kind.is_content:
        return None
    target = type(target).objects.select_for_update().get(pk=target.pk)
    if kind.only_by_a_moderator(target) or not kind.public_now(target):
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
    return decide(
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
    reasons = clean_explanation(reasons, what=_("The reasons"))
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
            tell_reporter(report, outcome=reasons)
        queue_changed(reports[0].consultation, reason="report_rejected")
    return reports
