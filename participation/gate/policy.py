"""The gate every contribution passes when it is written or changed (comment_create,
comment_edit, proposal_create, and so every entry point that goes through them: the web
forms, htmx, the API back channel).

It refuses suspended people and locked threads, applies calm mode (slow mode; young
accounts held for a moderator), and says whether the contribution must wait for a
moderator (pre-moderation switched on by a moderator, or calm mode holding young
accounts). Moderators of the consultation are exempt from calm mode: they must be able to
answer during a surge."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participation.gate.mandates import is_moderator_for
from participation.gate.models import Suspension
from participation.gate.selectors import (
    active_lock,
    active_premoderation,
    active_suspension,
    calm_mode_known_off,
    calm_mode_open,
    last_contribution_at,
    nothing_in_force,
)


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
        and nothing_in_force(user=user, consultation=consultation, target=target, parent=parent)
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


# --- calm mode -----------------------------------------------------------------------


@dataclass(frozen=True)
class CalmVerdict:
    refusal: str | None
    retry_after: int | None
    hold: bool
    hold_reason: str


def calm_verdict(*, user, consultation) -> CalmVerdict | None:
    """What calm mode means for one contribution about to be written. None when calm mode
    is off; otherwise whether the contribution is refused (slow mode, once per
    `slow_mode_minutes`: the message and the seconds until the person may write again) or
    held for a moderator (an account younger than `young_account_days`: the reason shown
    to its author)."""
    calm = calm_mode_open(consultation)
    if calm is None:
        return None
    if not getattr(user, "is_authenticated", False) or is_moderator_for.test(user, consultation):
        return CalmVerdict(refusal=None, retry_after=None, hold=False, hold_reason="")
    now = timezone.now()
    if calm.slow_mode_minutes:
        last = last_contribution_at(user=user, consultation=consultation)
        if last is not None:
            allowed_at = last + timedelta(minutes=calm.slow_mode_minutes)
            if allowed_at > now:
                retry_after = max(1, math.ceil((allowed_at - now).total_seconds()))
                return CalmVerdict(
                    refusal=slow_mode_message(calm.slow_mode_minutes, retry_after),
                    retry_after=retry_after,
                    hold=False,
                    hold_reason="",
                )
    if calm.young_account_days and user.date_joined > now - timedelta(days=calm.young_account_days):
        return CalmVerdict(
            refusal=None,
            retry_after=None,
            hold=True,
            hold_reason=young_account_message(calm.young_account_days),
        )
    return CalmVerdict(refusal=None, retry_after=None, hold=False, hold_reason="")


def slow_mode_message(minutes: int, retry_after: int) -> str:
    wait_minutes = math.ceil(retry_after / 60)
    every = ngettext(
        "Calm mode is on in this consultation: everyone can contribute once per minute.",
        "Calm mode is on in this consultation: everyone can contribute once every "
        "%(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    wait = ngettext(
        "You can write your next contribution in %(wait)d minute.",
        "You can write your next contribution in %(wait)d minutes.",
        wait_minutes,
    ) % {"wait": wait_minutes}
    return f"{every} {wait}"


def young_account_message(days: int) -> str:
    return ngettext(
        "Calm mode is on in this consultation: contributions from accounts younger than "
        "%(days)d day are checked by a moderator before they appear. Your contribution is "
        "saved and waits for approval.",
        "Calm mode is on in this consultation: contributions from accounts younger than "
        "%(days)d days are checked by a moderator before they appear. Your contribution is "
        "saved and waits for approval.",
        days,
    ) % {"days": days}
