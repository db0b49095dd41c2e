"""Reads for the guard: calm mode before and now (the open period itself is the gate's
`calm_mode_open`), the surge alerts raised."""

from __future__ import annotations

from django.db.models import QuerySet

from participation.gate.models import CalmMode
from participation.guard.models import SurgeAlert


def calm_mode_history(consultation) -> QuerySet[CalmMode]:
    return CalmMode.objects.filter(consultation_id=consultation.pk).select_related(
        "started_by", "ended_by", "surge_alert"
    )


def surge_alerts_recent(consultation, limit: int = 20) -> list[SurgeAlert]:
    return list(SurgeAlert.objects.filter(consultation_id=consultation.pk)[:limit])
