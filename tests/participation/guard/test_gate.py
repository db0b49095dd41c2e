"""calm_verdict: what calm mode means for a contribution about to be written."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from participation.contributions.targets import CONSULTATION
from participation.gate.policy import OPEN, calm_verdict, contribution_gate
from participation.gate.selectors import calm_mode_open
from participation.proposals.models import Proposal
from tests.factories import UserFactory
from tests.participation.guard.conftest import old_user, open_calm_mode, past_comment

pytestmark = pytest.mark.django_db


def test_no_verdict_without_calm_mode(page):
    author = old_user()
    past_comment(page, author, ago=timedelta(seconds=10))
    assert calm_verdict(user=author, consultation=page) is None


def test_ended_calm_mode_gives_no_verdict(page):
    calm = open_calm_mode(page)
    calm.ended_at = timezone.now()
    calm.save()
    assert calm_verdict(user=old_user(), consultation=page) is None


def test_slow_mode_refuses_a_second_contribution_with_the_wait(page):
    open_calm_mode(page, slow_mode_minutes=5)
    author = old_user()
    past_comment(page, author, ago=timedelta(minutes=2))
    with translation.override("en"):
        verdict = calm_verdict(user=author, consultation=page)
    assert verdict is not None
    assert verdict.hold is False
    # 3 minutes left, give or take the test's own runtime.
    assert 170 <= verdict.retry_after <= 180
    assert "once every 5 minutes" in verdict.refusal
    assert "in 3 minutes" in verdict.refusal


def test_slow_mode_counts_proposals_too(page):
    open_calm_mode(page, slow_mode_minutes=10)
    author = old_user()
    Proposal.objects.create(consultation=page, author=author, title="Mehr Bänke", body="Bitte.")
    verdict = calm_verdict(user=author, consultation=page)
    assert verdict.refusal
    assert verdict.retry_after > 9 * 60


def test_slow_mode_lets_the_person_write_after_the_interval(page):
    open_calm_mode(page, slow_mode_minutes=5)
    author = old_user()
    past_comment(page, author, ago=timedelta(minutes=6))
    verdict = calm_verdict(user=author, consultation=page)
    assert verdict == verdict.__class__(refusal=None, retry_after=None, hold=False, hold_reason="")


def test_other_consultations_do_not_count(page, organisation_area):
    from tests.factories import consultation

    other = consultation(organisation_area[1], title="Spielplätze")
    open_calm_mode(page)
    author = old_user()
    past_comment(other, author, ago=timedelta(seconds=5))
    assert calm_verdict(user=author, consultation=page).refusal is None


def test_young_account_is_held_with_a_reason(page):
    open_calm_mode(page, young_account_days=7)
    newcomer = UserFactory()  # joined just now
    with translation.override("en"):
        verdict = calm_verdict(user=newcomer, consultation=page)
    assert verdict.refusal is None
    assert verdict.hold is True
    assert "younger than 7 days" in verdict.hold_reason


def test_account_older_than_the_limit_is_not_held(page):
    open_calm_mode(page, young_account_days=7)
    verdict = calm_verdict(user=old_user(days=8), consultation=page)
    assert verdict.hold is False
    assert verdict.hold_reason == ""


def test_zero_days_means_no_hold(page):
    open_calm_mode(page, young_account_days=0)
    assert calm_verdict(user=UserFactory(), consultation=page).hold is False


def test_superuser_is_exempt(page):
    open_calm_mode(page)
    admin = UserFactory(is_superuser=True)
    past_comment(page, admin, ago=timedelta(seconds=5))
    verdict = calm_verdict(user=admin, consultation=page)
    assert verdict.refusal is None
    assert verdict.hold is False


def test_the_moderation_gate_asks_once_when_nothing_is_in_force(page, django_assert_num_queries):
    author = old_user()
    earlier = past_comment(page, author, ago=timedelta(hours=1))
    with django_assert_num_queries(1):
        assert contribution_gate(user=author, consultation=page, target=CONSULTATION) == OPEN
    with django_assert_num_queries(1):
        assert contribution_gate(user=author, consultation=page, parent=earlier) == OPEN
    # The page's calm-mode banner, asked later in the same request, needs no query either.
    with django_assert_num_queries(0):
        assert calm_mode_open(page) is None


def test_the_moderation_gate_looks_closer_when_calm_mode_is_on(page):
    open_calm_mode(page, slow_mode_minutes=0, young_account_days=7)
    with translation.override("en"):
        verdict = contribution_gate(user=UserFactory(), consultation=page, target=CONSULTATION)
    assert verdict.allowed and verdict.hold
    assert "younger than 7 days" in verdict.hold_reason
    assert contribution_gate(user=old_user(), consultation=page, target=CONSULTATION) == OPEN
