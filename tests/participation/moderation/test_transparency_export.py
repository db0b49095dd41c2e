"""The bulk export of statements of reasons in the layout of the EU DSA Transparency
Database: every record valid against a schema written from the database's API
documentation (https://transparency.dsa.ec.europa.eu/page/api-documentation), streamed in
batches under WSGI and ASGI, with neither the people involved nor the content in it."""

from __future__ import annotations

import json

import jsonschema
import pytest
from asgiref.sync import async_to_sync
from django.http import StreamingHttpResponse
from django.test import AsyncClient
from django.urls import reverse

from participation.moderation import transparency_views
from tests.participation.moderation.dsa_schema import STATEMENT_SCHEMA
from tests.participation.moderation.transparency_data import (
    APPELLANT_TEXT,
    AUTHOR_NAME,
    COMMENT_TEXT,
    MODERATOR_NAME,
    REPORTER_EMAIL,
    REPORTER_NAME,
    berlin,
    history,
    make_decision,
)

pytestmark = pytest.mark.django_db

EXPORT = reverse("moderation_decisions_dsa_export")
EXPORT_JSONL = reverse("moderation_decisions_dsa_export_jsonl")


def _validate(record: dict) -> None:
    jsonschema.validate(record, STATEMENT_SCHEMA)


def _body(response) -> str:
    assert response.status_code == 200
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_schema_refuses_what_the_database_refuses():
    """The schema is not a formality: records missing what the database requires fail."""
    good = {
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_DISABLED"],
        "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "incompatible_content_ground": "Netiquette 2",
        "incompatible_content_explanation": "Beleidigt einen anderen Teilnehmer.",
        "category": "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
        "content_type": ["CONTENT_TYPE_TEXT"],
        "application_date": "2026-01-31",
        "content_date": "2026-01-30",
        "decision_facts": "A comment insulted another participant.",
        "source_type": "SOURCE_ARTICLE_16",
        "automated_detection": "No",
        "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
        "puid": "6c0e2a52-3f6b-4a57-9d53-9a3a2bb5a2f1",
        "territorial_scope": ["DE"],
    }
    _validate(good)
    for broken in [
        {**good, "decision_visibility": []},
        {**good, "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT"},
        {**good, "incompatible_content_ground": None},
        {**good, "incompatible_content_explanation": ""},
        {**good, "application_date": "31.01.2026"},
        {**good, "automated_detection": True},
        {**good, "decision_facts": ""},
        {k: v for k, v in good.items() if k != "puid"},
        {**good, "decision_visibility": ["DECISION_VISIBILITY_OTHER"]},
    ]:
        with pytest.raises(jsonschema.ValidationError):
            _validate(broken)


def test_export_holds_every_restricting_decision_as_a_valid_statement(client):
    h = history()
    response = client.get(EXPORT)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(_body(response))
    records = data["statements"]
    # d5 lifts a restriction: it is no statement of reasons for the database.
    restricting = {name: d for name, d in h.decisions.items() if name != "d5"}
    assert [r["puid"] for r in records] == [
        str(d.puid) for d in sorted(restricting.values(), key=lambda d: d.pk)
    ]
    for record in records:
        _validate(record)
    by_puid = {r["puid"]: r for r in records}
    d2 = by_puid[str(h.decisions["d2"].puid)]
    assert d2["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert d2["category"] == "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
    assert d2["application_date"] == "2026-02-01"  # Berlin date, not UTC (31 January)
    d4 = by_puid[str(h.decisions["d4"].puid)]
    assert (d4["automated_detection"], d4["automated_decision"]) == (
        "Yes",
        "AUTOMATED_DECISION_FULLY",
    )
    d6 = by_puid[str(h.decisions["d6"].puid)]
    assert d6["decision_provision"] == "DECISION_PROVISION_PARTIAL_SUSPENSION"


def test_export_names_nobody_and_quotes_no_content(client):
    history()
    text = _body(client.get(EXPORT)) + _body(client.get(EXPORT_JSONL))
    for value in [
        AUTHOR_NAME,
        REPORTER_NAME,
        REPORTER_EMAIL,
        MODERATOR_NAME,
        COMMENT_TEXT,
        APPELLANT_TEXT,
    ]:
        assert value not in text


def test_export_is_read_in_batches_and_streamed(client, monkeypatch, django_assert_num_queries):
    h = history()
    for index in range(5):
        make_decision(h.comment, berlin(2025, 6, 1, 12, index), version=h.version)
    monkeypatch.setattr(transparency_views, "EXPORT_BATCH", 4)
    response = client.get(EXPORT_JSONL)
    assert isinstance(response, StreamingHttpResponse)
    # 11 restricting decisions in batches of 4: three full reads and one empty one.
    with django_assert_num_queries(4):
        chunks = [chunk.decode() for chunk in response.streaming_content]
    assert len(chunks) == 3
    lines = "".join(chunks).splitlines()
    assert len(lines) == 11
    puids = [json.loads(line)["puid"] for line in lines]
    assert len(set(puids)) == 11
    for line in lines:
        _validate(json.loads(line))
    whole = json.loads(_body(client.get(EXPORT)))["statements"]
    assert [r["puid"] for r in whole] == puids


def test_export_under_asgi_is_an_asynchronous_stream():
    """Under daphne Django would read a synchronous iterator to the end before sending a
    byte; the export hands it an asynchronous one."""
    h = history()
    for index in range(3):
        make_decision(h.comment, berlin(2025, 6, 1, 12, index), version=h.version)

    async def fetch():
        response = await AsyncClient().get(EXPORT_JSONL)
        assert response.is_async
        return [chunk async for chunk in response.streaming_content]

    chunks = async_to_sync(fetch)()
    lines = b"".join(chunks).decode().splitlines()
    assert len(lines) == 9
    for line in lines:
        _validate(json.loads(line))


def test_empty_export_is_valid_json(client):
    assert json.loads(_body(client.get(EXPORT))) == {"statements": []}
    assert _body(client.get(EXPORT_JSONL)) == ""
