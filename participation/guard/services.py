"""The shitstorm guard's writes: measuring a consultation's activity against its own
baseline, raising surge alerts, and starting and ending calm mode (Ruhemodus).

A surge check runs as a background task after a contribution or notice is committed
(signals.py, tasks.py); calm mode is switched by moderators through views.py or, where
the consultation is configured so, by the check itself.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from cooperative.audit.services import audit_record
from participation.gate.models import CalmMode
from participation.gate.selectors import calm_mode_forget
from participation.guard.conf import Thresholds, thresholds_for
from participation.guard.models import SurgeAlert
from participation.live.events import event_publish
from participation.live.groups import consultation_group, user_group

logger = logging.getLogger(__name__)

# Namespace of the PostgreSQL advisory locks that serialise surge checks per consultation
# (the audit chain uses its own).
GUARD_LOCK_SPACE = 0x6775  # "gu"
BANNER_TEMPLATE = "participation_guard/calm_banner_content.html"
NOTE_TEMPLATE = "participation_guard/calm_note_text.html"


@dataclass(frozen=True)
class Measurement:
    """One kind of activity in a consultation: the current window against the baseline.
    Rates are events per hour."""

    kind: str
    at: datetime
    window_minutes: int
    observed_count: int
    observed_rate: float
    baseline_count: int
    baseline_hours: float
    baseline_rate: float
    ratio: float
    min_count: int
    surge_factor: float

    @property
    def is_surge(self) -> bool:
        return self.observed_count >= self.min_count and self.ratio >= self.surge_factor


def _event_querysets(kind: str, consultation_id: int) -> list:
    if kind == SurgeAlert.Kind.REPORTS:
        from participation.moderation.models import Report

        return [Report.objects.filter(consultation_id=consultation_id)]
    from participation.comments.models import Comment
    from participation.proposals.models import Proposal

    return [
        Comment.objects.filter(consultation_id=consultation_id),
        Proposal.objects.filter(consultation_id=consultation_id),
    ]


def activity_measure(
    *, consultation, kind: str, thresholds: Thresholds | None = None, now: datetime | None = None
) -> Measurement:
    """The rate of contributions (comments, replies, proposals) or notices in the current
    window, and the consultation's own rate over the baseline period before it.

    The baseline counts only the time the consultation has been public (a consultation
    opened yesterday is not averaged over three days), at least an hour, and its rate is
    at least the floor: for a quiet or new consultation the first handful of contributions
    is not a surge."""
    thresholds = thresholds or thresholds_for(consultation)
    now = now or timezone.now()
    window_start = now - timedelta(minutes=thresholds.window_minutes)
    baseline_start = window_start - timedelta(hours=thresholds.baseline_hours)
    published = consultation.first_published_at
    span_start = max(baseline_start, published) if published else baseline_start
    baseline_hours = max(1.0, (window_start - span_start).total_seconds() / 3600)
    observed = baseline = 0
    for queryset in _event_querysets(kind, consultation.pk):
        observed += queryset.filter(created_at__gt=window_start, created_at__lte=now).count()
        baseline += queryset.filter(
            created_at__gt=min(span_start, window_start), created_at__lte=window_start
        ).count()
    observed_rate = observed * 60 / thresholds.window_minutes
    baseline_rate = max(thresholds.baseline_floor_per_hour, baseline / baseline_hours)
    is_reports = kind == SurgeAlert.Kind.REPORTS
    return Measurement(
        kind=kind,
        at=now,
        window_minutes=thresholds.window_minutes,
        observed_count=observed,
        observed_rate=observed_rate,
        baseline_count=baseline,
        baseline_hours=baseline_hours,
        baseline_rate=baseline_rate,
        ratio=observed_rate / baseline_rate,
        min_count=thresholds.min_reports if is_reports else thresholds.min_events,
        surge_factor=thresholds.surge_factor,
    )


def _lock_consultation(consultation_id: int) -> None:
    """Serialise surge checks of one consultation until the transaction ends. On SQLite
    writers are serialised by the database itself."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [GUARD_LOCK_SPACE, consultation_id]
            )


def surge_check(*, consultation, now: datetime | None = None) -> list[SurgeAlert]:
    """Measure both kinds of activity; raise an alert for each surge that is not already
    alerted within the cooldown, and start calm mode if the consultation wants that."""
    thresholds = thresholds_for(consultation)
    now = now or timezone.now()
    raised = []
    for kind in (SurgeAlert.Kind.CONTRIBUTIONS, SurgeAlert.Kind.REPORTS):
        measurement = activity_measure(
            consultation=consultation, kind=kind, thresholds=thresholds, now=now
        )
        if not measurement.is_surge:
            continue
        alert = surge_alert_raise(
            consultation=consultation, measurement=measurement, thresholds=thresholds
        )
        if alert is not None:
            raised.append(alert)
    return raised


