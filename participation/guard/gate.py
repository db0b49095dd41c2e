"""What calm mode means for one contribution about to be written.

The moderation gate (participation/moderation/gate.py) asks `calm_verdict` before a
comment or proposal is created: in calm mode a person may contribute once per
`slow_mode_minutes`, and accounts younger than `young_account_days` are pre-moderated.
Moderators of the consultation are exempt: they must be able to answer during a surge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import ngettext

from participation.guard.selectors import calm_mode_open, last_contribution_at


@dataclass(frozen=True)
class CalmVerdict:
    refusal: str | None
    retry_after: int | None
    hold: bool
    hold_reason: str


def calm_verdict(*, user, consultation) -> CalmVerdict | None:
    """None when calm mode is off; otherwise whether the contribution is refused (slow
    mode: the message and the seconds until the person may write again) or held for a
    moderator (a young account: the reason shown to its author)."""
    calm = calm_mode_open(consultation)
    if calm is None:
        return None
    if not getattr(user, "is_authenticated", False) or user.has_perm(
        "participation_guard.change_calmmode", consultation
    ):
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
