"""Statements of reasons in the field layout of the EU DSA Transparency Database
(https://transparency.dsa.ec.europa.eu/page/api-documentation): the public record of
every decision, without personal data. The transparency export builds on it."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from participation.moderation.models import GroundType, LegalGround, ModerationDecision
from participation.notifications.mail import absolute

Action = ModerationDecision.Action
Source = ModerationDecision.Source
Automation = ModerationDecision.Automation

DECISION_VISIBILITY: dict[str, str] = {
    Action.HIDE: "DECISION_VISIBILITY_CONTENT_DISABLED",
    Action.REMOVE: "DECISION_VISIBILITY_CONTENT_REMOVED",
    Action.REJECT: "DECISION_VISIBILITY_CONTENT_REMOVED",
    Action.LOCK: "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
    Action.PREMODERATION_ON: "DECISION_VISIBILITY_OTHER",
}
# Suspending someone from one consultation suspends part of the service; from the platform,
# their account (they can still read and appeal: a suspension, not a termination).
DECISION_PROVISION_PARTIAL = "DECISION_PROVISION_PARTIAL_SUSPENSION"
DECISION_ACCOUNT_SUSPENDED = "DECISION_ACCOUNT_SUSPENDED"

SOURCE_TYPE: dict[str, str] = {
    Source.NOTICE: "SOURCE_ARTICLE_16",
    Source.OWN_INITIATIVE: "SOURCE_VOLUNTARY",
    # Hidden automatically after independent Art. 16 notices: their source is the notices.
    Source.AUTOMATED: "SOURCE_ARTICLE_16",
    Source.APPEAL: "SOURCE_TYPE_OTHER_NOTIFICATION",
}
AUTOMATED_DECISION: dict[str, str] = {
    Automation.NOT_AUTOMATED: "AUTOMATED_DECISION_NOT_AUTOMATED",
    Automation.PARTIALLY: "AUTOMATED_DECISION_PARTIALLY",
    Automation.FULLY: "AUTOMATED_DECISION_FULLY",
}
# Legal grounds → (category, category specifications)
LEGAL_CATEGORY: dict[str, tuple[str, list[str]]] = {
    LegalGround.STGB_86: (
        "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
        ["KEYWORD_ILLEGAL_ORGANIZATIONS"],
    ),
    LegalGround.STGB_86A: (
        "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
        ["KEYWORD_ILLEGAL_ORGANIZATIONS"],
    ),
    LegalGround.STGB_111: ("STATEMENT_CATEGORY_VIOLENCE", ["KEYWORD_INCITEMENT_VIOLENCE_HATRED"]),
    LegalGround.STGB_126: (
        "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
        ["KEYWORD_INCITEMENT_VIOLENCE_HATRED"],
    ),
    LegalGround.STGB_130: ("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", ["KEYWORD_HATE_SPEECH"]),
    LegalGround.STGB_131: ("STATEMENT_CATEGORY_VIOLENCE", []),
    LegalGround.STGB_140: ("STATEMENT_CATEGORY_VIOLENCE", ["KEYWORD_INCITEMENT_VIOLENCE_HATRED"]),
    LegalGround.STGB_166: ("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", ["KEYWORD_HATE_SPEECH"]),
    LegalGround.STGB_184: (
        "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT",
        ["KEYWORD_ADULT_SEXUAL_MATERIAL"],
    ),
    LegalGround.STGB_185: ("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", ["KEYWORD_DEFAMATION"]),
    LegalGround.STGB_186: ("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", ["KEYWORD_DEFAMATION"]),
    LegalGround.STGB_187: ("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", ["KEYWORD_DEFAMATION"]),
    LegalGround.STGB_188: (
        "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
        ["KEYWORD_DEFAMATION"],
    ),
    LegalGround.STGB_201A: (
        "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR",
        ["KEYWORD_NON_CONSENSUAL_IMAGE_SHARING"],
    ),
    LegalGround.STGB_241: ("STATEMENT_CATEGORY_VIOLENCE", []),
    LegalGround.STGB_269: ("STATEMENT_CATEGORY_SCAMS_AND_FRAUD", ["KEYWORD_DATA_FALSIFICATION"]),
    LegalGround.GDPR: ("STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", []),
    LegalGround.COPYRIGHT: (
        "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
        ["KEYWORD_COPYRIGHT_INFRINGEMENT"],
    ),
    LegalGround.FRAUD: ("STATEMENT_CATEGORY_SCAMS_AND_FRAUD", []),
    LegalGround.MINORS: ("STATEMENT_CATEGORY_PROTECTION_OF_MINORS", []),
    LegalGround.OTHER: ("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", []),
}
# A breach of the netiquette: speech that is harmful to the discussion, or off its scope.
RULE_CATEGORY = "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
OFF_TOPIC_CATEGORY = "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE"
TERRITORIAL_SCOPE = ["DE"]


def ground_text(record) -> str:
    """The ground as a reader sees it: a rule version's clause, or a legal provision."""
    if getattr(record, "ground_type", getattr(record, "kind", "")) == GroundType.LEGAL:
        return str(LegalGround(record.legal_ground).label) if record.legal_ground else ""
    if record.rule_version_id:
        version = record.rule_version
        return f"{version.document.title}, {version.number}. Fassung, {record.clause_label}"
    return ""


