import contextlib
import fcntl
import hashlib
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import DatabaseError, connection
from django.utils import translation

from tests.factories import UserFactory, organisation_with_area


def _migrations_fingerprint() -> str:
    """What a migrated database depends on: every migration of every app, by its source."""
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256()
    for key, migration in sorted(MigrationLoader(None).disk_migrations.items()):
        digest.update(repr(key).encode())
        digest.update(Path(sys.modules[type(migration).__module__].__file__).read_bytes())
    return digest.hexdigest()[:16]


def _database_exists(name: str) -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _migrated_template(prefix: str) -> str:
    """A database with every migration applied, built once for all workers and runs; its
    name carries the migrations' fingerprint, so a changed or new migration builds a new
    one. Built under another name and renamed when complete, so a half-built one is never
    used."""
    name = f"{prefix}{_migrations_fingerprint()}"
    with open(Path(tempfile.gettempdir()) / f"{prefix}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other workers wait until it is there
        if _database_exists(name):
            return name
        test = connection.settings_dict["TEST"]
        saved = connection.settings_dict["NAME"], test.get("NAME"), test.get("TEMPLATE")
        test["NAME"], test["TEMPLATE"] = f"{name}_building", None
        try:
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        finally:
            connection.close()
            connection.settings_dict["NAME"], test["NAME"], test["TEMPLATE"] = saved
            from django.conf import settings

            settings.DATABASES[connection.alias]["NAME"] = saved[0]
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'test%%'")
            stale = [row[0] for row in cursor.fetchall() if row[0].startswith(prefix)]
            for old in stale:
                if old != f"{name}_building":
                    with contextlib.suppress(DatabaseError):  # in use: left for later
                        cursor.execute(f'DROP DATABASE IF EXISTS "{old}"')
            cursor.execute(f'ALTER DATABASE "{name}_building" RENAME TO "{name}"')
    return name


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix,
    django_test_environment,
    django_db_blocker,
    request,
):
    """On PostgreSQL each worker's test database is a copy of one migrated template instead
    of running the ~300 migrations itself: they run once per set of migrations, while the
    other workers wait, and a later run with the same migrations copies the template it
    finds. Migrate still runs on the copy (finding nothing to do) and post_migrate with it,
    as for a new database.

    Gives the template's name (None without PostgreSQL) to tests that start servers of
    their own, which may copy it too."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql" or request.config.getvalue(
        "nomigrations"
    ):
        return None
    database.setdefault("TEST", {})
    if database["TEST"].get("TEMPLATE"):
        return database["TEST"]["TEMPLATE"]
    with django_db_blocker.unblock():
        template = _migrated_template(f"test_{database['NAME']}_migrated_")
    database["TEST"]["TEMPLATE"] = template
    return template


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
def offloaded(settings):
    """Write views run in worker threads, as in production (participation/offload.py); the
    tests' default runs them in the test's thread, which owns its transaction."""
    settings.OFFLOAD_VIEWS = True


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


@pytest.fixture(autouse=True)
def _rate_limit_counters_reset():
    """Every test starts with no action counted (participation/contributions/ratelimit.py);
    in memory the counters would otherwise outlive the test."""
    from participation.contributions import ratelimit

    ratelimit.counters_reset()
    yield


@pytest.fixture(autouse=True)
def _fresh_hub():
    """Each test gets its own event loop, so the live hub must not keep the last loop's
    tasks: with Redis its reader task from an earlier test's loop made closing a later test's
    loop wait for ever (a socket test outside tests/participation/live/ hung CI)."""
    from participation.live.hub import hub_reset
    from participation.live.presence import presence_store_reset

    hub_reset()
    presence_store_reset()
    yield
    hub_reset()
    presence_store_reset()
