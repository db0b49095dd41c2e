import pytest
from django.db import connection
from django.utils import translation

from tests.factories import UserFactory, organisation_with_area

# Rows that post_migrate would write again after a flush, the same every time.
KEPT_BY_FLUSH = {"django_content_type", "auth_permission"}


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete():
    """A transactional test ends with a flush of every table, and the flush is followed by
    post_migrate, which writes every content type and permission again. On PostgreSQL the
    flush is one TRUNCATE of about a hundred tables, which creates new files for each of
    them and their indexes and waits for every other connection to let go of them; and the
    thousand rows that post_migrate inserts again take as long: a second or more per test
    on a busy machine.

    The tables hold a few rows at most, so DELETE empties them in milliseconds and leaves
    them as TRUNCATE does (which, without RESTART IDENTITY, keeps sequences as well).
    Foreign keys are deferrable, so the order does not matter. Content types and
    permissions are the rows post_migrate would write again; they are kept, so it finds
    them in place (and cached content type ids stay right). A flush that resets sequences
    or cascades goes the usual way."""
    if connection.vendor != "postgresql":
        yield
        return
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [
            "SET CONSTRAINTS ALL DEFERRED",
            *(
                f"DELETE FROM {self.quote_name(table)}"  # noqa: S608 (Django's own table names)
                for table in tables
                if table not in KEPT_BY_FLUSH
            ),
        ]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


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