def _date(value) -> str | None:
    return timezone.localtime(value).date().isoformat() if value else None


def _category(decision: ModerationDecision) -> tuple[str, list[str]]:
    if decision.ground_type == GroundType.LEGAL and decision.legal_ground:
        return LEGAL_CATEGORY.get(decision.legal_ground, (RULE_CATEGORY, []))
    label = (decision.clause_label or "").lower()
    if "thema" in label or "topic" in label:
        return OFF_TOPIC_CATEGORY, []
    return RULE_CATEGORY, []


def content_type_of(decision: ModerationDecision) -> list[str]:
    return ["CONTENT_TYPE_TEXT"]


def decision_sor_record(decision: ModerationDecision) -> dict:
    """The decision as a Transparency Database statement of reasons. No personal data:
    neither the author, the reporters nor the moderator are named."""
    action = decision.action
    visibility = DECISION_VISIBILITY.get(action)
    provision = None
    account = None
    if action == Action.SUSPEND:
        if decision.consultation_id is None:
            account = DECISION_ACCOUNT_SUSPENDED
        else:
            provision = DECISION_PROVISION_PARTIAL
    category, specification = _category(decision)
    legal = decision.ground_type == GroundType.LEGAL
    ground_url = ""
    if decision.rule_version is not None and not legal:
        ground_url = absolute(decision.rule_version.get_absolute_url())
    end = _date(decision.end_date)
    record = {
        "decision_visibility": [visibility] if visibility else [],
        "decision_visibility_other": (
            "Pre-moderation of new contributions in the consultation"
            if visibility == "DECISION_VISIBILITY_OTHER"
            else None
        ),
        "end_date_visibility_restriction": end if visibility else None,
        "decision_monetary": None,
        "end_date_monetary_restriction": None,
        "decision_provision": provision,
        "end_date_service_restriction": end if provision else None,
        "decision_account": account,
        "end_date_account_restriction": end if account else None,
        "account_type": "ACCOUNT_TYPE_PRIVATE",
        "decision_ground": (
            "DECISION_GROUND_ILLEGAL_CONTENT" if legal else "DECISION_GROUND_INCOMPATIBLE_CONTENT"
        ),
        "decision_ground_reference_url": ground_url,
        "illegal_content_legal_ground": ground_text(decision) if legal else None,
        "illegal_content_explanation": decision.ground_explanation[:2000] if legal else None,
        # A decision that lifts a restriction may have no ground of its own: what it does
        # and its facts stand in.
        "incompatible_content_ground": None
        if legal
        else (ground_text(decision) or decision.restriction)[:500],
        "incompatible_content_explanation": None
        if legal
        else (decision.ground_explanation or decision.facts)[:2000],
        "incompatible_content_illegal": None if legal else "No",
        "category": category,
        "category_addition": [],
        "category_specification": specification,
        "content_type": content_type_of(decision),
        "content_language": (decision.content_language or settings.LANGUAGE_CODE)[:2].upper(),
        "content_date": _date(decision.content_date or decision.created_at),
        "territorial_scope": TERRITORIAL_SCOPE,
        "application_date": _date(decision.created_at),
        "decision_facts": decision.facts[:5000],
        "source_type": SOURCE_TYPE[decision.source],
        "source_identity": None,
        "automated_detection": "Yes" if decision.automated_detection else "No",
        "automated_decision": AUTOMATED_DECISION[decision.automated_decision],
        "puid": str(decision.puid),
        "url": absolute(reverse("moderation_decision_json", args=[decision.puid])),
    }
    return record


def is_reportable_to_database(decision: ModerationDecision) -> bool:
    """Art. 24(5) covers decisions that restrict; restorations, approvals and the lifting of
    restrictions have their own record here but are not statements of reasons there."""
    return decision.is_restriction
