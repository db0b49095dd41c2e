"""Every URL pattern of the project is requested anonymously and as a role that must be
refused, and answers as the route table (tests/access/routes.py) says.

The completeness tests fail, naming the route, when a pattern or a WebSocket route has no
entry: a new address cannot reach CI without an access decision. The request tests
check that each URL built for an entry resolves to the very pattern it stands for, that
the answer is the access control's (sign-in redirect, 401, 403, 404) and that a refused
request other than GET wrote nothing (a fingerprint of every table, compared with the world
as built). A pattern that an earlier one shadows is checked to be unreachable instead.

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

from tests.access.patterns import Route, resolves_to, url_routes, websocket_routes
from tests.access.routes import (
    AREAS,
    ROUTES,
    WEBSOCKET_ROUTES,
    Access,
    Area,
    Check,
    Outcome,
    Shadowed,
)
from tests.access.world import World, build_world, session_of

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


def sign_in_path() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("account_login")


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
    undecided = [
        key
        for key, entry in ROUTES.items()
        if isinstance(entry, Access) and not entry.refused and not entry.public
    ]
    assert not undecided, f"Entries that name neither a refused role nor a reason: {undecided}"
    for key, entry in ROUTES.items():
        if isinstance(entry, Shadowed):
            assert isinstance(ROUTES.get(entry.by), Access), f"{key}: {entry.by} has no entry"
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
    if isinstance(entry, Shadowed):
        return []
    if entry is not None:
        return [(check, entry) for check in entry.checks()]
    area = area_of(route)
    if area is None:
        return []
    checks = [Check("anonymous", area.anonymous, method="get"), *area.refused]
    return [(check, None) for check in checks]


def _cases():
    for route in ALL_ROUTES:
        for index, (check, entry) in enumerate(_checks_of(route)):
            method = check.method or (entry.method if entry else "get")
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
            built.extra["sessions"] = {name: session_of(built, name) for name in PEOPLE}
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


def written(baseline: dict[str, str], changes_before: int | None) -> list[str]:
    """The tables whose rows differ from `baseline` (none without a change at all)."""
    if changes_before is not None and changes() == changes_before:
        return []
    now = fingerprint()
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
            # Sorted: PostgreSQL returns rows in no fixed order (an update moves a row).
            rows = sorted(repr([row[i] for i in keep]) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def client_for(world: World, who: str, *, fresh: bool = False) -> tuple[Client, dict]:
    client = Client()
    headers: dict = {}
    if who.startswith("token:"):
        secret = getattr(world, f"{who.removeprefix('token:')}_token")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    elif who != "anonymous":
        session = session_of(world, who) if fresh else world.extra["sessions"][who]
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    return client, headers


def _value(value, world: World):
    return value(world) if callable(value) else value


def _location(outcome: Outcome, world: World) -> str | None:
    if outcome.location is None or outcome.location == "login":
        return outcome.location
    return _value(outcome.location, world)


REDIRECTS = (301, 302, 303, 307, 308)


def final_location(response, client: Client, headers: dict) -> str:
    """Where a redirect leads in the end: followed (GET, the same client) while it leads to
    another local redirect, at most three times; allauth's sign-in page is an end."""
    location = response["Location"]
    for _hop in range(3):
        target = urlsplit(location)
        if target.netloc or target.path == sign_in_path():
            break
        following = client.get(location, **headers)
        if following.status_code not in REDIRECTS:
            break
        location = following["Location"]
    return location


def matches(response, outcome: Outcome, world: World, ending: str | None) -> bool:
    """`ending`: where the response's redirects end (None unless it redirects)."""
    if outcome.options:
        return any(matches(response, option, world, ending) for option in outcome.options)
    if response.status_code not in outcome.statuses:
        return False
    expected = _location(outcome, world)
    if expected is None:
        return True
    if ending is None:
        return False
    if outcome.via and urlsplit(response["Location"]).path != outcome.via:
        return False
    target = urlsplit(ending)
    if expected == "login":
        return target.path == sign_in_path() and "next=" in target.query
    return target.path == urlsplit(expected).path


def describe(response, ending: str | None = None) -> str:
    where = f" -> {response['Location']}" if response.has_header("Location") else ""
    if ending and ending != response.get("Location"):
        where += f" -> … -> {ending}"
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
    assert resolves_to(found, route), f"{url} resolves to {found.route}, not to {route.route}"

    client, headers = client_for(world, check.who, fresh=check.fresh)
    # The world as built, unless signing in just now has changed it.
    baseline = fingerprint() if check.fresh else world.extra["fingerprint"]
    changes_before = changes()
    sent = len(mail.outbox)
    if method == "get":
        response = client.get(url, **headers)
    elif as_json:
        response = client.post(url, data or {}, content_type="application/json", **headers)
    else:
        response = client.post(url, data or {}, **headers)

    outcome = check.outcome
    ending = (
        final_location(response, client, headers) if response.status_code in REDIRECTS else None
    )
    assert matches(response, outcome, world, ending), (
        f"{method.upper()} {url} as {check.who}: {describe(response, ending)}, "
        f"expected {outcome.label}"
    )
    if method != "get":
        changed = written(baseline, changes_before)
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


SHADOWED = [key for key, entry in ROUTES.items() if isinstance(entry, Shadowed)]


@pytest.mark.django_db
@pytest.mark.parametrize("key", SHADOWED)
def test_shadowed_pattern_is_unreachable(key, world):
    """No request reaches the pattern: its URL is taken by the pattern that shadows it,
    whose entry is requested like any other."""
    entry = ROUTES[key]
    url = entry.url(world)
    found = resolve(urlsplit(url).path)
    assert resolves_to(found, BY_KEY[entry.by]), f"{url} reaches {found.route} ({key})"


# For each person, a page only they (and their like) may open.
CONTROLS = {
    "author": lambda w: reverse("moderation_decision_detail", args=[w.decision.puid]),
    "member": lambda w: reverse("motion_list"),
    "second_member": lambda w: reverse("ballot_detail", args=[w.ballot.pk]),
    "board": lambda w: reverse("member_register"),
    "town_editor": lambda w: reverse("wagtailadmin_pages:edit", args=[w.draft.pk]),
    "county_editor": lambda w: reverse("wagtailadmin_home"),
    "mandate_holder": lambda w: reverse("moderation_queue"),
    "superuser": lambda w: reverse("wagtailusers_users:index"),
}


def test_the_refused_people_are_signed_in_with_their_powers(world, db):
    """A refusal counts only if it is the access control's: each session is a real one, and
    each person's powers work in it (staff signed in with their second factor)."""
    for name in PEOPLE:
        client, _headers = client_for(world, name)
        response = client.get(reverse("account_display_name"))
        assert response.status_code == 200, name
        if name in CONTROLS:
            url = CONTROLS[name](world)
            response = client.get(url)
            assert response.status_code == 200, f"{name} cannot open {url}: {describe(response)}"
