"""The gate every new contribution passes (comment_create, proposal_create, and so the
API back channel and federation that go through them).

It refuses suspended people and locked threads, asks the calm-mode guard, and says
whether the contribution must wait for a moderator (pre-moderation switched on by a
moderator, or calm mode holding young accounts)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from participation.guard.gate import calm_verdict
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


def active_suspension(user, consultation) -> Suspension | None:
    if not getattr(user, "is_authenticated", False):
        return None
    now = timezone.now()
    scope = Q(consultation__isnull=True)
    if consultation is not None:
        scope |= Q(consultation=consultation)
    return (
        Suspension.objects.filter(_active(now), scope, user=user)
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


def active_lock(consultation, *, target=None, parent=None) -> ThreadLock | None:
    """A lock on the target's discussion, or on the thread the reply would join."""
    if consultation is None:
        return None
    locks = ThreadLock.objects.filter(consultation=consultation, lifted_at__isnull=True)
    place = Q(pk__in=[])
    if target is not None:
        place |= Q(root__isnull=True, target_kind=target.kind, target_key=target.key)
    if parent is not None:
        place |= Q(root_id=parent.root_id or parent.pk)
        place |= Q(root__isnull=True, target_kind=parent.target_kind, target_key=parent.target_key)
    return locks.filter(place).first()


def active_premoderation(consultation) -> Premoderation | None:
    if consultation is None:
        return None
    return Premoderation.objects.filter(_active(timezone.now()), consultation=consultation).first()


def contribution_gate(*, user, consultation, target=None, parent=None) -> GateVerdict:
    """Whether `user` may contribute now to `consultation` (on `target`, or as a reply to
    `parent`), and whether the contribution must wait for a moderator."""
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
