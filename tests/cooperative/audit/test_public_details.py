"""What each kind of act publishes in the audit log, read the way an anonymous visitor reads
it: the page. No member, number, name, share count, free text about a person or object
that ties a person's acts together appears; the private part keeps them for the chain."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cooperative.audit.models import AuditEvent
from cooperative.mandates.services import mandate_grant, mandate_revoke
from cooperative.membership.services import membership_exclude
from participation.moderation.services import decision_create, report_create, report_reject
from tests.cooperative.audit.attack import published_rows
from tests.cooperative.governance.helpers import board_member, member_of
from tests.participation.moderation.helpers import RULE_FACTS, published_comment, world

pytestmark = pytest.mark.django_db


def _page(client):
    client.logout()
    return published_rows(client.get(reverse("audit_log")).content)


def test_the_acts_of_one_member_cannot_be_tied_together_or_to_them(client):
    board = board_member()
    member = member_of(board=board)
    membership_exclude(
        member=member,
        by=board,
        effective_on=timezone.localdate() + timedelta(days=1),
        reason="Hat wiederholt gegen die Satzung verstoßen.",
    )
    events = list(AuditEvent.objects.filter(kind__startswith="membership.").order_by("seq"))
    assert [e.kind for e in events] == [
        "membership.applied",
        "membership.admitted",
        "membership.excluded",
    ]
    rows = _page(client)
    for event in events:
        assert event.public == {"member_group": "citizens"}
        assert (event.object_type, event.object_id) == ("", "")
        assert event.private["member"] == member.pk
        text = rows[event.seq].text
        assert "Satzung" not in text and member.legal_name not in text


def test_a_mandates_revocation_reason_stays_private(client):
    board = board_member()
    mandate = mandate_grant(
        by=board,
        holder_member=member_of(board=board),
        scope="platform",
        valid_from=timezone.now() - timedelta(hours=1),
    )
    mandate_revoke(mandate=mandate, by=board, reason="Beleidigende Äußerungen im Forum.")
    event = AuditEvent.objects.get(kind="mandate.revoked")
    assert "Beleidigende" not in _page(client)[event.seq].text
    assert event.private == {"reason": "Beleidigende Äußerungen im Forum."}


def test_moderation_publishes_neither_reasons_to_a_reporter_nor_the_consultation(client):
    cache.clear()
    w = world()
    comment = published_comment(w.town_consultation, w.author)
    first = report_create(
        target=comment,
        reporter=w.citizen,
        kind="rule",
        clause="2",
        explanation="Beleidigung.",
        good_faith=True,
        ip="10.0.0.1",
    )
    report_reject(
        reports=[first],
        moderator=w.platform_mandate,
        reasons="Frau Beispiel, Ihre Meldung betrifft keine Beleidigung.",
    )
    decision = decision_create(
        moderator=w.platform_mandate,
        target=comment,
        action="hide",
        facts=RULE_FACTS,
        ground_type="rule",
        clause="2",
        ground_explanation="Die Beleidigung verstößt gegen Nr. 2 der Netiquette.",
    )
    rows = _page(client)
    rejected = AuditEvent.objects.get(kind="moderation.notice_rejected")
    assert "Frau Beispiel" not in rows[rejected.seq].text
    assert rejected.private["reasons"].startswith("Frau Beispiel")
    decided = AuditEvent.objects.get(kind="moderation.hide")
    assert decided.public["puid"] == str(decision.puid)
    assert "consultation" not in decided.public
    assert decided.private["consultation"] == w.town_consultation.pk


def test_public_details_read_as_words_not_as_stored_keys():
    from django.utils import translation

    from cooperative.audit.selectors import audit_event_details

    stored = {
        "target": "beitrag",
        "ground_type": "rule",
        "clause": "3",
        "automated": "not",
        "secret": True,
        "adopted": False,
    }
    with translation.override("de"):
        details = dict(audit_event_details(stored))
    assert details == {
        "Art des Inhalts": "Beitrag",
        "Art der Grundlage": "eine Regel (Netiquette)",
        "Regelziffer": "3",
        "automatisiert": "nein",
        "geheime Abstimmung": "ja",
        "angenommen": "nein",
    }
