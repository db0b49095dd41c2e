"""Every URL pattern of the project is requested anonymously and as a role that must be
refused, and answers as the route table (tests/access/routes.py) says.

The completeness tests fail, naming the route, when a pattern or a WebSocket route has no
entry: a new address cannot reach CI without an access decision. The request tests
check that each URL built for an entry resolves to the very pattern it stands for, that
the answer is the access control's (sign-in redirect, 401, 403, 404) and that a refused
request other than GET wrote nothing (a fingerprint of every table before and after).

One world per module (tests/access/world.py), built once in a transaction that is rolled
back at the end; each test runs in a savepoint inside it.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import resolve, reverse
from django.utils import translation

from tests.access.patterns import Route, url_routes, websocket_routes
from tests.access.routes import (
    AREAS,
    ROUTES,
    WEBSOCKET_ROUTES,
    Access,
    Area,
    Check,
    Outcome,
)
from tests.access.world import World, build_world

ALL_ROUTES = url_routes()
BY_KEY = {route.key: route for route in ALL_ROUTES}
PEOPLE = (
    "author",
    "citizen",
    "member",
    "second_member",
    "board",
    "town_editor",
    "county_editor",
    "mandate_holder",
    "former_moderator",
    "superuser",
)
# Columns that a refused request may touch: the session store, and the time an API token
# was last presented (it is presented before the refusal).
UNWATCHED = {"django_session": None, "participation_api_apitoken": {"last_used_at"}}


def area_of(route: Route) -> Area | None:
    return next((area for area in AREAS.values() if area.covers(route)), None)


def login_paths() -> set[str]:
    with translation.override(settings.LANGUAGE_CODE):
        # Wagtail's own sign-in is still named by the admin while finding 1 is fixed.
        return {reverse("account_login"), reverse("wagtailadmin_login")}


# --- completeness ----------------------------------------------------------------------


def test_every_url_pattern_has_an_access_decision():
    missing = [
        f"{route.route} (name {route.name or '-'})"
        for route in ALL_ROUTES
        if route.key not in ROUTES and area_of(route) is None
    ]
    assert not missing, (
        "These URL patterns have no entry in tests/access/routes.py (who is refused, or why "
        "nobody is): " + "; ".join(missing)
    )


def test_no_entry_for_an_address_that_is_gone():
    stale = sorted(set(ROUTES) - set(BY_KEY))
    assert not stale, f"Entries without a URL pattern (removed or renamed?): {stale}"


def test_every_entry_refuses_a_role_or_says_why_none():
    undecided = [key for key, entry in ROUTES.items() if not entry.refused and not entry.public]
    assert not undecided, f"Entries that name neither a refused role nor a reason: {undecided}"
    for area in AREAS.values():
        assert area.refused, area.prefix


def test_every_websocket_route_has_an_access_decision():
    routes = websocket_routes()
    missing = [route for route in routes if route not in WEBSOCKET_ROUTES]
    assert not missing, f"WebSocket routes without an entry: {missing}"
    stale = sorted(set(WEBSOCKET_ROUTES) - set(routes))
    assert not stale, f"WebSocket entries without a route: {stale}"
    for route, entry in WEBSOCKET_ROUTES.items():
        assert entry.refused, route


def test_the_walk_finds_the_language_prefixed_patterns_once():
    routes = [route.route for route in ALL_ROUTES]
    assert routes.count("konto/login/") == 1
    assert not [route for route in routes if route.startswith("en/")]
    # /en/… resolves to the same pattern as the German address.
    with translation.override("en"):
        english = resolve("/en/konto/login/")
    with translation.override("de"):
        german = resolve("/konto/login/")
    assert english.func == german.func
    assert english.url_name == german.url_name == "account_login"


# --- the requests ----------------------------------------------------------------------


def _checks_of(route: Route) -> list[tuple[Check, Access | None]]:
    entry = ROUTES.get(route.key)
    if entry is not None:
        return [(check, entry) for check in entry.checks()]
    area = area_of(route)
    if area is None:
        return []
    checks = [Check("anonymous", area.anonymous, method="get")]
    for refused in area.refused:
        checks += [Check(refused.who, refused.outcome, method=method) for method in area.methods]
    return [(check, None) for check in checks]


def _cases():
    for route in ALL_ROUTES:
        for index, (check, _entry) in enumerate(_checks_of(route)):
            method = (
                check.method or ROUTES[route.key].method if route.key in ROUTES else check.method
            )
            yield pytest.param(route.key, index, id=f"{route.key} {check.who} {method}#{index}")


CASES = list(_cases())


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world and a signed-in session per person, in a transaction rolled back at the end
    of the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            sessions = {}
            for name in PEOPLE:
                client = Client()
                client.force_login(getattr(built, name))
                sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
            built.extra["sessions"] = sessions
            # Every test starts from this state (each runs in a savepoint rolled back).
            built.extra["fingerprint"] = fingerprint()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _documents_by_redirect(settings):
    """The tests keep files in memory, where Wagtail's default way of serving a document (by
    its path on disk) finds nothing; served by a redirect to the storage instead, after the
    same access checks."""
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate-limit counters
    yield
    cache.clear()


def changes() -> int | None:
    """Rows this connection has inserted, changed or deleted so far (SQLite); None where the
    database cannot tell."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT total_changes()")
        return cursor.fetchone()[0]


