"""The guard's per-consultation settings are edited in the Wagtail admin."""

import pytest

from participation.guard.conf import thresholds_for
from participation.guard.models import GuardConfig
from tests.factories import UserFactory, log_in_with_second_factor

pytestmark = pytest.mark.django_db


def test_an_admin_configures_a_consultation_in_the_wagtail_admin(client, page, settings):
    admin = UserFactory(is_superuser=True, is_staff=True)
    log_in_with_second_factor(client, admin)
    add_url = "/admin/snippets/participation_guard/guardconfig/add/"
    assert client.get(add_url).status_code == 200
    response = client.post(
        add_url,
        {
            "consultation": page.pk,
            "auto_calm_mode": "on",
            "surge_factor": "8",
            "min_events": "",
            "slow_mode_minutes": "10",
            "young_account_days": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    config = GuardConfig.objects.get(consultation=page)
    assert config.auto_calm_mode is True
    thresholds = thresholds_for(page)
    assert thresholds.auto_calm_mode is True
    assert thresholds.surge_factor == 8
    assert thresholds.slow_mode_minutes == 10
    # Empty fields keep the platform defaults.
    assert thresholds.min_events == settings.GUARD_MIN_EVENTS
    assert thresholds.young_account_days == settings.GUARD_YOUNG_ACCOUNT_DAYS


def test_a_factor_below_one_and_a_half_is_refused(client, page):
    admin = UserFactory(is_superuser=True, is_staff=True)
    log_in_with_second_factor(client, admin)
    response = client.post(
        "/admin/snippets/participation_guard/guardconfig/add/",
        {"consultation": page.pk, "surge_factor": "1.1"},
    )
    assert response.status_code == 200
    assert not GuardConfig.objects.exists()


def test_without_a_configuration_the_defaults_apply_and_nothing_starts_by_itself(page, settings):
    thresholds = thresholds_for(page)
    assert thresholds.auto_calm_mode is False
    assert thresholds.surge_factor == settings.GUARD_SURGE_FACTOR
    assert thresholds.window_minutes == settings.GUARD_WINDOW_MINUTES
