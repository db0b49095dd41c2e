"""Hiding without a moderator counts only notices that cannot be multiplied cheaply, and
never hides an official statement (docs/moderation.md, "Hidden automatically").

The review's attack, request by request through the notice form: five notices, each from
a different network address, hid the city's official statement. Addresses are cheap (a
botnet, a mobile network, forged headers before the client-address fix); anonymous
notices and fresh accounts are too."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cooperative.audit.models import AuditEvent
from cooperative.organisations.models import OrganisationRole
from participation.comments.models import Comment
from participation.comments.services import comment_create
from participation.moderation.dsa import decision_sor_record
from participation.moderation.models import ModerationDecision, Report
from participation.moderation.selectors import moderation_queue
from participation.moderation.services import decision_create
from participation.proposals.models import ModerationStatus, Proposal
from tests.factories import UserFactory, grant
from tests.participation.moderation.helpers import RULE_FACTS, proposal, published_comment

pytestmark = pytest.mark.django_db

DAYS = 30


@pytest.fixture(autouse=True)
def _defaults(settings):
    settings.MODERATION_AUTO_HIDE_REPORTS = 5
    settings.MODERATION_AUTO_HIDE_ACCOUNT_DAYS = DAYS


def established(**fields):
    """An account with a verified e-mail address, older than the minimum age."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=DAYS + 5), **fields)


def address(n: int) -> dict:
    return {"REMOTE_ADDR": f"198.51.100.{n}"}


def send_notice(client, target_kind: str, target, *, reporter=None, n: int, **ground):
    """One notice through the form, as the person `reporter` (None: anonymous) from the
    n-th address; `ground` replaces the netiquette clause 2 it cites by default."""
    client.logout()
    data = {
        "kind": "rule",
        "clause": "2",
        "explanation": "Der Beitrag beleidigt andere Teilnehmende.",
        "good_faith": "on",
    }
    if reporter is None:
        data.update(reporter_name=f"Meldende {n}", reporter_email=f"meldung{n}@example.org")
    else:
        client.force_login(reporter)
    data.update(ground)
    url = f"/en/moderation/melden/{target_kind}/{target.pk}/"
    response = client.post(url, data, **address(n))
    assert response.status_code == 302, response.content.decode()[:2000]


def is_public(target) -> bool:
    target.refresh_from_db()
    if isinstance(target, Comment):
        return target.status == Comment.Status.PUBLISHED
    return target.moderation_status == ModerationStatus.VISIBLE


@pytest.fixture
def targets(w):
    speaker = UserFactory(display_name="Pressestelle Musterstadt")
    grant(speaker, w.town_consultation.organisation, OrganisationRole.Role.SPEAKER)
    statement = comment_create(
        author=speaker,
        consultation=w.town_consultation,
        body="Stellungnahme der Stadt: Die Radwege werden 2026 saniert.",
        official=True,
    )
    return {
        "statement": ("beitrag", statement),
        "comment": ("beitrag", published_comment(w.town_consultation, w.author)),
        "proposal": ("vorschlag", proposal(w.town_consultation, w.author)),
    }


@pytest.mark.parametrize("which", ["statement", "comment", "proposal"])
def test_five_anonymous_notices_from_five_addresses_hide_nothing(client, w, targets, which):
    kind, target = targets[which]
    for n in range(5):
        send_notice(client, kind, target, n=n)

    assert is_public(target)
    assert not ModerationDecision.objects.exists()
    assert Report.objects.filter(object_id=target.pk, status="open").count() == 5
    # They reach the moderators all the same.
    assert target in [entry.item.obj for entry in moderation_queue(w.org_mandate)]


@pytest.mark.parametrize("which", ["statement", "comment", "proposal"])
def test_five_young_accounts_from_five_addresses_hide_nothing(client, w, targets, which):
    kind, target = targets[which]
    for n in range(5):
        # Verified, but made a day short of the minimum age (a campaign's accounts).
        young = UserFactory(date_joined=timezone.now() - timedelta(days=DAYS - 1))
        send_notice(client, kind, target, reporter=young, n=n)

    assert is_public(target)
    assert not ModerationDecision.objects.exists()


def test_old_accounts_without_a_verified_address_hide_nothing(client, w, targets):
    kind, target = targets["comment"]
    for n in range(5):
        send_notice(client, kind, target, reporter=established(verified=False), n=n)

    assert is_public(target)


def test_established_accounts_at_one_address_count_once(client, w, targets):
    kind, target = targets["comment"]
    for _n in range(5):
        send_notice(client, kind, target, reporter=established(), n=1)

    assert is_public(target)


@pytest.mark.parametrize("which", ["comment", "proposal"])
def test_five_established_accounts_hide_until_a_moderator_looks(client, w, targets, which):
    kind, target = targets[which]
    # Anonymous notices come first and cite a law; they neither count nor choose the ground.
    for n in range(3):
        send_notice(client, kind, target, n=100 + n, kind="legal", legal_ground="stgb_130")
    for n in range(4):
        send_notice(client, kind, target, reporter=established(), n=n)
        assert is_public(target)
    send_notice(client, kind, target, reporter=established(), n=4)

    assert not is_public(target)
    decision = ModerationDecision.objects.get(object_id=target.pk)
    assert decision.action == "hide" and decision.moderator is None
    assert decision.source == ModerationDecision.Source.AUTOMATED
    assert decision.automated_decision == ModerationDecision.Automation.FULLY
    assert decision.automated_detection is False  # people gave the notices
    assert decision.awaiting_review
    assert decision.ground_type == "rule" and decision.clause == "2"
    assert decision.legal_ground == ""
    assert decision.facts.startswith("5 notices about this content were received")
    assert f"at least {DAYS} days old" in decision.facts
    # It answers every open notice, counted or not; they stay open for the moderator.
    assert decision.reports.count() == 8
    assert Report.objects.filter(object_id=target.pk, status="open").count() == 8
    record = decision_sor_record(decision)
    assert record["automated_decision"] == "AUTOMATED_DECISION_FULLY"
    assert record["automated_detection"] == "No"
    assert record["source_type"] == "SOURCE_ARTICLE_16"
    audit = AuditEvent.objects.filter(kind="moderation.hide").get()
    assert audit.public["automated"] == "fully" and audit.public["source"] == "automated"
    assert moderation_queue(w.org_mandate)[0].automated == decision


def test_an_official_statement_is_never_hidden_automatically(client, w, targets):
    kind, statement = targets["statement"]
    for n in range(8):
        send_notice(client, kind, statement, reporter=established(), n=n)

    assert is_public(statement)
    assert not ModerationDecision.objects.exists()
    assert Report.objects.filter(object_id=statement.pk, status="open").count() == 8
    assert statement in [entry.item.obj for entry in moderation_queue(w.org_mandate)]
    # A moderator can still decide, and answers the notices.
    decision = decision_create(
        moderator=w.org_mandate,
        target=statement,
        action="hide",
        facts=RULE_FACTS,
        ground_type="rule",
        clause="2",
        ground_explanation="Beleidigung nach Nr. 2 der Netiquette.",
    )
    assert not is_public(statement)
    assert decision.moderator == w.org_mandate
    assert decision.automated_decision == ModerationDecision.Automation.NOT_AUTOMATED
    assert Proposal.objects.count() == 1  # the other targets are untouched
