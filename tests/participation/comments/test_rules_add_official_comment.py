"""`participation_comments.add_official_comment`: only the organisation's speakers, only while
the phase allows contributions."""

import pytest

from cooperative import permissions
from tests.participation.comments.conftest import PHASES, ROLES

pytestmark = pytest.mark.django_db

PERMISSION = "participation_comments.add_official_comment"

EXPECTED = {
    "anonymous": set(),
    "citizen": set(),
    "editor": set(),
    "speaker": {"open"},
    "other_speaker": set(),  # speaks for another organisation, not this one
    "moderator": set(),
    "admin": set(),  # the platform admin does not speak for municipalities
}


def test_table_covers_every_role():
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("state", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_add_official_comment_by_role_and_phase(make_person, make_consultation, role, state):
    person = make_person(role)
    page = make_consultation(state)

    assert permissions.allowed(person, PERMISSION, page) is (state in EXPECTED[role])


def test_speaker_loses_the_permission_with_the_role(
    make_person, make_consultation, organisation_area
):
    from cooperative.organisations.models import OrganisationRole
    from cooperative.organisations.services import organisation_role_revoke
    from tests.factories import UserFactory

    org, _index = organisation_area
    page = make_consultation("open")
    speaker = make_person("speaker")
    assert permissions.allowed(speaker, PERMISSION, page)

    organisation_role_revoke(user=speaker, organisation=org, role=OrganisationRole.Role.SPEAKER)
    # A fresh request loads the user again, without the cached roles.
    fresh = UserFactory._meta.model.objects.get(pk=speaker.pk)

    assert not permissions.allowed(fresh, PERMISSION, page)
