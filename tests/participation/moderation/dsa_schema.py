"""The field layout of the EU DSA Transparency Database, as JSON Schema, for the tests of
the statements of reasons (test_dsa.py) and of their bulk export
(test_transparency_export.py): one schema, written from the database's API documentation
(https://transparency.dsa.ec.europa.eu/page/api-documentation).

- `STATEMENT_SCHEMA`: a statement as the database's API takes it (POST /api/v1/statement):
  it restricts something, and names the ground its kind of ground requires.
- `RECORD_SCHEMA`: every decision's public record (/moderation/entscheidungen/<puid>.json),
  restricting or not (an approval, a restoration): the same fields and rules except the
  restriction, plus the record's own `url`.
"""

from __future__ import annotations

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

# At least one kind of restriction: the first rule of STATEMENT_SCHEMA's allOf.
RESTRICTION_RULE = STATEMENT_SCHEMA["allOf"][0]
assert "anyOf" in RESTRICTION_RULE

RECORD_SCHEMA: dict = {
    **STATEMENT_SCHEMA,
    "required": [*STATEMENT_SCHEMA["required"], "url"],
    "properties": {
        **STATEMENT_SCHEMA["properties"],
        "url": {"type": "string", "minLength": 1, "maxLength": 500},
    },
    "allOf": STATEMENT_SCHEMA["allOf"][1:],
}
