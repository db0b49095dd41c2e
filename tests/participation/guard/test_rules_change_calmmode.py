"""participation_guard.change_calmmode: who may see and switch a consultation's calm mode,
asked directly and through the page, for every role."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from participation.gate.models import CalmMode
from tests.factories import log_in_with_second_factor
from tests.participation.moderation.helpers import world

pytestmark = pytest.mark.django_db

# role -> may moderate the town's consultation (owned by the town, tagged "verkehr")
ROLES = {
    "anonymous": False,
    "citizen": False,
    "editor": False,  # the town's editor
    "org_moderator": False,  # the town's moderator role, but no mandate
    "org_mandate": True,  # a mandate for the town's consultations
    "other_org_mandate": False,  # a mandate for another organisation's consultations
    "tag_mandate": True,  # a mandate for the topic "verkehr"
    "platform_mandate": True,
    "superuser": True,
}


@pytest.fixture
def w():
    return world()


def person(w, role: str):
    if role == "other_org_mandate":
        return w.org_mandate
    return getattr(w, role)


def consultation_for(w, role: str):
    # The town's mandate holder, asked about the county's consultation: another organisation.
    return w.other_consultation if role == "other_org_mandate" else w.town_consultation


def login(client, user) -> None:
    if user.is_authenticated:
        log_in_with_second_factor(client, user)


@pytest.mark.parametrize("role", ROLES)
def test_permission(w, role):
    user = person(w, role)
    assert (
        user.has_perm("participation_guard.change_calmmode", consultation_for(w, role))
        is (ROLES[role])
    )


@pytest.mark.parametrize("role", ROLES)
def test_page(client, w, role):
    user = person(w, role)
    page = consultation_for(w, role)
    login(client, user)
    response = client.get(reverse("guard_calm_mode", args=[page.pk]))
    if role == "anonymous":
        assert response.status_code == 302
        assert "/konto/" in response["Location"]
    elif ROLES[role]:
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        assert soup.select_one("form.calm-mode-form textarea[name=reason]") is not None
    else:
        assert response.status_code == 403
        assert b"calm-mode-form" not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_switching_on(client, w, role):
    user = person(w, role)
    page = consultation_for(w, role)
    login(client, user)
    response = client.post(
        reverse("guard_calm_mode", args=[page.pk]),
        {"action": "start", "reason": "Viele neue Beiträge in kurzer Zeit."},
    )
    opened = CalmMode.objects.filter(consultation=page, ended_at__isnull=True).first()
    if ROLES[role]:
        assert response.status_code == 302
        assert opened is not None
        assert opened.started_by == user
    else:
        assert response.status_code in {302, 403}
        assert opened is None
