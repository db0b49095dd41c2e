"""Reads for the guard: calm mode now and before, a person's last contribution."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max, QuerySet

from participation.guard.models import CalmMode, SurgeAlert


def calm_mode_open(consultation) -> CalmMode | None:
    """The consultation's calm mode if it is on now. Cached on the page object for the
    request: the page, its banner and the gate ask the same question."""
    cache = consultation.__dict__
    if "_guard_calm_mode" not in cache:
        cache["_guard_calm_mode"] = (
            CalmMode.objects.filter(consultation_id=consultation.pk, ended_at__isnull=True)
            .select_related("surge_alert")
            .first()
        )
    return cache["_guard_calm_mode"]


def calm_mode_known_off(consultation) -> None:
    """Tell `calm_mode_open` that calm mode is off for this request's page object (a
    caller that has just asked the database in a query of its own)."""
    consultation.__dict__["_guard_calm_mode"] = None


def calm_mode_history(consultation) -> QuerySet[CalmMode]:
    return CalmMode.objects.filter(consultation_id=consultation.pk).select_related(
        "started_by", "ended_by", "surge_alert"
    )


def surge_alerts_recent(consultation, limit: int = 20) -> list[SurgeAlert]:
    return list(SurgeAlert.objects.filter(consultation_id=consultation.pk)[:limit])


def last_contribution_at(*, user, consultation) -> datetime | None:
    """When the person last contributed to the consultation (wrote or changed a comment or
    reply, or a proposal), whatever became of it: deleting a contribution does not reset
    slow mode, and changing one counts as contributing (else a surge could go on through
    edits of one contribution)."""
    from participation.comments.models import Comment
    from participation.proposals.models import Proposal

    comments = Comment.objects.filter(consultation_id=consultation.pk, author_id=user.pk).aggregate(
        written=Max("created_at"), changed=Max("edited_at")
    )
    times = [
        comments["written"],
        comments["changed"],
        Proposal.objects.filter(consultation_id=consultation.pk, author_id=user.pk).aggregate(
            last=Max("created_at")
        )["last"],
    ]
    present = [time for time in times if time is not None]
    return max(present) if present else None
