"""The guard's thresholds for one consultation: its own configuration where set, else the
GUARD_* settings (their defaults and the reasons for them: docs/moderation-guard.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

DEFAULTS = {
    "GUARD_WINDOW_MINUTES": 10,
    "GUARD_BASELINE_HOURS": 72,
    "GUARD_BASELINE_FLOOR_PER_HOUR": 3.0,
    "GUARD_SURGE_FACTOR": 5.0,
    "GUARD_MIN_EVENTS": 15,
    "GUARD_MIN_REPORTS": 5,
    "GUARD_CHECK_INTERVAL_SECONDS": 30,
    "GUARD_ALERT_COOLDOWN_MINUTES": 60,
    "GUARD_SLOW_MODE_MINUTES": 5,
    "GUARD_YOUNG_ACCOUNT_DAYS": 7,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


@dataclass(frozen=True)
class Thresholds:
    window_minutes: int
    baseline_hours: int
    baseline_floor_per_hour: float
    surge_factor: float
    min_events: int
    min_reports: int
    slow_mode_minutes: int
    young_account_days: int
    auto_calm_mode: bool


def thresholds_for(consultation) -> Thresholds:
    from participation.guard.models import GuardConfig

    config = GuardConfig.objects.filter(consultation_id=consultation.pk).first()

    def pick(field: str, name: str):
        value = getattr(config, field, None) if config is not None else None
        return setting(name) if value is None else value

    return Thresholds(
        window_minutes=int(setting("GUARD_WINDOW_MINUTES")),
        baseline_hours=int(setting("GUARD_BASELINE_HOURS")),
        baseline_floor_per_hour=float(setting("GUARD_BASELINE_FLOOR_PER_HOUR")),
        surge_factor=float(pick("surge_factor", "GUARD_SURGE_FACTOR")),
        min_events=int(pick("min_events", "GUARD_MIN_EVENTS")),
        min_reports=int(setting("GUARD_MIN_REPORTS")),
        slow_mode_minutes=int(pick("slow_mode_minutes", "GUARD_SLOW_MODE_MINUTES")),
        young_account_days=int(pick("young_account_days", "GUARD_YOUNG_ACCOUNT_DAYS")),
        auto_calm_mode=bool(config.auto_calm_mode) if config is not None else False,
    )
