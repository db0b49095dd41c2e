"""The gate every contribution passes when it is written or changed (comment_create,
comment_edit, proposal_create, and so every entry point that goes through them: the web
forms, htmx, the API back channel).

It refuses suspended people and locked threads, asks the calm-mode guard, and says
whether the contribution must wait for a moderator (pre-moderation switched on by a
moderator, or calm mode holding young accounts)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from participation.guard.gate import calm_verdict
from participation.guard.models import CalmMode
from participation.guard.selectors import calm_mode_known_off
from participation.moderation.models import Premoderation, Suspension, ThreadLock


@dataclass(frozen=True)
class GateVerdict:
    refusal: str | None = None
    retry_after: int | None = None
    hold: bool = False
    hold_reason: str = ""

    @property
    def allowed(self) -> bool:
        return self.refusal is None


OPEN = GateVerdict()


class ContributionRefused(ValidationError):
    """The gate's refusal, raised by comment_create and proposal_create. `retry_after`
    (seconds) is set when waiting helps (slow mode): the web views answer 429 with a
    `Retry-After` header, the API too."""

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message, code="refused")
        self.retry_after = retry_after

    @classmethod
    def of(cls, verdict: GateVerdict) -> ContributionRefused:
        return cls(verdict.refusal or "", retry_after=verdict.retry_after)


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


def suspension_message(suspension: Suspension) -> str:
    if suspension.until is None:
        if suspension.consultation_id is None:
            return _(
                "Your account is suspended: you cannot contribute on this platform. "
                "The decision and how to appeal it are under “My moderation notices”."
            )
        return _(
            "You are suspended from this consultation and cannot contribute to it. "
            "The decision and how to appeal it are under “My moderation notices”."
        )
    until = formats.date_format(timezone.localtime(suspension.until), "DATETIME_FORMAT")
    if suspension.consultation_id is None:
        return _(
            "Your account is suspended until %(until)s: you cannot contribute on this "
            "platform until then. The decision and how to appeal it are under “My "
            "moderation notices”."
        ) % {"until": until}
    return _(
        "You are suspended from this consultation until %(until)s and cannot contribute to "
        "it until then. The decision and how to appeal it are under “My moderation notices”."
    ) % {"until": until}


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


def _nothing_in_force(*, user, consultation, target, parent) -> bool:
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


def contribution_gate(*, user, consultation, target=None, parent=None, editing=None) -> GateVerdict:
    """Whether `user` may contribute now to `consultation` (on `target`, or as a reply to
    `parent`), and whether the contribution must wait for a moderator.

    `editing`: an existing comment whose text its author changes. A change is a
    contribution too: the author's suspension, calm mode and pre-moderation apply as to a
    new one, and a lock on the thread it stands in (or on its target's discussion) closes
    it as it would close a reply there."""
    if editing is not None:
        parent = editing
    if (
        consultation is not None
        and getattr(user, "is_authenticated", False)
        and _nothing_in_force(user=user, consultation=consultation, target=target, parent=parent)
    ):
        # Calm mode is off: the page's banner, asked later in the request, knows it too.
        calm_mode_known_off(consultation)
        return OPEN
    suspension = active_suspension(user, consultation)
    if suspension is not None:
        return GateVerdict(refusal=suspension_message(suspension))
    if active_lock(consultation, target=target, parent=parent) is not None:
        return GateVerdict(
            refusal=_(
                "This discussion is locked by the moderation: no new contributions can be "
                "added to it."
            )
        )
    calm = calm_verdict(user=user, consultation=consultation) if consultation else None
    if calm is not None and calm.refusal:
        return GateVerdict(refusal=calm.refusal, retry_after=calm.retry_after)
    if active_premoderation(consultation) is not None:
        return GateVerdict(
            hold=True,
            hold_reason=_(
                "The moderation checks new contributions in this consultation before they "
                "appear. Your contribution is saved and waits for approval."
            ),
        )
    if calm is not None and calm.hold:
        return GateVerdict(hold=True, hold_reason=calm.hold_reason)
    return OPEN
