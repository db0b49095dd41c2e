"""Reads of the gate: calm mode now, suspensions, locks and pre-moderation in force, and a
person's last contribution (for slow mode)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.utils import timezone

from participation.gate.models import CalmMode, Premoderation, Suspension, ThreadLock
from participation.gate.registry import last_contribution_readers


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


def calm_mode_forget(consultation) -> None:
    """Make `calm_mode_open` ask again (calm mode was just switched on or off)."""
    consultation.__dict__.pop("_guard_calm_mode", None)


def last_contribution_at(*, user, consultation) -> datetime | None:
    """When the person last contributed to the consultation (wrote or changed a comment or
    reply, or a proposal: each kind registers how to find its own), whatever became of
    it: deleting a contribution does not reset slow mode, and changing one counts as
    contributing (else a surge could go on through edits of one contribution)."""
    times = [read(user.pk, consultation.pk) for read in last_contribution_readers()]
    present = [time for time in times if time is not None]
    return max(present) if present else None


def _active(now) -> Q:
    return Q(lifted_at__isnull=True) & (Q(until__isnull=True) | Q(until__gt=now))


def _suspensions(user, consultation, now) -> QuerySet[Suspension]:
    scope = Q(consultation__isnull=True)
    if consultation is not None:
        scope |= Q(consultation=consultation)
    return Suspension.objects.filter(_active(now), scope, user=user)


def active_suspension(user, consultation) -> Suspension | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        _suspensions(user, consultation, timezone.now())
        .order_by("consultation_id", "-until")
        .first()
    )


def _locks(consultation, *, target=None, parent=None) -> QuerySet[ThreadLock]:
    place = Q(pk__in=[])
    if target is not None:
        place |= Q(root__isnull=True, target_kind=target.kind, target_key=target.key)
    if parent is not None:
        place |= Q(root_id=parent.root_id or parent.pk)
        place |= Q(root__isnull=True, target_kind=parent.target_kind, target_key=parent.target_key)
    return ThreadLock.objects.filter(place, consultation=consultation, lifted_at__isnull=True)


def active_lock(consultation, *, target=None, parent=None) -> ThreadLock | None:
    """A lock on the target's discussion, or on the thread the reply would join."""
    if consultation is None:
        return None
    return _locks(consultation, target=target, parent=parent).first()


def _premoderations(consultation, now) -> QuerySet[Premoderation]:
    return Premoderation.objects.filter(_active(now), consultation=consultation)


def active_premoderation(consultation) -> Premoderation | None:
    if consultation is None:
        return None
    return _premoderations(consultation, timezone.now()).first()


def nothing_in_force(*, user, consultation, target, parent) -> bool:
    """Whether no suspension, lock, calm mode or pre-moderation concerns this contribution,
    asked in one query: the usual case, so that a contribution pays one round trip for
    the gate instead of four. When something is in force the gate looks at it in detail."""
    now = timezone.now()
    checks: list[QuerySet] = [
        _suspensions(user, consultation, now),
        _locks(consultation, target=target, parent=parent),
        _premoderations(consultation, now),
        CalmMode.objects.filter(consultation_id=consultation.pk, ended_at__isnull=True),
    ]
    connection = connections[router.db_for_read(Suspension)]
    parts: list[str] = []
    params: list = []
    for queryset in checks:
        try:
            sql, part_params = queryset.values("pk")[:1].query.sql_with_params()
        except EmptyResultSet:  # a lock check with neither target nor parent
            continue
        parts.append(f"EXISTS ({sql})")
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {' OR '.join(parts)}", params)
        row = cursor.fetchone()
    return not row[0]
