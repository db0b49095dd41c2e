from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cooperative.governance.majority import count_of
from cooperative.governance.models import (
    Ballot,
    BallotEligibility,
    Motion,
    Proxy,
    RuleDocument,
    RuleVersion,
    SecretChoice,
    SecretParticipation,
    Vote,
)
from cooperative.governance.receipts import receipt_hash
from cooperative.membership.models import Member
from cooperative.membership.selectors import members_acting_as, members_on


def rule_version_in_force(document_slug: str, at: datetime | None = None) -> RuleVersion | None:
    """The version of the rule document that was (or is) in force at that moment.

    Other apps cite it: a comment or a moderation decision stores the version returned
    for its own time (or calls this with `at=` its time later)."""
    at = at or timezone.now()
    return (
        RuleVersion.objects.filter(document__slug=document_slug, in_force_from__lte=at)
        .select_related("document")
        .order_by("-in_force_from")
        .first()
    )


def rule_documents() -> QuerySet[RuleDocument]:
    return RuleDocument.objects.annotate(version_count=Count("versions")).order_by(
        "sort_order", "title"
    )


def rule_document_by_slug(slug: str) -> RuleDocument | None:
    return RuleDocument.objects.filter(slug=slug).first()


def rule_versions_of(document: RuleDocument) -> QuerySet[RuleVersion]:
    """Every version, newest first, including those adopted but not yet in force."""
    return document.versions.select_related("motion").order_by("-number")


@dataclass(frozen=True)
class DiffLine:
    op: str  # "same", "added", "removed"
    text: str


def rule_diff(old: str, new: str) -> list[DiffLine]:
    """A line diff a reader can follow: unchanged, removed and added lines in order."""
    lines: list[DiffLine] = []
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(DiffLine("same", line) for line in a[i1:i2])
            continue
        lines.extend(DiffLine("removed", line) for line in a[i1:i2])
        lines.extend(DiffLine("added", line) for line in b[j1:j2])
    return lines


def motions_for_members() -> QuerySet[Motion]:
    return (
        Motion.objects.filter(amends__isnull=True)
        .select_related("document", "proposer__user", "proposer__organisation")
        .annotate(support_count=Count("supports", distinct=True))
        .order_by("-created_at")
    )


def motion_by_id(motion_id: int) -> Motion | None:
    return (
        Motion.objects.filter(pk=motion_id)
        .select_related("document", "base_version", "proposer__user", "proposer__organisation")
        .annotate(support_count=Count("supports", distinct=True))
        .first()
    )


def ballot_by_id(ballot_id: int) -> Ballot | None:
    return Ballot.objects.filter(pk=ballot_id).select_related("motion__document").first()


def ballots_current() -> QuerySet[Ballot]:
    return Ballot.objects.exclude(state=Ballot.State.DRAFT).select_related("motion__document")


@dataclass(frozen=True)
class VoterSeat:
    """One vote a user can cast: for a member they are, or one they hold a proxy for."""

    member: Member
    proxy: Proxy | None
    voted: bool


def voter_seats(user, ballot: Ballot) -> list[VoterSeat]:
    """The votes this user may cast in the ballot, and whether each has been cast."""
    if not getattr(user, "is_authenticated", False):
        return []
    own = list(members_acting_as(user).select_related("user", "organisation"))
    own_ids = [m.pk for m in own]
    proxies = list(
        Proxy.objects.filter(ballot=ballot, holder_id__in=own_ids).select_related(
            "principal__user", "principal__organisation"
        )
    )
    members = own + [p.principal for p in proxies]
    eligible = set(
        BallotEligibility.objects.filter(
            ballot=ballot, member_id__in=[m.pk for m in members]
        ).values_list("member_id", flat=True)
    )
    model = SecretParticipation if ballot.secret else Vote
    voted = set(
        model.objects.filter(ballot=ballot, member_id__in=[m.pk for m in members]).values_list(
            "member_id", flat=True
        )
    )
    by_proxy = {p.principal_id: p for p in proxies}
    seats = [VoterSeat(m, None, m.pk in voted) for m in own if m.pk in eligible]
    seats += [
        VoterSeat(p.principal, by_proxy[p.principal_id], p.principal_id in voted)
        for p in proxies
        if p.principal_id in eligible
    ]
    return seats


def proxies_given_by(user, ballot: Ballot) -> QuerySet[Proxy]:
    own = members_acting_as(user).values("pk")
    return Proxy.objects.filter(ballot=ballot, principal_id__in=own).select_related(
        "holder__user", "holder__organisation", "principal"
    )


def proxy_holder_candidates(ballot: Ballot, exclude: list[int]) -> QuerySet[Member]:
    """Members who may still take a proxy in this ballot (fewer than two principals)."""
    full = (
        Proxy.objects.filter(ballot=ballot)
        .values("holder_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values("holder_id")
    )
    return (
        members_on()
        .exclude(pk__in=exclude)
        .exclude(pk__in=full)
        .select_related("user", "organisation")
        .order_by("number")
    )


def ballot_interim(ballot: Ballot) -> dict[str, int] | None:
    """The running count of an open ballot, where its settings show one."""
    if ballot.state != Ballot.State.OPEN or not ballot.interim_visible or ballot.secret:
        return None
    return count_of(Vote.objects.filter(ballot=ballot).values_list("choice", flat=True)).as_dict()


def ballot_participation(ballot: Ballot) -> dict[str, int]:
    model = SecretParticipation if ballot.secret else Vote
    return {
        "eligible": BallotEligibility.objects.filter(ballot=ballot).count(),
        "voted": model.objects.filter(ballot=ballot).count(),
    }


def receipt_lookup(ballot: Ballot, code: str) -> SecretChoice | None:
    """The choice a receipt code belongs to: whoever holds the code sees it was counted."""
    if not ballot.secret or not code.strip():
        return None
    return SecretChoice.objects.filter(
        ballot=ballot, receipt_hash=receipt_hash(ballot.pk, code)
    ).first()


def motion_supported_by(motion: Motion, user) -> bool:
    own = members_acting_as(user).values("pk")
    return motion.supports.filter(member_id__in=own).exists()


def motions_open_count() -> int:
    return Motion.objects.filter(
        Q(state=Motion.State.COLLECTING) | Q(state=Motion.State.SUPPORTED)
    ).count()
