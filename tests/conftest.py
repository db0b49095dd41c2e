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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests run last. Playwright's sync API keeps an event loop running in the main
    thread after its tests, and an asyncio test after them could not start its own (they
    failed in CI, where pytest-django had ordered the database-free async tests last)."""
    items.sort(key=lambda item: "e2e" in item.path.parts)
