"""The demo moderation history: made through the moderation services, dated back, counted
by the report, exported as valid statements of reasons, and made only once."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.transparency_demo import (
    APPEAL_MODERATOR_EMAIL,
    AUTHOR_EMAIL,
    CONSULTATION_SLUG,
    MODERATOR_EMAIL,
    transparency_demo_content,
)
from cooperative.organisations.models import OrganisationRole
from participation.comments.models import Comment
from participation.moderation.models import Appeal, ModerationDecision, Report
from participation.moderation.transparency import (
    MONTH,
    default_periods,
    transparency_report,
)
from tests.factories import (
    UserFactory,
    consultation,
    grant,
    organisation_mandate,
    organisation_with_area,
)
from tests.participation.moderation.helpers import netiquette
from tests.participation.moderation.test_transparency_export import STATEMENT_SCHEMA

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_platform():
    town, index = organisation_with_area(name="Stadt Musterstadt", slug="musterstadt")
    page = consultation(index, title="Bürgerhaushalt 2027", slug=CONSULTATION_SLUG)
    moderator = UserFactory(email=MODERATOR_EMAIL)
    grant(moderator, town, OrganisationRole.Role.MODERATOR)
    organisation_mandate(town)
    UserFactory(email=APPEAL_MODERATOR_EMAIL, is_superuser=True, is_staff=True)
    netiquette()
    return page


def test_demo_history_is_made_once_and_counted(demo_platform, client):
    import jsonschema

    transparency_demo_content()
    transparency_demo_content()

    decisions = ModerationDecision.objects.all()
    assert sorted(decisions.values_list("action", flat=True)) == [
        "hide",
        "hide",
        "remove",
        "remove",
        "restore",
    ]
    assert set(decisions.values_list("consultation", flat=True)) == {demo_platform.pk}
    assert decisions.filter(affected_user__email=AUTHOR_EMAIL).count() == 5
    assert list(Appeal.objects.values_list("status", flat=True)) == ["reversed"]
    assert sorted(Report.objects.values_list("status", flat=True)) == [
        "decided",
        "decided",
        "decided",
        "rejected",
    ]
    # Dated back over the last months, not everything on one day; but no earlier than the
    # participation phase of the consultation the reported comments were written in (it
    # opened 60 days ago in the demo).
    oldest = decisions.order_by("created_at").first()
    assert 50 <= (timezone.now() - oldest.created_at).days < 60
    written = [c.created_at for c in Comment.objects.filter(author__email=AUTHOR_EMAIL)]
    assert min(written) < oldest.created_at
    assert max(written) < timezone.now() - timedelta(days=10)  # when participation ended

    report = transparency_report(
        granularity=MONTH, periods=default_periods(MONTH, timezone.localdate())
    )
    assert report.decisions.total == 5
    assert {row.value: row.total for row in report.by_source} == {
        "notice": 2,
        "own_initiative": 2,
        "automated": 0,
        "appeal": 1,
    }
    # 2 h 40 min and 5 h (from the first of two notices): the median of an even count.
    assert report.median_seconds_total == pytest.approx((160 + 300) / 2 * 60, abs=1)
    assert {row.value: row.total for row in report.appeals}["reversed"] == 1

    statements = json.loads(
        b"".join(client.get(reverse("moderation_decisions_dsa_export")).streaming_content)
    )["statements"]
    assert len(statements) == 4  # the restore is no statement of reasons
    for record in statements:
        jsonschema.validate(record, STATEMENT_SCHEMA)
