"""The consultation permissions, asked by name as views, hooks and the approval task ask them."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cooperative.organisations.models import OrganisationRole
from tests.factories import UserFactory, consultation, grant

pytestmark = pytest.mark.django_db

Role = OrganisationRole.Role

ROLES = ["anonymous", "citizen", "editor", "other_editor", "speaker", "moderator", "admin"]
EVERYONE = set(ROLES)
EDITORS_AND_ADMINS = {"editor", "admin"}

# (permission, what it is asked about) -> roles that hold it
EXPECTED = {
    ("view", "published"): EVERYONE,
    ("view", "draft"): EDITORS_AND_ADMINS,
    ("change", "published"): EDITORS_AND_ADMINS,
    ("change", "draft"): EDITORS_AND_ADMINS,
    ("change", "area"): EDITORS_AND_ADMINS,
    ("approve", "published"): EDITORS_AND_ADMINS,
    ("approve", "draft"): EDITORS_AND_ADMINS,
}


@pytest.fixture
def person(request, organisation_area, other_organisation_area):
    org, _index = organisation_area
    other_org, _other_index = other_organisation_area
    role = request.param
    if role == "anonymous":
        return AnonymousUser()
    if role == "admin":
        return UserFactory(is_superuser=True)
    user = UserFactory()
    organisation, org_role = {
        "citizen": (None, None),
        "editor": (org, Role.EDITOR),
        "other_editor": (other_org, Role.EDITOR),
        "speaker": (org, Role.SPEAKER),
        "moderator": (org, Role.MODERATOR),
    }[role]
    if organisation is not None:
        grant(user, organisation, org_role)
    return user


@pytest.fixture
def targets(organisation_area):
    _org, index = organisation_area
    return {
        "published": consultation(index, title="Radwege", live=True),
        # Fetched as a plain Page, as Wagtail's admin hands pages to hooks and tasks.
        "draft": consultation(index, title="Marktplatz", live=False).page_ptr,
        "area": index,
    }


@pytest.mark.parametrize("person", ROLES, indirect=True)
@pytest.mark.parametrize(("verb", "target"), list(EXPECTED))
def test_consultation_permissions_by_role(request, person, targets, verb, target):
    role = request.node.callspec.params["person"]

    allowed = person.has_perm(
        f"participation_consultations.{verb}_consultationpage", targets[target]
    )

    assert allowed == (role in EXPECTED[(verb, target)])


@pytest.mark.parametrize("person", ["editor"], indirect=True)
def test_editor_loses_the_permissions_with_the_role(person, organisation_area, targets):
    from cooperative.organisations.services import organisation_role_revoke

    org, _index = organisation_area
    assert person.has_perm("participation_consultations.change_consultationpage", targets["draft"])

    organisation_role_revoke(user=person, organisation=org, role=Role.EDITOR)

    for verb in ("view", "change", "approve"):
        assert not person.has_perm(
            f"participation_consultations.{verb}_consultationpage", targets["draft"]
        )