def written(world: World, changes_before: int | None) -> list[str]:
    """The tables whose rows differ from the world's (none without a change at all)."""
    if changes_before is not None and changes() == changes_before:
        return []
    baseline, now = world.extra["fingerprint"], fingerprint()
    return sorted(
        table for table in baseline.keys() | now.keys() if baseline.get(table) != now.get(table)
    )


def fingerprint() -> dict[str, str]:
    """A digest of every table's rows (but the unwatched columns)."""
    digests = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            skip = UNWATCHED.get(table, set())
            if skip is None:
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (the database's own names)
            names = [column[0] for column in cursor.description]
            keep = [i for i, name in enumerate(names) if name not in skip]
            digest = hashlib.sha256()
            for row in cursor.fetchall():
                digest.update(repr([row[i] for i in keep]).encode())
            digests[table] = digest.hexdigest()
    return digests


def client_for(world: World, who: str) -> tuple[Client, dict]:
    client = Client()
    headers: dict = {}
    if who.startswith("token:"):
        secret = getattr(world, f"{who.removeprefix('token:')}_token")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    elif who != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.extra["sessions"][who]
    return client, headers


def _value(value, world: World):
    return value(world) if callable(value) else value


def _location(outcome: Outcome, world: World) -> str | None:
    if outcome.location is None or outcome.location == "login":
        return outcome.location
    return _value(outcome.location, world)


def matches(response, outcome: Outcome, world: World) -> bool:
    if outcome.options:
        return any(matches(response, option, world) for option in outcome.options)
    if response.status_code not in outcome.statuses:
        return False
    expected = _location(outcome, world)
    if expected is None:
        return True
    target = urlsplit(response["Location"])
    if expected == "login":
        return target.path in login_paths() and "next=" in target.query
    return target.path == urlsplit(expected).path


def describe(response) -> str:
    where = f" -> {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{where}"


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "index"), CASES)
def test_route_answers_as_the_table_says(key, index, world):
    route = BY_KEY[key]
    check, entry = _checks_of(route)[index]
    if entry is None:
        area = area_of(route)
        url = area.url(world, route)
        method, data, as_json = check.method, {}, False
    else:
        url = _value(check.url or entry.url, world)
        method = check.method or entry.method
        data = _value(check.data if check.data is not None else entry.data, world)
        as_json = entry.json
    found = resolve(urlsplit(url).path)
    assert found.route == route.route, f"{url} resolves to {found.route}, not to {route.route}"

    client, headers = client_for(world, check.who)
    changes_before = changes()
    sent = len(mail.outbox)
    if method == "get":
        response = client.get(url, **headers)
    elif as_json:
        response = client.post(url, data or {}, content_type="application/json", **headers)
    else:
        response = client.post(url, data or {}, **headers)

    outcome = check.outcome
    assert matches(response, outcome, world), (
        f"{method.upper()} {url} as {check.who}: {describe(response)}, expected {outcome.label}"
    )
    if method != "get":
        changed = written(world, changes_before)
        assert not changed, f"{method.upper()} {url} as {check.who} wrote to {changed}"
    body = b"".join(response) if response.streaming else response.content
    if check.absent:
        assert check.absent.encode() not in body, f"{url} shows {check.absent!r} to {check.who}"
    if check.shows:
        assert check.shows in body.decode(), f"{url} does not tell {check.who} {check.shows!r}"
    if outcome.stays_anonymous:
        assert "_auth_user_id" not in client.session, f"{method.upper()} {url} signed someone in"
    if outcome.sends_no_mail:
        assert len(mail.outbox) == sent, f"{method.upper()} {url} sent mail"


def test_the_refused_people_are_signed_in(world, db):
    """A refusal counts only if the person was signed in: each session is a real one."""
    for name in PEOPLE:
        client, _headers = client_for(world, name)
        response = client.get(reverse("account_display_name"))
        assert response.status_code == 200, name
