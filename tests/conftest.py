import pytest

from tests.factories import UserFactory, organisation_with_area


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def organisation_area(db):
    """(organisation, index page) with a working editor group."""
    return organisation_with_area(name="Stadt Musterstadt", slug="musterstadt")


@pytest.fixture
def other_organisation_area(db):
    return organisation_with_area(name="Kreis Beispielkreis", slug="beispielkreis")
