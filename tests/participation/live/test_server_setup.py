"""Connection set-up that stays cheap in a reconnect storm (participation/live/server.py)."""

import gc
import pprint

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from participation.live.server import (
    GC_YOUNG_THRESHOLD,
    LazyPrettyFormat,
    LiveAuthMiddlewareStack,
    defer_autobahn_debug_formatting,
    tune_garbage_collection,
)
from tests.factories import UserFactory


class Counted:
    def __init__(self):
        self.reprs = 0

    def __repr__(self):
        self.reprs += 1
        return "Counted()"


def test_lazy_format_formats_only_when_the_text_is_made():
    value = Counted()
    lazy = LazyPrettyFormat([("openHandshakeTimeout", value, "Factory")])
    assert value.reprs == 0

    # autobahn logs through txaio, which fills its message with str.format
    assert "\n{attrs}".format(attrs=lazy) == "\n" + pprint.pformat(  # noqa: UP032
        [("openHandshakeTimeout", value, "Factory")]
    )
    assert value.reprs == 2  # once by the lazy text, once by the comparison


def test_autobahn_formats_its_debug_line_lazily():
    from autobahn.websocket import protocol

    assert defer_autobahn_debug_formatting() is True
    assert protocol.pformat is LazyPrettyFormat
    assert defer_autobahn_debug_formatting() is True  # twice is harmless


def test_garbage_collection_is_tuned_for_many_connections():
    before = gc.get_threshold()
    try:
        tune_garbage_collection()
        assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, before[1], before[2])
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def scope_user(headers):
    seen = {}

    async def inner(scope, receive, send):
        seen["user"] = scope["user"]._wrapped

    app = LiveAuthMiddlewareStack(inner)
    scope = {"type": "websocket", "path": "/ws/", "headers": headers}
    async_to_sync(app)(scope, None, None)
    return seen["user"]


@pytest.mark.django_db(transaction=True)
def test_a_reader_without_a_session_cookie_is_anonymous_without_a_query():
    with CaptureQueriesContext(connection) as queries:
        user = scope_user([(b"host", b"localhost")])

    assert isinstance(user, AnonymousUser)
    assert len(queries) == 0


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_reader_is_recognised_from_the_session_cookie():
    person = UserFactory(display_name="Leserin")
    browser = Client()
    browser.force_login(person)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}".encode()

    user = scope_user([(b"host", b"localhost"), (b"cookie", cookie)])

    assert user.pk == person.pk


@pytest.mark.django_db(transaction=True)
def test_an_unknown_or_forged_session_cookie_is_anonymous():
    cookie = f"{settings.SESSION_COOKIE_NAME}=forgedforgedforgedforged".encode()

    user = scope_user([(b"host", b"localhost"), (b"cookie", cookie)])

    assert isinstance(user, AnonymousUser)
