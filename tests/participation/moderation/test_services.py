"""Notices, decisions and their effects, appeals: what the services guarantee."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from cooperative.audit.models import AuditEvent
from cooperative.governance.selectors import rule_version_in_force
from participation.comments.models import Comment
from participation.comments.services import comment_create
from participation.gate.models import Suspension
from participation.moderation.forms import ReportForm
from participation.moderation.models import (
    Appeal,
    ModerationDecision,
    Report,
)
from participation.moderation.services import (
    appeal_create,
    appeal_deadline,
    appeal_decide,
    decision_create,
    report_create,
    report_reject,
)
from participation.notifications.models import Notification
from participation.proposals.models import ModerationStatus, Proposal
from participation.proposals.services import proposal_create
from tests.factories import UserFactory, rate_limits
from tests.participation.moderation.helpers import (
    RULE_FACTS,
    premoderate,
    proposal,
    published_comment,
    suspend_from,
)

pytestmark = pytest.mark.django_db

INSULT = "Der Beitrag beleidigt eine Person als Idioten."


def notice(target, reporter, *, ip="10.0.0.1", **fields):
    """A notice as the notice form takes it: the form checks what was typed, the service
    the rest."""
    values = {
        "kind": "rule",
        "clause": "2",
        "explanation": INSULT,
        "good_faith": True,
    }
    values.update(fields)
    form = ReportForm(
        values, version=rule_version_in_force("netiquette"), signed_in=reporter is not None
    )
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return report_create(target=target, reporter=reporter, ip=ip, **form.cleaned_data)


def hide(target, moderator, **fields):
    values = {
        "action": "hide",
        "facts": RULE_FACTS,
        "ground_type": "rule",
        "clause": "2",
        "ground_explanation": "Die Beleidigung verstößt gegen Nr. 2 der Netiquette.",
    }
    values.update(fields)
    return decision_create(moderator=moderator, target=target, **values)


# --- notices


def test_a_notice_records_location_ground_and_consultation_and_confirms(
    w, mailoutbox, django_capture_on_commit_callbacks
):
    comment = published_comment(w.town_consultation, w.author)
    with django_capture_on_commit_callbacks(execute=True):
        report = notice(comment, w.citizen)
    assert report.consultation == w.town_consultation
    assert report.location_url == comment.get_absolute_url()
    assert report.location_url.endswith(f"#comment-{comment.pk}")
    assert report.rule_version.number == 1
    assert report.clause_label.startswith("2. Beleidigungen")
    assert report.status == Report.Status.OPEN
    assert AuditEvent.objects.filter(kind="moderation.notice").count() == 1
    assert Notification.objects.filter(recipient=w.citizen, kind="moderation").count() == 1
    assert [m.to for m in mailoutbox] == [[w.citizen.email]]
    assert "notice" in mailoutbox[0].subject.lower() or "Meldung" in mailoutbox[0].subject


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"clause": "99"}, "clause", "choose the rule"),
        ({"kind": "legal", "legal_ground": "nonsense"}, "legal_ground", "legal provision"),
        ({"kind": "wrong"}, "kind", "netiquette or the law"),
        ({"explanation": "kurz"}, "explanation", "at least 10 characters"),
        ({"good_faith": False}, "good_faith", "good faith"),
        ({"reporter_email": "not-an-address"}, "reporter_email", "valid e-mail"),
    ],
)
def test_bad_notices_get_clear_messages_on_their_fields(w, fields, field, message):
    comment = published_comment(w.town_consultation, w.author)
    # The address is asked of those not signed in (the outcome is mailed there).
    reporter = None if field == "reporter_email" else w.citizen
    if reporter is None:
        fields = {"reporter_name": "Eva Muster", **fields}
    with pytest.raises(ValidationError) as caught:
        notice(comment, reporter, **fields)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Report.objects.exists()


def test_anonymous_notices_need_name_and_email_except_about_abuse_of_children(w):
    comment = published_comment(w.town_consultation, w.author)
    with pytest.raises(ValidationError) as caught:
        notice(comment, None)
    assert set(caught.value.message_dict) == {"reporter_name", "reporter_email"}
    notice(comment, None, reporter_name="Eva Muster", reporter_email="eva@example.org")
    notice(comment, None, kind="legal", legal_ground="minors", ip="10.0.0.2")
    assert Report.objects.count() == 2


def test_one_open_notice_per_person_and_target(w):
    comment = published_comment(w.town_consultation, w.author)
    notice(comment, w.citizen)
    with pytest.raises(ValidationError, match="already reported"):
        notice(comment, w.citizen)


def test_notices_are_rate_limited_per_person_and_per_address(w, settings):
    rate_limits(settings, "notice", person="2/hour", address="3/hour")
    page = w.town_consultation
    comments = [published_comment(page, w.author, body=f"Beitrag Nummer {n}") for n in range(5)]
    notice(comments[0], w.citizen)
    notice(comments[1], w.citizen)
    with pytest.raises(ValidationError, match="many notices in a short time"):
        notice(comments[2], w.citizen)
    other = UserFactory()
    notice(comments[2], other)  # third from this address
    with pytest.raises(ValidationError, match="Please wait"):
        notice(comments[3], UserFactory())
    notice(comments[3], UserFactory(), ip="10.9.9.9")


@override_settings(MODERATION_AUTO_HIDE_REPORTS=3)
def test_hidden_automatically_after_n_independent_notices_and_first_in_the_queue(w):
    from participation.moderation.selectors import moderation_queue

    page = w.town_consultation

    def established():
        # Only established accounts' notices count towards hiding (test_auto_hide.py).
        return UserFactory(date_joined=timezone.now() - timedelta(days=60))

    comment = published_comment(page, w.author)
    other = published_comment(page, w.author, body="Ein anderer Beitrag hier")
    for n in range(2):
        notice(other, established(), ip=f"10.1.0.{n}")  # more notices so far, below N
    first, second = established(), established()
    notice(comment, first, ip="10.0.0.1")
    notice(comment, second, ip="10.0.0.1")  # same address: not independent
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    notice(comment, established(), ip="10.0.0.2")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED  # 2 independent so far
    notice(comment, established(), ip="10.0.0.3")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN
    automated = ModerationDecision.objects.get(object_id=comment.pk, action="hide")
    assert automated.automated_decision == ModerationDecision.Automation.FULLY
    assert automated.source == ModerationDecision.Source.AUTOMATED
    assert automated.moderator is None and automated.awaiting_review
    assert automated.reports.count() == 4
    assert Report.objects.filter(object_id=comment.pk, status="open").count() == 4
    queue = moderation_queue(w.org_mandate)
    assert [entry.item.obj for entry in queue] == [comment, other]
    assert queue[0].automated == automated and queue[1].independent == 2
    # A human confirms or lifts it: here lifts.
    restored = decision_create(
        moderator=w.org_mandate,
        target=comment,
        action="restore",
        facts="Kritisch, aber keine Beleidigung.",
    )
    automated.refresh_from_db()
    assert not automated.awaiting_review and automated.reversed_by == restored
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    assert Report.objects.filter(object_id=comment.pk, status="decided").count() == 4


def test_rejected_notices_inform_their_reporters(w, mailoutbox, django_capture_on_commit_callbacks):
    comment = published_comment(w.town_consultation, w.author)
    report = notice(comment, w.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        report_reject(reports=[report], moderator=w.org_mandate, reasons="Zulässige Kritik.")
    report.refresh_from_db()
    assert report.status == Report.Status.REJECTED and report.decided_at
    assert [m.to for m in mailoutbox] == [[w.citizen.email]]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED


# --- decisions and counts


def test_hiding_and_restoring_a_reply_keeps_the_counts_exact(w, django_capture_on_commit_callbacks):
    page = w.town_consultation
    prop = proposal(page, w.author)
    root = comment_create(
        author=w.author, consultation=page, body="Oben", target=f"proposal:{prop.pk}"
    )
    reply = comment_create(author=w.citizen, consultation=page, body="Antwort", parent=root)

    def counts():
        return (
            Comment.objects.get(pk=root.pk).reply_count,
            Proposal.objects.get(pk=prop.pk).comment_count,
        )

    assert counts() == (1, 2)
    hide(reply, w.org_mandate)
    assert counts() == (0, 1)
    with pytest.raises(ValidationError, match="not in a state"):
        hide(reply, w.org_mandate)
    assert counts() == (0, 1)
    decision_create(moderator=w.tag_mandate, target=reply, action="restore", facts=RULE_FACTS)
    assert counts() == (1, 2)
    decision_create(
        moderator=w.platform_mandate,
        target=reply,
        action="remove",
        facts=RULE_FACTS,
        ground_type="legal",
        legal_ground="stgb_185",
        ground_explanation="Eine Beleidigung im Sinne des § 185 StGB.",
    )
    assert counts() == (0, 1)


def test_a_restriction_needs_its_ground_and_facts(w):
    comment = published_comment(w.town_consultation, w.author)
    with pytest.raises(ValidationError) as caught:
        decision_create(moderator=w.org_mandate, target=comment, action="hide", facts="kurz")
    assert set(caught.value.message_dict) == {"facts", "ground_type"}
    with pytest.raises(ValidationError) as caught:
        hide(comment, w.org_mandate, clause="42", ground_explanation="")
    assert set(caught.value.message_dict) == {"clause", "ground_explanation"}
    with pytest.raises(ValidationError, match="future"):
        hide(comment, w.org_mandate, end_date=timezone.now() - timedelta(hours=1))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    assert not ModerationDecision.objects.exists()


def test_the_author_is_told_in_the_app_and_by_mail_with_reasons_and_redress(
    w, mailoutbox, django_capture_on_commit_callbacks
):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(w.author)
    profile.preferred_language = "en"
    profile.save()
    comment = published_comment(w.town_consultation, w.author)
    notice(comment, w.citizen)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = hide(comment, w.org_mandate)
    note = Notification.objects.get(recipient=w.author, kind="moderation")
    assert note.url == decision.get_absolute_url()
    to_author = [m for m in mailoutbox if m.to == [w.author.email]]
    assert len(to_author) == 1
    body = to_author[0].body
    assert RULE_FACTS in body
    assert "Netiquette, 1. Fassung, 2. Beleidigungen" in body
    assert "appeal" in body.lower()
    assert decision.get_absolute_url() in body
    to_reporter = [m for m in mailoutbox if m.to == [w.citizen.email]]
    assert len(to_reporter) == 1  # the outcome


def test_mail_in_the_recipients_language(w, mailoutbox, django_capture_on_commit_callbacks):
    from wagtail.users.models import UserProfile

    english = UserProfile.get_for_user(w.citizen)
    english.preferred_language = "en"
    english.save()
    # The author has no preference: the platform's language, German.
    comment = published_comment(w.town_consultation, w.author)
    reply = published_comment(w.town_consultation, w.citizen, body="Eine Antwort darauf")
    with django_capture_on_commit_callbacks(execute=True):
        hide(comment, w.org_mandate)
        hide(reply, w.org_mandate)
    german = next(m for m in mailoutbox if m.to == [w.author.email])
    assert "Moderationsentscheidung" in german.body
    english_mail = next(m for m in mailoutbox if m.to == [w.citizen.email])
    assert "a moderation decision concerns you" in english_mail.body
    assert german.subject == "[Allmende] Eine Moderationsentscheidung betrifft Sie"
    assert english_mail.subject == "[Allmende] A moderation decision concerns you"


def test_pre_moderation_approve_and_reject(w):
    from participation.consultations.models import ModerationMode

    page = w.town_consultation
    page.moderation_mode = ModerationMode.PRE
    page.save()
    comment = comment_create(author=w.author, consultation=page, body="Wartet auf Freigabe")
    assert comment.status == Comment.Status.PENDING
    prop = proposal(page, w.author)
    assert prop.moderation_status == ModerationStatus.PENDING
    decision_create(
        moderator=w.org_mandate, target=comment, action="approve", facts="Passt zum Thema."
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    decision_create(
        moderator=w.org_mandate,
        target=prop,
        action="reject",
        facts="Werbung für ein Geschäft.",
        ground_type="rule",
        clause="3",
        ground_explanation="Nicht beim Thema des Verfahrens (Nr. 3).",
    )
    prop.refresh_from_db()
    assert prop.moderation_status == ModerationStatus.REMOVED
    with pytest.raises(ValidationError, match="not in a state"):
        decision_create(
            moderator=w.org_mandate, target=prop, action="approve", facts="Doch gut so."
        )


def test_premoderation_switched_on_by_a_moderator_holds_new_contributions(w):
    page = w.town_consultation
    premoderate(w, page)
    comment = comment_create(author=w.author, consultation=page, body="Neu und wartend")
    assert comment.status == Comment.Status.PENDING
    assert proposal(page, w.author).moderation_status == ModerationStatus.PENDING
    decision_create(
        moderator=w.org_mandate,
        target=page,
        action="premoderation_off",
        facts="Es ist wieder ruhig.",
    )
    assert (
        comment_create(author=w.author, consultation=page, body="Wieder frei").status == "published"
    )


def test_a_suspension_refuses_contributions_with_its_end_date(w):
    page, other = w.town_consultation, w.other_consultation
    until = timezone.now() + timedelta(days=7)
    suspend_from(w, w.author, page, end_date=until)
    with pytest.raises(ValidationError, match="suspended from this consultation until"):
        comment_create(author=w.author, consultation=page, body="Noch ein Versuch")
    with pytest.raises(ValidationError, match="suspended"):
        proposal_create(
            author=w.author, consultation=page, title="Titel", body="Ein langer Text hier."
        )
    comment_create(author=w.author, consultation=other, body="Anderswo geht es")
    suspension = Suspension.objects.get()
    assert suspension.until == until and suspension.consultation == page
    decision_create(
        moderator=w.tag_mandate,
        target=w.author,
        action="unsuspend",
        facts="Einsicht gezeigt.",
        suspension_consultation=page,
    )
    comment_create(author=w.author, consultation=page, body="Wieder dabei")


def test_a_platform_suspension_needs_no_end_and_says_so(w):
    decision_create(
        moderator=w.platform_mandate,
        target=w.author,
        action="suspend",
        facts="Volksverhetzende Beiträge in mehreren Verfahren.",
        ground_type="legal",
        legal_ground="stgb_130",
        ground_explanation="Aufstachelung zum Hass gegen eine Gruppe (§ 130 StGB).",
    )
    with pytest.raises(ValidationError, match="cannot contribute on this platform"):
        comment_create(author=w.author, consultation=w.other_consultation, body="Hallo zusammen")


def test_a_locked_thread_refuses_replies_and_the_rest_stays_open(w):
    page = w.town_consultation
    root = published_comment(page, w.author)
    other_root = published_comment(page, w.citizen, body="Ein anderer Strang")
    decision_create(
        moderator=w.org_mandate,
        target=root,
        action="lock",
        facts="Der Strang eskaliert.",
        ground_type="rule",
        clause="1",
        ground_explanation="Kein respektvoller Umgang mehr (Nr. 1).",
    )
    with pytest.raises(ValidationError, match="locked"):
        comment_create(author=w.citizen, consultation=page, body="Antwort", parent=root)
    comment_create(author=w.citizen, consultation=page, body="Antwort", parent=other_root)
    decision_create(
        moderator=w.org_mandate,
        target=page,
        action="lock",
        facts="Alles eskaliert.",
        ground_type="rule",
        clause="1",
        ground_explanation="Kein Respekt mehr (Nr. 1).",
    )
    with pytest.raises(ValidationError, match="locked"):
        comment_create(author=w.citizen, consultation=page, body="Neuer Beitrag")
    decision_create(moderator=w.org_mandate, target=page, action="unlock", facts="Wieder ruhig.")
    comment_create(author=w.citizen, consultation=page, body="Neuer Beitrag")


# --- appeals


def test_appeal_by_the_author_within_six_months_decided_by_another_moderator(
    w, mailoutbox, django_capture_on_commit_callbacks
):
    comment = published_comment(w.town_consultation, w.author)
    decision = hide(comment, w.org_mandate)
    with pytest.raises(ValidationError, match="Only the person"):
        appeal_create(decision=decision, appellant=w.citizen, text="Ich finde das falsch.")
    appeal = appeal_create(decision=decision, appellant=w.author, text="Das war keine Beleidigung.")
    assert appeal.decision_moderator == w.org_mandate
    with pytest.raises(ValidationError, match="already an open appeal"):
        appeal_create(decision=decision, appellant=w.author, text="Noch einmal, bitte prüfen.")
    with pytest.raises(ValidationError, match="another moderator"):
        appeal_decide(
            appeal=appeal, moderator=w.org_mandate, reverse_decision=True, reasons="Eigene Prüfung."
        )
    with django_capture_on_commit_callbacks(execute=True):
        appeal_decide(
            appeal=appeal,
            moderator=w.tag_mandate,
            reverse_decision=True,
            reasons="Zugespitzt, aber zulässig.",
        )
    appeal.refresh_from_db()
    decision.refresh_from_db()
    comment.refresh_from_db()
    assert appeal.status == Appeal.Status.REVERSED and appeal.decided_by == w.tag_mandate
    assert comment.status == Comment.Status.PUBLISHED
    reversal = decision.reversed_by
    assert (
        reversal.action == "restore" and reversal.source == "appeal" and reversal.appeal == appeal
    )
    assert reversal.moderator == w.tag_mandate
    assert any(m.to == [w.author.email] and "Zugespitzt" in m.body for m in mailoutbox)
    with pytest.raises(ValidationError, match="already been reversed"):
        appeal_create(decision=decision, appellant=w.author, text="Und noch einmal bitte.")


def test_an_upheld_appeal_leaves_the_decision_standing(w):
    comment = published_comment(w.town_consultation, w.author)
    decision = hide(comment, w.org_mandate)
    appeal = appeal_create(decision=decision, appellant=w.author, text="Das war keine Beleidigung.")
    appeal_decide(
        appeal=appeal,
        moderator=w.platform_mandate,
        reverse_decision=False,
        reasons="Eindeutig beleidigend.",
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN
    assert Appeal.objects.get().status == Appeal.Status.UPHELD
    with pytest.raises(ValidationError, match="already been decided"):
        appeal_decide(
            appeal=appeal, moderator=w.tag_mandate, reverse_decision=True, reasons="Doch anders."
        )


def test_a_reversed_suspension_is_lifted(w):
    decision = decision_create(
        moderator=w.platform_mandate,
        target=w.author,
        action="suspend",
        facts="Wiederholte Beleidigungen.",
        ground_type="rule",
        clause="2",
        ground_explanation="Verstöße gegen Nr. 2.",
    )
    appeal = appeal_create(decision=decision, appellant=w.author, text="Ich wurde verwechselt.")
    appeal_decide(
        appeal=appeal,
        moderator=w.superuser,
        reverse_decision=True,
        reasons="Verwechslung bestätigt.",
    )
    assert Suspension.objects.get().lifted_at is not None
    comment_create(author=w.author, consultation=w.town_consultation, body="Wieder da")


def test_the_appeal_window_is_six_months(w):
    comment = published_comment(w.town_consultation, w.author)
    decision = hide(comment, w.org_mandate)
    decided = timezone.now() - timedelta(days=200)
    ModerationDecision.objects.filter(pk=decision.pk).update(created_at=decided)
    decision.refresh_from_db()
    assert appeal_deadline(decided).month == (decided.month + 5) % 12 + 1
    with pytest.raises(ValidationError, match="6 months"):
        appeal_create(decision=decision, appellant=w.author, text="Zu spät, aber trotzdem.")
    ModerationDecision.objects.filter(pk=decision.pk).update(
        created_at=timezone.now() - timedelta(days=150)
    )
    decision.refresh_from_db()
    appeal_create(decision=decision, appellant=w.author, text="Rechtzeitig eingereicht.")


def test_the_database_refuses_the_same_moderator_on_an_appeal(w):
    from django.db import IntegrityError, transaction

    comment = published_comment(w.town_consultation, w.author)
    decision = hide(comment, w.org_mandate)
    appeal = appeal_create(decision=decision, appellant=w.author, text="Das war keine Beleidigung.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=appeal.pk).update(
            status="upheld", decided_by=w.org_mandate, decided_at=timezone.now()
        )
