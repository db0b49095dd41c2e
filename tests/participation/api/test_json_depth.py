"""Deeply nested JSON (issue 13, finding 9): a body of 100,000 `[` made Python's decoder
raise RecursionError and the API answer 500. Now every JSON body the project parses is
measured first: nesting beyond MAX_JSON_DEPTH is a 400 that says why, and nothing is
written. The class is closed by checking that every DRF view of the project parses JSON
with the limited parser and that no other code decodes a request body itself."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.settings import api_settings

from config.asgi import application
from participation.api.parsers import MAX_JSON_DEPTH, JSONParser, json_nesting_exceeds
from participation.api.tokens import token_create
from participation.comments.models import Comment
from participation.proposals.models import Proposal
from tests.participation.api.conftest import ALL_SCOPES, bearer

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[3]
PROJECT_PACKAGES = ("config", "cms", "participation", "cooperative", "frontend")
DEEP = "[" * 100_000


@pytest.fixture
def token(citizen):
    return token_create(user=citizen, name="App", scopes=ALL_SCOPES).secret


def post(client, url: str, body: str, token: str):
    return client.post(
        url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **bearer(token)
    )


@pytest.mark.parametrize(
    "body",
    [
        DEEP,
        "[" * 100_000 + "]" * 100_000,
        '{"body": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "}",
    ],
    ids=["unclosed", "closed", "objects-in-a-field"],
)
def test_a_deeply_nested_comment_body_is_a_400_not_a_500(client, open_page, token, body):
    response = post(client, f"/api/v1/consultations/{open_page.pk}/comments/", body, token)

    assert response.status_code == 400
    assert response.json() == {
        "detail": (
            f"The JSON in the request body is nested more than {MAX_JSON_DEPTH} levels deep; "
            f"the API accepts at most {MAX_JSON_DEPTH}."
        )
    }
    assert not Comment.objects.exists()


def test_every_write_endpoint_refuses_it(client, open_page, token):
    for url in (
        f"/api/v1/consultations/{open_page.pk}/comments/",
        f"/api/v1/consultations/{open_page.pk}/proposals/",
    ):
        response = post(client, url, DEEP, token)
        assert response.status_code == 400, url
        assert "nested more than" in response.json()["detail"], url
    assert not Comment.objects.exists() and not Proposal.objects.exists()


def test_the_message_is_german_for_a_german_client(client, open_page, token):
    response = client.post(
        f"/api/v1/consultations/{open_page.pk}/comments/",
        DEEP,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de",
        **bearer(token),
    )
    assert response.status_code == 400
    assert "verschachtelt" in response.json()["detail"]


def test_nesting_up_to_the_limit_is_parsed_and_brackets_in_text_do_not_count(
    client, open_page, token
):
    inside = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    response = post(
        client,
        f"/api/v1/consultations/{open_page.pk}/comments/",
        json.dumps({"body": "Klammern [[[{{{ sind Text", "extra": json.loads(inside)}),
        token,
    )
    assert response.status_code == 201, response.content
    assert Comment.objects.get().body.startswith("Klammern [[[{{{")
    assert not json_nesting_exceeds(json.dumps({"a": json.loads(inside)}))
    assert json_nesting_exceeds(json.dumps({"a": [json.loads(inside)]}))
    assert not json_nesting_exceeds('"' + "[" * 1000 + '\\"' + "{" * 1000 + '"')


def _drf_views():
    def walk(resolver):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry)
            elif isinstance(entry, URLPattern):
                view = getattr(entry.callback, "cls", None)
                if view is not None:
                    yield entry, view

    return list(walk(get_resolver()))


def test_every_drf_view_parses_json_with_the_nesting_limit():
    views = _drf_views()
    assert len(views) > 10
    allowed = (JSONParser, FormParser, MultiPartParser)
    for pattern, view in views:
        parsers = view.parser_classes
        assert any(issubclass(parser, JSONParser) for parser in parsers) or not parsers, view
        for parser in parsers:
            assert issubclass(parser, allowed), (pattern, view, parser)
    assert JSONParser in api_settings.DEFAULT_PARSER_CLASSES


# Decoding JSON that never came from a request: what the live hub stored itself, and the
# audit log's canonical form of what a service recorded.
DECODES_ITS_OWN_DATA = {
    "participation/api/parsers.py",
    "participation/live/events.py",
    "cooperative/audit/services.py",
}


def test_no_other_code_decodes_a_request_body_itself():
    found = set()
    for package in PROJECT_PACKAGES:
        for path in (BASE_DIR / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = str(path.relative_to(BASE_DIR))
            for node in ast.walk(ast.parse(path.read_text(), filename=name)):
                if not isinstance(node, ast.Attribute) or not isinstance(node.value, ast.Name):
                    continue
                decodes = node.attr in ("load", "loads") and node.value.id in ("json", "orjson")
                if decodes or (node.attr == "body" and node.value.id == "request"):
                    found.add(name)
    assert found <= DECODES_ITS_OWN_DATA, (
        "Parse request bodies through participation.api.parsers (the nesting limit)",
        found - DECODES_ITS_OWN_DATA,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_socket_ignores_deeply_nested_frames_and_stays_open(open_page, citizen):
    path = f"/ws/consultations/{open_page.pk}/"
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    socket = WebsocketCommunicator(application, path, headers=headers)
    socket.scope["user"] = citizen
    connected, _code = await socket.connect()
    assert connected
    await socket.send_to(text_data=DEEP)
    # Whatever arrives is the server's own (presence); the socket is neither closed nor broken.
    while not await socket.receive_nothing(timeout=0.5):
        message = await socket.receive_output(timeout=3)
        assert message["type"] == "websocket.send", message
        assert json.loads(message["text"])["type"] == "presence"
    assert await sync_to_async(Comment.objects.count)() == 0
    await socket.disconnect()
