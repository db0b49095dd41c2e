"""A crafted history of moderation decisions for the transparency tests: decisions around
month, quarter and year ends in Berlin time (where UTC would put them in the other period),
notices with known waits, appeals upheld, reversed and open.

Expected figures (periods in Europe/Berlin):

| decision | Berlin time          | action   | source         | ground            | wait  |
|----------|----------------------|----------|----------------|-------------------|-------|
| d6       | 2025-12-31 23:50     | suspend  | own initiative | netiquette 4      |       |
| d7       | 2026-01-01 00:10     | hide     | notice         | netiquette 2      | 1h10  |
| d1       | 2026-01-31 23:30     | hide     | notice         | netiquette 2      | 3h20  |
| d2       | 2026-02-01 00:30     | remove   | notice         | § 130 StGB        | 1h30  |
| d3       | 2026-03-31 23:59     | hide     | own initiative | netiquette 3 (a) |
| d4       | 2026-04-01 00:15     | hide     | automated      | netiquette 2 (b) |
| d5       | 2026-04-15 10:00     | restore  | appeal (on d1) | none              |       |

(a) decided partly automatically; (b) detected and decided automatically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType

from participation.comments.models import Comment
from participation.comments.services import comment_create
from participation.moderation.models import Appeal, ModerationDecision, Report
from tests.factories import UserFactory, consultation, organisation_with_area
from tests.participation.moderation.helpers import netiquette

BERLIN = ZoneInfo("Europe/Berlin")

AUTHOR_NAME = "Zaunkönigin Wilhelmine"
REPORTER_NAME = "Rotkehlchen Reinhold"
REPORTER_EMAIL = "reinhold.melder@example.org"
MODERATOR_NAME = "Moderatorin Eulalia"
APPELLANT_TEXT = "Ich widerspreche, das war Satire über den Gemeinderat"
COMMENT_TEXT = "Dieser Beitrag über den Radweg am Kanalufer enthält Beleidigungen"
FACTS = "Frau Wilhelmine Zaunkönig aus der Lindenstraße 5 schrieb am Montag"
CONSULTATION_TITLE = "Radwege am Kanal"


def berlin(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


@dataclass
class History:
    decisions: dict[str, ModerationDecision]
    notices: dict[str, Report]
    appeals: dict[str, Appeal]
    comment: Comment
    page: object
    version: object
    author: object
    moderator: object


def _at(obj, **moments) -> None:
    type(obj).objects.filter(pk=obj.pk).update(**moments)
    for name, value in moments.items():
        setattr(obj, name, value)


def make_comment(page, author, body: str = COMMENT_TEXT) -> Comment:
    return comment_create(author=author, consultation=page, body=body)


def make_notice(comment: Comment, when: datetime, *, status: str = "decided", **extra) -> Report:
    notice = Report.objects.create(
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=comment.pk,
        consultation=comment.consultation,
        location_url=f"/beteiligungen/{comment.consultation_id}/#beitrag-{comment.pk}",
        kind=extra.pop("kind", "rule"),
        rule_version=extra.pop("rule_version", None),
        clause=extra.pop("clause", "2"),
        legal_ground=extra.pop("legal_ground", ""),
        explanation=extra.pop("explanation", "Beleidigung eines anderen Teilnehmers"),
        reporter_name=REPORTER_NAME,
        reporter_email=REPORTER_EMAIL,
        good_faith=True,
        status=status,
        **extra,
    )
    _at(notice, created_at=when)
    return notice


def make_decision(
    comment: Comment,
    when: datetime,
    *,
    version=None,
    action: str = "hide",
    source: str = "notice",
    clause: str = "2",
    legal_ground: str = "",
    notices=(),
    moderator=None,
    **extra,
) -> ModerationDecision:
    explanation = "Der Beitrag greift einen anderen Teilnehmer persönlich an."
    if legal_ground:
        ground = {
            "ground_type": "legal",
            "legal_ground": legal_ground,
            "ground_explanation": explanation,
        }
    elif clause:
        ground = {
            "ground_type": "rule",
            "rule_version": version,
            "clause": clause,
            "clause_label": f"{clause}. Klauseltext",
            "ground_explanation": explanation,
        }
    else:
        ground = {"ground_type": ""}
    decision = ModerationDecision.objects.create(
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=comment.pk,
        consultation=comment.consultation,
        action=action,
        affected_user=comment.author,
        restriction="Der Beitrag ist nicht mehr öffentlich sichtbar.",
        facts=FACTS,
        source=source,
        redress="Sie können binnen sechs Monaten Beschwerde einlegen.",
        content_date=comment.created_at,
        content_language="de",
        moderator=moderator,
        **ground,
        **extra,
    )
    _at(decision, created_at=when)
    if notices:
        decision.reports.set(notices)
    return decision


def history() -> History:
    _org, index = organisation_with_area(name="Stadt Kanalstadt")
    page = consultation(index, title=CONSULTATION_TITLE)
    version = netiquette()
    author = UserFactory(display_name=AUTHOR_NAME)
    moderator = UserFactory(display_name=MODERATOR_NAME)
    second_moderator = UserFactory(display_name="Zweiter Moderator Balduin")
    comment = make_comment(page, author)

    notices = {
        "n7": make_notice(comment, berlin(2025, 12, 31, 23, 0)),
        "n1": make_notice(comment, berlin(2026, 1, 31, 20, 10)),
        "n1b": make_notice(comment, berlin(2026, 1, 31, 21, 0)),
        "n2": make_notice(
            comment, berlin(2026, 1, 31, 23, 0), kind="legal", clause="", legal_ground="stgb_130"
        ),
        "rejected": make_notice(comment, berlin(2026, 3, 10), status="rejected"),
        "open": make_notice(comment, berlin(2026, 4, 2), status="open"),
    }
    common = {"version": version, "moderator": moderator}
    decisions = {
        "d6": make_decision(
            comment,
            berlin(2025, 12, 31, 23, 50),
            action="suspend",
            source="own_initiative",
            clause="4",
            **common,
        ),
        "d7": make_decision(comment, berlin(2026, 1, 1, 0, 10), notices=[notices["n7"]], **common),
        "d1": make_decision(
            comment,
            berlin(2026, 1, 31, 23, 30),
            notices=[notices["n1"], notices["n1b"]],
            **common,
        ),
        "d2": make_decision(
            comment,
            berlin(2026, 2, 1, 0, 30),
            action="remove",
            legal_ground="stgb_130",
            notices=[notices["n2"]],
            **common,
        ),
        "d3": make_decision(
            comment,
            berlin(2026, 3, 31, 23, 59),
            source="own_initiative",
            clause="3",
            automated_decision="partially",
            **common,
        ),
        "d4": make_decision(
            comment,
            berlin(2026, 4, 1, 0, 15),
            source="automated",
            automated_detection=True,
            automated_decision="fully",
            version=version,
        ),
    }
    reversed_appeal = Appeal.objects.create(
        decision=decisions["d1"],
        appellant=author,
        text=APPELLANT_TEXT,
        decision_moderator=moderator,
        status="reversed",
        decided_by=second_moderator,
        decided_at=berlin(2026, 4, 15, 10, 0),
        reasons="Satire, kein Verstoß.",
    )
    _at(reversed_appeal, created_at=berlin(2026, 2, 10))
    upheld = Appeal.objects.create(
        decision=decisions["d2"],
        appellant=author,
        text=APPELLANT_TEXT,
        decision_moderator=moderator,
        status="upheld",
        decided_by=second_moderator,
        decided_at=berlin(2026, 3, 20),
        reasons="Die Entscheidung bleibt.",
    )
    _at(upheld, created_at=berlin(2026, 3, 5))
    still_open = Appeal.objects.create(
        decision=decisions["d3"],
        appellant=author,
        text=APPELLANT_TEXT,
        decision_moderator=moderator,
    )
    _at(still_open, created_at=berlin(2026, 4, 2))
    decisions["d5"] = make_decision(
        comment,
        berlin(2026, 4, 15, 10, 0),
        action="restore",
        source="appeal",
        clause="",
        appeal=reversed_appeal,
        moderator=second_moderator,
    )
    ModerationDecision.objects.filter(pk=decisions["d1"].pk).update(reversed_by=decisions["d5"])
    return History(
        decisions=decisions,
        notices=notices,
        appeals={"reversed": reversed_appeal, "upheld": upheld, "open": still_open},
        comment=comment,
        page=page,
        version=version,
        author=author,
        moderator=moderator,
    )
