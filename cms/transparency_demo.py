"""Demo moderation history for the public log and the transparency report: notices,
decisions and an appeal in the Bürgerhaushalt consultation, spread over the last months.

Made through the moderation services (so every decision has its statement of reasons and
its effect), then dated back. Runs only while its demo author has no decision yet, so
running demo_content again changes nothing. The people are demo accounts of their own: the demo
citizen the browser tests sign in as gets no notices or decisions."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from participation.comments.services import comment_create
from participation.consultations.models import ConsultationPage
from participation.moderation.models import ModerationDecision
from participation.moderation.services import (
    appeal_create,
    appeal_decide,
    decision_create,
    report_create,
    report_reject,
)

CONSULTATION_SLUG = "buergerhaushalt-2027"
MODERATOR_EMAIL = "moderation@musterstadt.example"
APPEAL_MODERATOR_EMAIL = "admin@allmende.example"
AUTHOR_EMAIL = "kiebitz@example.org"
AUTHOR_NAME = "Kiebitz"
REPORTER = {"reporter_name": "Melderin Demo", "reporter_email": "melderin@example.org"}

COMMENTS = [
    "Wer so einen Vorschlag macht, ist ein kompletter Idiot.",
    "Die Leute vom Bauamt gehören alle eingesperrt, die sind kriminell.",
    "Kauft günstige Uhren in meinem Onlineshop, Link im Profil!",
    "Was ist eigentlich mit dem Fußballverein, der sollte auch mal Geld bekommen?",
    "Der Haushaltsentwurf ist unseriös und schlecht gerechnet.",
]


def transparency_demo_content() -> None:
    User = get_user_model()
    if ModerationDecision.objects.filter(affected_user__email=AUTHOR_EMAIL).exists():
        return
    moderator = User.objects.filter(email=MODERATOR_EMAIL).first()
    appeal_moderator = User.objects.filter(email=APPEAL_MODERATOR_EMAIL).first()
    page = ConsultationPage.objects.filter(slug=CONSULTATION_SLUG).first()
    if moderator is None or appeal_moderator is None or page is None:
        return
    author = User.objects.filter(email=AUTHOR_EMAIL).first()
    if author is None:
        author = User.objects.create_user(
            username=AUTHOR_EMAIL, email=AUTHOR_EMAIL, display_name=AUTHOR_NAME
        )
        author.set_unusable_password()
        author.save(update_fields=["password"])
    _history(page=page, author=author, moderator=moderator, appeal_moderator=appeal_moderator)


def _back(obj, **moments) -> None:
    type(obj).objects.filter(pk=obj.pk).update(**moments)


def _history(*, page, author, moderator, appeal_moderator) -> None:
    now = timezone.now()
    insult, threat, spam, off_topic, criticism = (
        comment_create(author=author, consultation=page, body=body) for body in COMMENTS
    )
    # Written while the consultation's participation phase ran (from 60 to 10 days ago, see
    # the demo's phase plan), each before anyone reported or decided on it.
    for comment, days_ago in (
        (insult, 56),
        (threat, 41),
        (spam, 22),
        (off_topic, 21),
        (criticism, 12),
    ):
        _back(comment, created_at=now - timedelta(days=days_ago))

    def notice(target, days_ago: float, **ground):
        report = report_create(
            target=target,
            reporter=None,
            explanation="Dieser Beitrag verstößt gegen die Netiquette oder das Gesetz.",
            good_faith=True,
            language="de",
            **REPORTER,
            **ground,
        )
        _back(report, created_at=now - timedelta(days=days_ago))
        return report

    def decide(target, days_ago: float, **fields):
        decision = decision_create(moderator=moderator, target=target, **fields)
        _back(decision, created_at=now - timedelta(days=days_ago))
        decision.reports.update(decided_at=now - timedelta(days=days_ago))
        return decision

    rule = {"ground_type": "rule", "ground_explanation": "Der Beitrag beleidigt Teilnehmende."}
    # A notice decided after 2 h 40 min: an insult hidden under clause 2.
    notice(insult, 55, kind="rule", clause="2")
    decide(
        insult,
        55 - 160 / (24 * 60),
        action="hide",
        facts="Ein Beitrag bezeichnet andere Teilnehmende als Idioten.",
        clause="2",
        **rule,
    )
    # Two notices of illegal content; the first one's time counts (5 h).
    notice(threat, 40, kind="legal", legal_ground="stgb_186")
    notice(threat, 39.9, kind="legal", legal_ground="stgb_186")
    decide(
        threat,
        40 - 5 / 24,
        action="remove",
        facts="Ein Beitrag unterstellt Beschäftigten des Bauamts ohne Beleg Straftaten.",
        ground_type="legal",
        legal_ground="stgb_186",
        ground_explanation="Unbelegte Tatsachenbehauptung, die Beschäftigte verächtlich macht.",
    )
    # Own initiative: advertising hidden, no notice.
    decide(
        spam,
        21,
        action="remove",
        facts="Ein Beitrag wirbt für einen Onlineshop.",
        clause="3",
        ground_type="rule",
        ground_explanation="Werbung gehört nicht zum Thema des Beteiligungsverfahrens.",
    )
    # Hidden as off topic, appealed and reversed by another moderator.
    hidden = decide(
        off_topic,
        20,
        action="hide",
        facts="Ein Beitrag fragt nach Geld für einen Sportverein.",
        clause="3",
        ground_type="rule",
        ground_explanation="Der Beitrag betrifft nicht den Haushaltsentwurf.",
    )
    appeal = appeal_create(
        decision=hidden,
        appellant=author,
        text="Der Sportverein steht im Haushaltsentwurf, Seite 12. Das ist beim Thema.",
    )
    _back(appeal, created_at=now - timedelta(days=18))
    appeal_decide(
        appeal=appeal,
        moderator=appeal_moderator,
        reverse_decision=True,
        reasons="Der Sportverein ist Teil des Haushaltsentwurfs; der Beitrag ist beim Thema.",
    )
    _back(appeal, decided_at=now - timedelta(days=15))
    for restored in appeal.resulting_decisions.all():
        _back(restored, created_at=now - timedelta(days=15))
    # Criticism is no breach: the notice is rejected.
    criticised = notice(criticism, 3, kind="rule", clause="2")
    report_reject(
        reports=[criticised],
        moderator=moderator,
        reasons="Sachliche Kritik am Haushaltsentwurf ist erlaubt.",
    )