def surge_alert_raise(
    *, consultation, measurement: Measurement, thresholds: Thresholds
) -> SurgeAlert | None:
    cooldown = timedelta(minutes=int(getattr(settings, "GUARD_ALERT_COOLDOWN_MINUTES", 60)))
    with transaction.atomic():
        _lock_consultation(consultation.pk)
        if SurgeAlert.objects.filter(
            consultation_id=consultation.pk,
            kind=measurement.kind,
            at__gt=measurement.at - cooldown,
        ).exists():
            return None
        alert = SurgeAlert.objects.create(
            consultation_id=consultation.pk,
            kind=measurement.kind,
            at=measurement.at,
            window_minutes=measurement.window_minutes,
            observed_count=measurement.observed_count,
            observed_rate=round(measurement.observed_rate, 3),
            baseline_rate=round(measurement.baseline_rate, 3),
            ratio=round(measurement.ratio, 3),
        )
        _moderators_alert(consultation=consultation, alert=alert)
        if thresholds.auto_calm_mode:
            calm_mode_start(
                consultation=consultation,
                started_by=None,
                reason=_automatic_reason(alert),
                surge_alert=alert,
            )
    logger.info(
        "guard: %s surge on consultation %s: %s in %s min (%.1f/h against %.1f/h)",
        alert.kind,
        consultation.pk,
        alert.observed_count,
        alert.window_minutes,
        alert.observed_rate,
        alert.baseline_rate,
    )
    return alert


def _automatic_reason(alert: SurgeAlert) -> str:
    # Stored for the history and the audit log in the platform's language; the banner
    # explains an automatic start in the reader's language from the alert's kind.
    with translation.override(settings.LANGUAGE_CODE):
        return surge_summary(alert)


def surge_summary(alert: SurgeAlert) -> str:
    values = {
        "count": alert.observed_count,
        "minutes": alert.window_minutes,
        "ratio": f"{alert.ratio:.0f}",
    }
    if alert.kind == SurgeAlert.Kind.REPORTS:
        return (
            gettext(
                "%(count)s notices in %(minutes)s minutes, about %(ratio)s times the usual rate."
            )
            % values
        )
    return (
        gettext(
            "%(count)s contributions in %(minutes)s minutes, about %(ratio)s times the usual rate."
        )
        % values
    )


def user_language(user) -> str:
    """The language a person reads their mail and notifications in: the one they chose in
    their profile (Wagtail's preferred language, which moderators set in the admin) if the
    platform offers it, else the platform's."""
    from wagtail.users.models import UserProfile

    offered = {code for code, _name in settings.LANGUAGES}
    profile = UserProfile.objects.filter(user_id=user.pk).only("preferred_language").first()
    language = profile.preferred_language if profile else ""
    return language if language in offered else settings.LANGUAGE_CODE


def _moderators_alert(*, consultation, alert: SurgeAlert) -> None:
    """Tell the responsible moderators: live on their own channel, in the app and by mail
    (each in their language). Runs inside the alert's transaction; delivery after commit."""
    from participation.moderation.selectors import moderators_responsible_for
    from participation.notifications.models import Notification
    from participation.notifications.services import notify

    moderators = list(moderators_responsible_for(consultation))
    alert.notified_moderators.set(moderators)
    url = reverse("guard_calm_mode", args=[consultation.pk])
    by_language: dict[str, list[int]] = defaultdict(list)
    for moderator in moderators:
        by_language[user_language(moderator)].append(moderator.pk)
        event_publish(
            room=user_group(moderator.pk),
            type="moderation.surge",
            data={
                "alert": alert.pk,
                "consultation": consultation.pk,
                "kind": alert.kind,
                "observed_count": alert.observed_count,
                "window_minutes": alert.window_minutes,
                "observed_rate": alert.observed_rate,
                "baseline_rate": alert.baseline_rate,
                "ratio": alert.ratio,
                "url": url,
            },
        )
    for language, recipient_ids in by_language.items():
        with translation.override(language):
            text = gettext("Surge in “%(title)s”: %(summary)s") % {
                "title": consultation.title,
                "summary": surge_summary(alert),
            }
        notify(
            recipient_ids=recipient_ids, kind=Notification.Kind.MODERATION_SURGE, text=text, url=url
        )

    from participation.guard.tasks import surge_alert_mail_task

    def enqueue_mails() -> None:
        for moderator in moderators:
            try:
                surge_alert_mail_task.enqueue(alert_id=alert.pk, user_id=moderator.pk)
            except Exception:
                logger.exception("guard: could not enqueue the surge mail to %s", moderator.pk)

    transaction.on_commit(enqueue_mails)


