"""Demo mandates: the town of Musterstadt moderates its own consultations, and the first
demo member holds a topic mandate for "klima". Built on the members and board that
cooperative/governance/demo.py sets up; idempotent. Called by `manage.py demo_content`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cooperative.mandates.models import ModerationMandate
from cooperative.mandates.services import mandate_grant
from cooperative.membership.models import Member
from cooperative.organisations.models import Organisation


def mandates_demo_content(*, board: Any, members: list[Member]) -> None:
    if ModerationMandate.objects.exists():
        return
    now = timezone.now()
    musterstadt = Organisation.objects.filter(slug="musterstadt").first()
    if musterstadt is not None:
        mandate_grant(
            by=board,
            holder_organisation=musterstadt,
            scope="organisation",
            scope_organisation=musterstadt,
            valid_from=now - timedelta(days=200),
            valid_until=now + timedelta(days=165),
        )
    mandate_grant(
        by=board,
        holder_member=members[0],
        scope="tag",
        scope_tag="klima",
        valid_from=now - timedelta(days=5),
    )
