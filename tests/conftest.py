import pytest
from django.utils import translation

from tests.factories import UserFactory, organisation_with_area


@pytest.fixture(autouse=True)
def _default_language():
    """A request under /en/ activates English in this thread; the next test starts German."""
    yield
    translation.deactivate()


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