def surge_alert_mail_send(*, alert: SurgeAlert, user) -> int:
    """One moderator's mail about a surge, in their language."""
    from django.core.mail import EmailMultiAlternatives

    if not user.email or not user.is_active:
        return 0
    consultation = alert.consultation
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    with translation.override(user_language(user)):
        context = {
            "alert": alert,
            "consultation": consultation,
            "summary": surge_summary(alert),
            "calm_mode": CalmMode.objects.filter(surge_alert=alert).first(),
            "calm_mode_url": base + reverse("guard_calm_mode", args=[consultation.pk]),
            "recipient": user,
        }
        subject = gettext("Surge in “%(title)s”") % {"title": consultation.title}
        body = render_to_string("participation_guard/surge_alert_email.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[user.email])
    return message.send()


def _publish_banner(consultation, calm: CalmMode | None) -> None:
    """The banner as every language renders it, from the template the page includes; an
    empty one when calm mode ends."""
    html: dict[str, str] = {}
    note: dict[str, str] = {}
    context = {"calm": calm, "consultation": consultation}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            html[code] = render_to_string(BANNER_TEMPLATE, context) if calm else ""
            note[code] = render_to_string(NOTE_TEMPLATE, context) if calm else ""
    event_publish(
        room=consultation_group(consultation.pk),
        type="guard.calm_mode",
        data={"active": calm is not None, "html": html, "note": note},
    )


def _audit_public(calm: CalmMode) -> dict:
    # The moderators' reasons stay private: the banner shows the reason to those who may
    # read the consultation; the public log would show it to anyone.
    return {
        "consultation": calm.consultation_id,
        "automatic": calm.is_automatic,
        "slow_mode_minutes": calm.slow_mode_minutes,
        "young_account_days": calm.young_account_days,
        "surge_alert": calm.surge_alert_id,
    }


def calm_mode_start(
    *, consultation, started_by, reason: str, surge_alert: SurgeAlert | None = None
) -> tuple[CalmMode, bool]:
    """Switch calm mode on (idempotent: an open calm mode is returned as it is, with
    False). `started_by=None` means automatically, on `surge_alert`."""
    thresholds = thresholds_for(consultation)
    with transaction.atomic():
        existing = CalmMode.objects.filter(
            consultation_id=consultation.pk, ended_at__isnull=True
        ).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                calm = CalmMode.objects.create(
                    consultation_id=consultation.pk,
                    started_at=timezone.now(),
                    started_by=started_by,
                    reason=reason,
                    slow_mode_minutes=thresholds.slow_mode_minutes,
                    young_account_days=thresholds.young_account_days,
                    surge_alert=surge_alert,
                )
        except IntegrityError:
            # Another process opened one in the meantime (the partial unique constraint).
            return CalmMode.objects.get(
                consultation_id=consultation.pk, ended_at__isnull=True
            ), False
        audit_record(
            kind="calm_mode.started",
            obj=calm,
            public=_audit_public(calm),
            private={"started_by": started_by.pk if started_by else None, "reason": calm.reason},
        )
        calm_mode_forget(consultation)
        _publish_banner(consultation, calm)
    return calm, True


def calm_mode_end(*, consultation, ended_by, reason: str) -> CalmMode | None:
    """End the open calm mode; None if there is none (ending twice is harmless)."""
    with transaction.atomic():
        calm = (
            CalmMode.objects.select_for_update()
            .filter(consultation_id=consultation.pk, ended_at__isnull=True)
            .first()
        )
        if calm is None:
            return None
        calm.ended_at = timezone.now()
        calm.ended_by = ended_by
        calm.end_reason = reason
        calm.save(update_fields=["ended_at", "ended_by", "end_reason"])
        audit_record(
            kind="calm_mode.ended",
            obj=calm,
            public=_audit_public(calm),
            private={"ended_by": ended_by.pk if ended_by else None, "end_reason": calm.end_reason},
        )
        calm_mode_forget(consultation)
        _publish_banner(consultation, None)
    return calm
