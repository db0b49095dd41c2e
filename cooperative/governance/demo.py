"""Demo content for the cooperative: members, the four rule documents, a finished ballot
that changed the netiquette, an open ballot, a motion collecting support. The mandates,
whose app lies above this one, come after (cooperative/mandates/demo.py).

Idempotent: what exists already is left as it is. Called by `manage.py demo_content`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from cooperative.accounts.selectors import BOARD_GROUP
from cooperative.governance.models import Motion, MotionComment, MotionSupport, RuleDocument
from cooperative.governance.services import (
    ballot_close,
    ballot_create,
    ballot_open,
    ballot_tally,
    ballot_vote_cast,
    motion_comment_add,
    motion_submit,
    motion_support,
    proxy_grant,
    rule_version_publish,
)
from cooperative.membership.models import Member
from cooperative.membership.services import membership_admit, membership_apply

NETIQUETTE = (
    "Netiquette der Allmende\n"
    "1. Wir begegnen uns mit Respekt, auch bei unterschiedlichen Meinungen.\n"
    "2. Beleidigungen, Drohungen und Hassrede sind nicht erlaubt.\n"
    "3. Bitte bleiben Sie beim Thema des Beteiligungsverfahrens.\n"
    "4. Schreiben Sie nur, was Sie selbst verantworten können."
)
NETIQUETTE_NEW = NETIQUETTE.replace(
    "4. Schreiben Sie nur, was Sie selbst verantworten können.",
    "4. Werbung und Kettenbriefe sind nicht erlaubt.\n"
    "5. Schreiben Sie nur, was Sie selbst verantworten können.",
)
DOCUMENTS = [
    ("netiquette", "Netiquette", NETIQUETTE),
    (
        "moderationsrichtlinie",
        "Moderationsrichtlinie",
        "Moderationsrichtlinie\n"
        "1. Moderiert wird nur mit einem Moderationsmandat der Genossenschaft.\n"
        "2. Jede Moderationsentscheidung nennt die Regel, auf die sie sich stützt.\n"
        "3. Gegen jede Entscheidung ist eine Beschwerde möglich.",
    ),
    (
        "nutzungsbedingungen",
        "Nutzungsbedingungen",
        "Nutzungsbedingungen\n"
        "1. Die Teilnahme ist kostenlos und unter einem Anzeigenamen möglich.\n"
        "2. Beiträge stehen unter der Lizenz CC BY 4.0.",
    ),
    (
        "satzung",
        "Satzung der Allmende eG",
        "Satzung der Allmende eG\n"
        "§ 1 Die Genossenschaft betreibt eine politisch neutrale Beteiligungsplattform.\n"
        "§ 2 Mitglieder sind Bürgerinnen und Bürger, Verwaltungen, Parteien und Vereine.\n"
        "§ 3 Jedes Mitglied hat eine Stimme.",
    ),
]
# (e-mail, display name, member group) of demo people who are members
MEMBERS = [
    ("buergerin@example.org", "citizens"),
    ("vorstand@allmende.example", "citizens"),
    ("moderation@musterstadt.example", "administration"),
    ("pressestelle@musterstadt.example", "administration"),
]
EXTRA = [
    ("mitglied.amsel@genossenschaft.example", "Amsel", "citizens"),
    ("mitglied.buche@genossenschaft.example", "Buche", "citizens"),
    ("mitglied.distel@genossenschaft.example", "Distel", "parties"),
    ("mitglied.eiche@genossenschaft.example", "Eiche", "parties"),
    ("mitglied.farn@genossenschaft.example", "Farn", "associations"),
    ("mitglied.ginster@genossenschaft.example", "Ginster", "associations"),
]
FINISHED_TITLE = "Netiquette: Keine Werbung und keine Kettenbriefe"
OPEN_TITLE = "Moderationsrichtlinie: Begründung binnen 24 Stunden"
COLLECTING_TITLE = "Nutzungsbedingungen: Beiträge auch als Leichte Sprache"


def governance_demo_content(*, password: str) -> tuple[Any, list[Member]] | None:
    """The board and the members, for the content built on them; None when there is no
    board or too few people to fill the ballots."""
    now = timezone.now()
    documents = _documents(now)
    board = get_user_model().objects.filter(groups__name=BOARD_GROUP).first()
    if board is None:
        return None
    members = _members(board, password, now)
    if len(members) < 6:
        return None
    _finished_ballot(documents["netiquette"], members, board, now)
    _open_ballot(documents["moderationsrichtlinie"], members, board, now)
    _collecting_motion(documents["nutzungsbedingungen"], members)
    return board, members


def _documents(now) -> dict[str, RuleDocument]:
    found = {}
    for order, (slug, title, body) in enumerate(DOCUMENTS):
        document, _created = RuleDocument.objects.get_or_create(
            slug=slug, defaults={"title": title, "sort_order": order}
        )
        if not document.versions.exists():
            rule_version_publish(
                document=document,
                body=body,
                in_force_from=now - timedelta(days=400),
                summary="Erste Fassung, beschlossen bei der Gründung",
            )
        found[slug] = document
    return found


def _members(board, password: str, now) -> list[Member]:
    User = get_user_model()
    joined = timezone.localdate(now) - timedelta(days=300)
    people = [(email, group) for email, group in MEMBERS]
    for email, display_name, group in EXTRA:
        if not User.objects.filter(email=email).exists():
            user = User(
                username=email.split("@")[0].replace(".", "-"),
                email=email,
                display_name=display_name,
            )
            user.set_password(password)
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        people.append((email, group))
    members = []
    for email, group in people:
        person = User.objects.filter(email=email).first()
        if person is None:
            continue
        member = Member.objects.filter(user=person, status=Member.Status.ADMITTED).first()
        if member is None:
            application = membership_apply(
                applied_by=person,
                member_group=group,
                shares=1,
                legal_name=f"{person.display_name} (Demo)",
                address="Musterstraße 1\n12345 Musterstadt",
            )
            member = membership_admit(member=application, by=board, joined_on=joined)
        members.append(member)
    return members


def _finished_ballot(document, members, board, now) -> None:
    if Motion.objects.filter(title=FINISHED_TITLE).exists():
        return
    proposer = members[4]
    motion = motion_submit(
        member=proposer,
        user=proposer.user,
        document=document,
        title=FINISHED_TITLE,
        rationale="In mehreren Beteiligungen wurden Werbung und Kettenbriefe gepostet. "
        "Die Netiquette soll das ausdrücklich ausschließen.",
        proposed_body=NETIQUETTE_NEW,
    )
    for supporter in members[5:8]:
        motion_support(motion=motion, member=supporter)
    motion_comment_add(
        motion=motion,
        member=members[0],
        user=members[0].user,
        body="Gute Idee, das entlastet auch die Moderation.",
    )
    opens = now - timedelta(days=20)
    closes = now - timedelta(days=10)
    # Filed, supported and discussed before its ballot opened.
    Motion.objects.filter(pk=motion.pk).update(created_at=opens - timedelta(days=7))
    MotionSupport.objects.filter(motion=motion).update(created_at=opens - timedelta(days=6))
    MotionComment.objects.filter(motion=motion).update(created_at=opens - timedelta(days=5))
    ballot = ballot_create(
        motion=motion,
        by=board,
        opens_at=opens,
        closes_at=closes,
        majority="two_thirds",
        quorum_percent=50,
        effective_at=now - timedelta(days=9),
    )
    ballot = ballot_open(ballot=ballot, now=opens)
    proxy_grant(ballot=ballot, principal=members[3], holder=members[2], by=members[3].user)
    choices = ["yes", "yes", "yes", None, "yes", "no", "yes", "abstain", "yes", "yes"]
    for member, choice in zip(members, choices, strict=False):
        if choice:
            ballot_vote_cast(
                user=member.user,
                ballot=ballot,
                member=member,
                choice=choice,
                at=opens + timedelta(days=1),
            )
    proxy = ballot.proxies.get(principal=members[3])
    ballot_vote_cast(
        user=members[2].user,
        ballot=ballot,
        member=members[3],
        choice="yes",
        proxy=proxy,
        at=opens + timedelta(days=2),
    )
    ballot_close(ballot=ballot, now=closes)
    ballot_tally(ballot=ballot.pk)  # the worker would; the demo does not wait for it


def _open_ballot(document, members, board, now) -> None:
    if Motion.objects.filter(title=OPEN_TITLE).exists():
        return
    proposer = members[2]
    body = (
        "Moderationsrichtlinie\n"
        "1. Moderiert wird nur mit einem Moderationsmandat der Genossenschaft.\n"
        "2. Jede Moderationsentscheidung nennt die Regel, auf die sie sich stützt, und wird "
        "binnen 24 Stunden begründet.\n"
        "3. Gegen jede Entscheidung ist eine Beschwerde möglich."
    )
    motion = motion_submit(
        member=proposer,
        user=proposer.user,
        document=document,
        title=OPEN_TITLE,
        rationale="Betroffene sollen schnell erfahren, warum ein Beitrag verborgen wurde.",
        proposed_body=body,
    )
    for supporter in members[4:7]:
        motion_support(motion=motion, member=supporter)
    motion_comment_add(
        motion=motion,
        member=members[5],
        user=members[5].user,
        body="Sind 24 Stunden am Wochenende zu schaffen?",
    )
    motion_comment_add(
        motion=motion,
        member=members[2],
        user=members[2].user,
        body="Ja, die Moderation ist auch am Wochenende besetzt.",
    )
    ballot = ballot_create(
        motion=motion,
        by=board,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=13),
        majority="simple",
        quorum_percent=25,
        majority_in_every_group=True,
        interim_visible=True,
    )
    ballot = ballot_open(ballot=ballot, now=now)
    for member, choice in zip(members[4:], ["yes", "no", "yes"], strict=False):
        ballot_vote_cast(user=member.user, ballot=ballot, member=member, choice=choice)


def _collecting_motion(document, members) -> None:
    if Motion.objects.filter(title=COLLECTING_TITLE).exists():
        return
    proposer = members[0]
    motion_submit(
        member=proposer,
        user=proposer.user,
        document=document,
        title=COLLECTING_TITLE,
        rationale="Wer in Leichter Sprache schreibt, soll das kennzeichnen können.",
        proposed_body=(
            "Nutzungsbedingungen\n"
            "1. Die Teilnahme ist kostenlos und unter einem Anzeigenamen möglich.\n"
            "2. Beiträge stehen unter der Lizenz CC BY 4.0.\n"
            "3. Beiträge in Leichter Sprache können als solche gekennzeichnet werden."
        ),
    )
