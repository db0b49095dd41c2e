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

DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
NULLABLE_DATE = {"anyOf": [DATE, {"type": "null"}]}


def _enum(*values, nullable: bool = False) -> dict:
    return {"enum": [*values, *([None] if nullable else [])]}


def _text(limit: int, *, nullable: bool = False) -> dict:
    kinds = ["string", "null"] if nullable else "string"
    return {"type": kinds, "maxLength": limit}


CATEGORIES = [
    "STATEMENT_CATEGORY_ANIMAL_WELFARE",
    "STATEMENT_CATEGORY_CONSUMER_INFORMATION",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN",
    "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
    "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR",
    "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
    "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT",
    "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
    "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
    "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
    "STATEMENT_CATEGORY_SELF_HARM",
    "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
    "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS",
    "STATEMENT_CATEGORY_VIOLENCE",
]
EEA = [
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IS",
    "IT",
    "LI",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "NO",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
]

# A statement of reasons as the database's API takes it (POST /api/v1/statement).
STATEMENT_SCHEMA: dict = {
    "type": "object",
    "required": [
        "decision_ground",
        "category",
        "content_type",
        "application_date",
        "decision_facts",
        "source_type",
        "automated_detection",
        "automated_decision",
        "puid",
        "territorial_scope",
        "content_date",
    ],
    "properties": {
        "decision_visibility": {
            "type": "array",
            "items": _enum(
                "DECISION_VISIBILITY_CONTENT_REMOVED",
                "DECISION_VISIBILITY_CONTENT_DISABLED",
                "DECISION_VISIBILITY_CONTENT_DEMOTED",
                "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
                "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
                "DECISION_VISIBILITY_CONTENT_LABELLED",
                "DECISION_VISIBILITY_OTHER",
            ),
            "uniqueItems": True,
        },
        "decision_visibility_other": _text(500, nullable=True),
        "end_date_visibility_restriction": NULLABLE_DATE,
        "decision_monetary": _enum(
            "DECISION_MONETARY_SUSPENSION",
            "DECISION_MONETARY_TERMINATION",
            "DECISION_MONETARY_OTHER",
            nullable=True,
        ),
        "end_date_monetary_restriction": NULLABLE_DATE,
        "decision_provision": _enum(
            "DECISION_PROVISION_PARTIAL_SUSPENSION",
            "DECISION_PROVISION_TOTAL_SUSPENSION",
            "DECISION_PROVISION_PARTIAL_TERMINATION",
            "DECISION_PROVISION_TOTAL_TERMINATION",
            nullable=True,
        ),
        "end_date_service_restriction": NULLABLE_DATE,
        "decision_account": _enum(
            "DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED", nullable=True
        ),
        "end_date_account_restriction": NULLABLE_DATE,
        "account_type": _enum("ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE", nullable=True),
        "decision_ground": _enum(
            "DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT"
        ),
        "decision_ground_reference_url": {"type": ["string", "null"], "maxLength": 500},
        "illegal_content_legal_ground": _text(500, nullable=True),
        "illegal_content_explanation": _text(2000, nullable=True),
        "incompatible_content_ground": _text(500, nullable=True),
        "incompatible_content_explanation": _text(2000, nullable=True),
        "incompatible_content_illegal": _enum("Yes", "No", nullable=True),
        "category": _enum(*CATEGORIES),
        "category_addition": {"type": "array", "items": _enum(*CATEGORIES)},
        "category_specification": {
            "type": "array",
            "items": {"type": "string", "pattern": "^KEYWORD_[A-Z_]+$"},
        },
        "content_type": {
            "type": "array",
            "minItems": 1,
            "items": _enum(
                "CONTENT_TYPE_APP",
                "CONTENT_TYPE_AUDIO",
                "CONTENT_TYPE_IMAGE",
                "CONTENT_TYPE_PRODUCT",
                "CONTENT_TYPE_SYNTHETIC_MEDIA",
                "CONTENT_TYPE_TEXT",
                "CONTENT_TYPE_VIDEO",
                "CONTENT_TYPE_OTHER",
            ),
        },
        "content_language": {"type": ["string", "null"], "pattern": "^[A-Z]{2}$"},
        "content_date": DATE,
        "territorial_scope": {"type": "array", "minItems": 1, "items": _enum(*EEA)},
        "application_date": DATE,
        "decision_facts": {"type": "string", "minLength": 1, "maxLength": 5000},
        "source_type": _enum(
            "SOURCE_ARTICLE_16",
            "SOURCE_TRUSTED_FLAGGER",
            "SOURCE_TYPE_OTHER_NOTIFICATION",
            "SOURCE_VOLUNTARY",
        ),
        "source_identity": _text(500, nullable=True),
        "automated_detection": _enum("Yes", "No"),
        "automated_decision": _enum(
            "AUTOMATED_DECISION_FULLY",
            "AUTOMATED_DECISION_PARTIALLY",
            "AUTOMATED_DECISION_NOT_AUTOMATED",
        ),
        "puid": {"type": "string", "minLength": 1, "maxLength": 500, "pattern": r"^[\w-]+$"},
    },
    "allOf": [
        # At least one kind of restriction.
        {
            "anyOf": [
                {
                    "required": ["decision_visibility"],
                    "properties": {"decision_visibility": {"minItems": 1}},
                },
                {
                    "required": ["decision_monetary"],
                    "properties": {"decision_monetary": {"type": "string"}},
                },
                {
                    "required": ["decision_provision"],
                    "properties": {"decision_provision": {"type": "string"}},
                },
                {
                    "required": ["decision_account"],
                    "properties": {"decision_account": {"type": "string"}},
                },
            ]
        },
        {
            "if": {"properties": {"decision_ground": {"const": "DECISION_GROUND_ILLEGAL_CONTENT"}}},
            "then": {
                "required": ["illegal_content_legal_ground", "illegal_content_explanation"],
                "properties": {
                    "illegal_content_legal_ground": {"type": "string", "minLength": 1},
                    "illegal_content_explanation": {"type": "string", "minLength": 1},
                },
            },
        },
        {
            "if": {
                "properties": {"decision_ground": {"const": "DECISION_GROUND_INCOMPATIBLE_CONTENT"}}
            },
            "then": {
                "required": ["incompatible_content_ground", "incompatible_content_explanation"],
                "properties": {
                    "incompatible_content_ground": {"type": "string", "minLength": 1},
                    "incompatible_content_explanation": {"type": "string", "minLength": 1},
                },
            },
        },
        {
            "if": {
                "properties": {
                    "decision_visibility": {"contains": {"const": "DECISION_VISIBILITY_OTHER"}}
                }
            },
            "then": {
                "required": ["decision_visibility_other"],
                "properties": {"decision_visibility_other": {"type": "string", "minLength": 1}},
            },
        },
    ],
}


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
