"""Members, rules, motions and ballots for the governance tests, made through the services
(or, for hundreds of members, in bulk)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cooperative.accounts.services import board_group_ensure
from cooperative.governance.models import Ballot, Motion, RuleDocument
from cooperative.governance.services import (
    ballot_create,
    ballot_open,
    motion_submit,
    motion_support,
    rule_version_publish,
)
from cooperative.membership.models import Member
from cooperative.membership.services import membership_admit, membership_apply
from cooperative.organisations.models import Organisation, OrganisationRole
from tests.factories import OrganisationFactory, UserFactory

NETIQUETTE_V1 = "Wir begegnen uns mit Respekt.\nKeine Beleidigungen.\nBleiben Sie beim Thema."


def board_member(**kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(board_group_ensure())
    return user


def member_of(
    user=None, *, group: str = "citizens", organisation: Organisation | None = None, board=None
) -> Member:
    applicant = user or UserFactory()
    application = membership_apply(
        applied_by=applicant,
        organisation=organisation,
        member_group=group,
        shares=1,
        legal_name=f"Name {applicant.pk}",
        address=f"Musterweg {applicant.pk}\n12345 Musterstadt",
    )
    return membership_admit(
        member=application,
        by=board or board_member(),
        joined_on=timezone.localdate() - timedelta(days=30),
    )


def representative_of_member_organisation(board=None):
    """(user, organisation member): a representative of an organisation that is a member."""
    user = UserFactory()
    organisation = OrganisationFactory()
    OrganisationRole.objects.create(
        user=user, organisation=organisation, role=OrganisationRole.Role.REPRESENTATIVE
    )
    return user, member_of(user, organisation=organisation, group="administration", board=board)


def bulk_members(count: int, prefix: str, groups=("citizens", "administration", "parties")):
    """Many members at once, as the register would hold them (not through the services)."""
    User = get_user_model()
    User.objects.bulk_create(
        User(
            username=f"{prefix}{n}", email=f"{prefix}{n}@example.org", display_name=f"{prefix} {n}"
        )
        for n in range(count)
    )
    users = list(User.objects.filter(username__startswith=prefix).order_by("pk"))
    start = (Member.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    joined = timezone.localdate() - timedelta(days=30)
    Member.objects.bulk_create(
        Member(
            user=user,
            applied_by=user,
            member_group=groups[n % len(groups)],
            shares=1,
            legal_name=f"Person {n}",
            address="Musterweg 1",
            status=Member.Status.ADMITTED,
            number=start + n,
            joined_on=joined,
        )
        for n, user in enumerate(users)
    )
    return list(Member.objects.filter(user__in=users).select_related("user").order_by("number"))


def netiquette(body: str = NETIQUETTE_V1) -> RuleDocument:
    document, _created = RuleDocument.objects.get_or_create(
        slug="netiquette", defaults={"title": "Netiquette"}
    )
    if not document.versions.exists():
        rule_version_publish(
            document=document, body=body, in_force_from=timezone.now() - timedelta(days=60)
        )
    return document


def supported_motion(
    proposer: Member,
    supporters: list[Member],
    *,
    document=None,
    amends=None,
    body: str = NETIQUETTE_V1 + "\nKeine Werbung.",
) -> Motion:
    motion = motion_submit(
        member=proposer,
        user=proposer.user or proposer.applied_by,
        document=document or netiquette(),
        title="Keine Werbung",
        rationale="Werbung stört die Diskussion.",
        proposed_body=body,
        amends=amends,
    )
    for supporter in supporters:
        motion = motion_support(motion=motion, member=supporter)
    return motion


def open_ballot(motion: Motion, *, by=None, **settings) -> Ballot:
    now = timezone.now()
    ballot = ballot_create(
        motion=motion,
        by=by or board_member(),
        opens_at=now - timedelta(minutes=1),
        closes_at=settings.pop("closes_at", now + timedelta(hours=1)),
        **settings,
    )
    return ballot_open(ballot=ballot)


def end_ballot(ballot: Ballot) -> Ballot:
    """Let the ballot's time run out and close it (the tally runs immediately in tests)."""
    from django.test import TestCase

    from cooperative.governance.services import ballot_close

    ballot.refresh_from_db()
    closes_at = max(timezone.now(), ballot.opens_at + timedelta(seconds=1))
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=closes_at)
    # The tally task is enqueued after commit: run it as the worker would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        ballot_close(ballot=ballot, now=closes_at)
    ballot.refresh_from_db()
    return ballot
