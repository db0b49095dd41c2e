"""Every decision type: a complete statement of reasons and a Transparency Database record
that validates against the field layout of the DSA Transparency Database API."""

from datetime import timedelta

import jsonschema
import pytest
from django.utils import timezone

from participation.consultations.models import ModerationMode
from participation.moderation.dsa import decision_sor_record
from participation.moderation.models import RESTRICTING_ACTIONS, ModerationDecision
from participation.moderation.services import decision_create
from tests.participation.moderation.dsa_schema import RECORD_SCHEMA, STATEMENT_SCHEMA
from tests.participation.moderation.helpers import proposal, published_comment

pytestmark = pytest.mark.django_db

RULE = {
    "ground_type": "rule",
    "clause": "2",
    "ground_explanation": "Beleidigung nach Nr. 2 der Netiquette.",
}
LEGAL = {
    "ground_type": "legal",
    "legal_ground": "stgb_130",
    "ground_explanation": "Aufstachelung zum Hass (§ 130 StGB).",
}
FACTS = "Der Beitrag richtet sich gegen eine Gruppe von Menschen."


def every_decision_type(w):
    page = w.town_consultation
    comment = published_comment(page, w.author)
    reply = published_comment(page, w.citizen, body="Noch ein Beitrag")
    until = timezone.now() + timedelta(days=3)
    made = []

    def decide(target, action, **fields):
        made.append(
            decision_create(
                moderator=w.org_mandate, target=target, action=action, facts=FACTS, **fields
            )
        )

    decide(comment, "hide", **RULE, end_date=until)
    decide(comment, "restore")
    decide(comment, "remove", **LEGAL)
    decide(reply, "lock", **RULE)
    decide(reply, "unlock")
    decide(page, "premoderation_on", **RULE, end_date=until)
    decide(page, "premoderation_off")
    page.moderation_mode = ModerationMode.PRE
    page.save()
    pending = proposal(page, w.author)
    decide(pending, "approve")
    other = proposal(page, w.author, title="Zweiter Vorschlag")
    decide(other, "reject", **RULE)
    made.append(
        decision_create(
            moderator=w.org_mandate,
            target=w.author,
            action="suspend",
            facts=FACTS,
            **LEGAL,
            end_date=until,
            suspension_consultation=page,
        )
    )
    made.append(
        decision_create(
            moderator=w.org_mandate,
            target=w.author,
            action="unsuspend",
            facts=FACTS,
            suspension_consultation=page,
        )
    )
    made.append(
        decision_create(
            moderator=w.platform_mandate, target=w.citizen, action="suspend", facts=FACTS, **RULE
        )
    )
    return made


def test_every_decision_type_has_a_complete_statement_of_reasons_and_a_valid_record(w):
    decisions = every_decision_type(w)
    assert {d.action for d in decisions} == set(ModerationDecision.Action.values)
    for decision in decisions:
        decision.refresh_from_db()
        restricting = decision.action in RESTRICTING_ACTIONS
        # The statement of reasons, field by field (Art. 17(3) DSA).
        assert decision.restriction, decision.action
        assert decision.facts == FACTS
        assert decision.source == "own_initiative"
        assert decision.automated_detection is False
        assert decision.automated_decision == "not"
        assert decision.redress and ("appeal" in decision.redress)
        assert decision.moderator is not None
        assert decision.puid
        assert decision.created_at
        if restricting:
            assert decision.ground_type in ("rule", "legal")
            assert decision.ground_explanation
            if decision.ground_type == "rule":
                assert decision.rule_version.number == 1 and decision.clause == "2"
                assert decision.clause_label.startswith("2. Beleidigungen")
                assert decision.legal_ground == ""
            else:
                assert decision.legal_ground == "stgb_130" and decision.rule_version is None
        if decision.action in ("hide", "premoderation_on"):
            assert decision.end_date is not None
        if decision.action == "suspend" and decision.affected_user == w.citizen:
            assert decision.mandate.scope == "platform" and decision.consultation is None
        else:
            assert decision.mandate.scope == "organisation"
            assert decision.consultation == w.town_consultation
        record = decision_sor_record(decision)
        jsonschema.validate(record, RECORD_SCHEMA)
        if restricting:  # what the database's API would take
            jsonschema.validate(record, STATEMENT_SCHEMA)
        assert record["puid"] == str(decision.puid)
        assert record["url"].endswith(f"/moderation/entscheidungen/{decision.puid}.json")
        assert record["decision_facts"] == FACTS
        assert record["source_type"] == "SOURCE_VOLUNTARY"
        assert record["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"


def test_records_map_grounds_visibility_and_accounts(w):
    decisions = {(d.action, d.affected_user_id): d for d in every_decision_type(w)}
    hidden = decision_sor_record(decisions[("hide", w.author.pk)])
    assert hidden["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_DISABLED"]
    assert hidden["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    assert (
        hidden["incompatible_content_ground"]
        == "Netiquette, 1. Fassung, 2. Beleidigungen, Drohungen und Hassrede sind nicht erlaubt."
    )
    assert (
        hidden["decision_ground_reference_url"].endswith("/netiquette/1/")
        or "netiquette" in hidden["decision_ground_reference_url"]
    )
    assert hidden["end_date_visibility_restriction"] is not None
    removed = decision_sor_record(decisions[("remove", w.author.pk)])
    assert removed["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert removed["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert removed["category"] == "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
    assert removed["category_specification"] == ["KEYWORD_HATE_SPEECH"]
    assert "130" in removed["illegal_content_legal_ground"]
    local = decision_sor_record(decisions[("suspend", w.author.pk)])
    assert local["decision_provision"] == "DECISION_PROVISION_PARTIAL_SUSPENSION"
    assert local["decision_account"] is None
    platform = decision_sor_record(decisions[("suspend", w.citizen.pk)])
    assert platform["decision_account"] == "DECISION_ACCOUNT_SUSPENDED"
    assert platform["end_date_account_restriction"] is None  # without end


def test_the_json_endpoint_is_public_and_names_nobody(w, client):
    comment = published_comment(w.town_consultation, w.author)
    decision = decision_create(
        moderator=w.org_mandate, target=comment, action="hide", facts=FACTS, **RULE
    )
    response = client.get(f"/moderation/entscheidungen/{decision.puid}.json")
    assert response.status_code == 200
    record = response.json()
    jsonschema.validate(record, RECORD_SCHEMA)
    text = response.content.decode()
    for person in (w.author, w.org_mandate):
        assert (
            person.display_name not in text
            and person.email not in text
            and person.username not in text
        )
    assert (
        client.get(
            "/moderation/entscheidungen/00000000-0000-0000-0000-000000000000.json"
        ).status_code
        == 404
    )
