"""`participation_comments.view_pending_comments` (asked about the consultation) and
`participation_comments.moderate_comment` (asked about a contribution): holders of a
moderation mandate covering the consultation (here: the organisation's moderators, whose
organisation holds a mandate for its consultations) and the platform admin, in every phase.
The moderator role without a mandate grants nothing (see the last test)."""

import pytest

from cooperative import permissions
from participation.comments.models import Comment
from tests.participation.comments.conftest import PHASES, ROLES, comment_in

pytestmark = pytest.mark.django_db

EXPECTED = {
    "anonymous": set(),
    "citizen": set(),
    "editor": set(),
    "speaker": set(),
    "other_speaker": set(),
    "moderator": set(PHASES),
    "admin": set(PHASES),
}


def test_table_covers_every_role():
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("state", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_view_pending_by_role_and_phase(make_person, make_consultation, role, state):
    person = make_person(role)
    page = make_consultation(state)

    allowed = permissions.allowed(person, "participation_comments.view_pending_comments", page)

    assert allowed is (state in EXPECTED[role])


@pytest.mark.parametrize("state", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_moderate_by_role_and_phase(make_person, make_consultation, role, state):
    person = make_person(role)
    comment = comment_in(
        make_consultation(state), make_person("citizen"), status=Comment.Status.PENDING
    )

    allowed = permissions.allowed(person, "participation_comments.moderate_comment", comment)

    assert allowed is (state in EXPECTED[role])


def test_moderator_of_another_organisation_sees_no_pending(
    make_consultation, other_organisation_area
):
    from cooperative.organisations.models import OrganisationRole
    from tests.factories import UserFactory, grant

    other_org, _index = other_organisation_area
    outsider = UserFactory()
    grant(outsider, other_org, OrganisationRole.Role.MODERATOR)
    page = make_consultation("open")
    comment = comment_in(page, UserFactory(), status=Comment.Status.PENDING)

    assert not permissions.allowed(outsider, "participation_comments.view_pending_comments", page)
    assert not permissions.allowed(outsider, "participation_comments.moderate_comment", comment)


def test_the_moderator_role_without_a_mandate_grants_no_moderation(
    make_consultation, organisation_area
):
    from cooperative.mandates.models import ModerationMandate
    from cooperative.organisations.models import OrganisationRole
    from tests.factories import UserFactory, grant

    org, _index = organisation_area
    role_only = UserFactory()
    grant(role_only, org, OrganisationRole.Role.MODERATOR)
    page = make_consultation("open")
    comment = comment_in(page, UserFactory(), status=Comment.Status.PENDING)
    assert not ModerationMandate.objects.exists()

    assert not permissions.allowed(role_only, "participation_comments.view_pending_comments", page)
    assert not permissions.allowed(role_only, "participation_comments.moderate_comment", comment)
