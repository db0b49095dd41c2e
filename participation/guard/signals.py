"""New contributions and notices schedule a surge check of their consultation.

Counting is a side concern of writing a contribution, so it hangs on post_save rather than
in the comment, proposal and notice services. The check runs after commit, in the
background, and at most once per consultation and GUARD_CHECK_INTERVAL_SECONDS (a flood of
a hundred posts a minute costs two checks, not a hundred); where the task backend can
defer, a check is also scheduled at the end of a busy interval so that the last posts of
a burst are measured even if nothing follows them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from participation.guard.conf import setting

logger = logging.getLogger(__name__)


def surge_check_schedule(consultation_id: int) -> bool:
    """Enqueue a check of the consultation unless one ran in this interval; whether one
    was enqueued to run now."""
    from participation.guard.tasks import surge_check_task

    interval = int(setting("GUARD_CHECK_INTERVAL_SECONDS"))
    if interval <= 0:
        surge_check_task.enqueue(consultation_id=consultation_id)
        return True
    now = timezone.now().timestamp()
    bucket = int(now // interval)
    if cache.add(f"guard:check:{consultation_id}:{bucket}", 1, timeout=2 * interval):
        surge_check_task.enqueue(consultation_id=consultation_id)
        return True
    if surge_check_task.get_backend().supports_defer and cache.add(
        f"guard:trailing:{consultation_id}:{bucket}", 1, timeout=2 * interval
    ):
        run_after = datetime.fromtimestamp((bucket + 1) * interval, tz=UTC)
        surge_check_task.using(run_after=run_after).enqueue(consultation_id=consultation_id)
    return False


def _schedule_after_commit(consultation_id: int | None) -> None:
    if consultation_id is None:
        return

    def schedule() -> None:
        try:
            surge_check_schedule(consultation_id)
        except Exception:
            # The contribution is written; a missed check must not turn it into an error.
            logger.exception("guard: could not schedule a surge check of %s", consultation_id)

    transaction.on_commit(schedule)


def _on_new_event(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        _schedule_after_commit(getattr(instance, "consultation_id", None))


def connect() -> None:
    from participation.comments.models import Comment
    from participation.moderation.models import Report
    from participation.proposals.models import Proposal

    for model in (Comment, Proposal, Report):
        post_save.connect(_on_new_event, sender=model, dispatch_uid=f"guard-{model.__name__}")
