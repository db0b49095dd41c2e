"""Rules, motions, ballots, votes and proxies.

A ballot is a state machine: draft → scheduled → open → closed → enacted | rejected.
Each handler (`ballot_schedule`, `ballot_open`, `ballot_close`, `ballot_tally`) locks the
ballot row, does nothing when the ballot is already past its state, and may therefore run
any number of times, from a view, the task worker or `manage.py governance_advance`.

Votes and closing meet at an advisory lock per ballot (as polls do): a vote holds it
shared while it is written, closing takes it exclusively. A vote is in before the close
or refused after it. One member, one vote (GenG §43(3)) is a unique constraint on
(ballot, member), in open and secret ballots alike; proxies write the same row, so a
member voted for cannot vote in person, nor the other way round.
"""

from __future__ import annotations

import hashlib
import logging
import random
import secrets
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperative.audit.services import audit_record
from cooperative.governance.majority import (
    ballot_outcome,
    groups_disclosable,
    result_without_groups,
)
from cooperative.governance.models import (
    Ballot,
    BallotEligibility,
    Choice,
    Motion,
    MotionComment,
    MotionSupport,
    Proxy,
    RuleDocument,
    RuleVersion,
    SecretChoice,
    SecretParticipation,
    Vote,
)
from cooperative.governance.receipts import receipt_hash
from cooperative.governance.selectors import rule_version_in_force
from cooperative.membership.models import Member
from cooperative.membership.selectors import members_on

logger = logging.getLogger(__name__)

BALLOT_LOCK_SPACE = 7403
PROXY_LOCK_SPACE = 7404
MAX_PRINCIPALS = 2  # GenG §43(5)


class VoteRefused(ValidationError):
    """A vote that is not taken, with a message for the member."""


def _plain(text: str) -> str:
    """Members' text is stored as plain text: every tag is removed."""
    return nh3.clean(text or "", tags=set()).strip()


def _advisory(space: int, key: int, *, shared: bool = False) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite runs one writing transaction at a time
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [space, key])


# --- rule documents -------------------------------------------------------------------


def rule_version_publish(
    *,
    document: RuleDocument,
    body: str,
    in_force_from: datetime,
    summary: str = "",
    motion: Motion | None = None,
) -> RuleVersion:
    """A new version of a rule document, in force from the given moment."""
    with transaction.atomic():
        RuleDocument.objects.select_for_update().get(pk=document.pk)
        number = (document.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = RuleVersion.objects.create(
            document=document,
            number=number,
            body=_plain(body),
            summary=summary,
            in_force_from=in_force_from,
            motion=motion,
        )
        audit_record(
            kind="rules.version_adopted",
            obj=version,
            public={
                "document": document.slug,
                "version": number,
                "in_force_from": in_force_from.isoformat(),
                "motion": motion.pk if motion else None,
                "text_sha256": hashlib.sha256(version.body.encode()).hexdigest(),
            },
        )
        if in_force_from <= timezone.now():
            _record_in_force(version)
        else:
            transaction.on_commit(lambda: _schedule_activation(in_force_from))
    return version


def _schedule_activation(at: datetime) -> None:
    # The tasks wrap these services (tasks.py imports this module); a service reaches its
    # task only when it enqueues one after commit.
    from cooperative.governance.tasks import rule_versions_activate_task

    if rule_versions_activate_task.get_backend().supports_defer:
        rule_versions_activate_task.using(run_after=at).enqueue()
    # Otherwise `manage.py governance_advance` (run every minute) records it.


def _record_in_force(version: RuleVersion) -> None:
    version.in_force_recorded_at = timezone.now()
    version.save(update_fields=["in_force_recorded_at"])
    audit_record(
        kind="rules.version_in_force",
        obj=version,
        public={
            "document": version.document.slug,
            "version": version.number,
            "in_force_from": version.in_force_from.isoformat(),
        },
    )


def rule_versions_activate(*, now: datetime | None = None) -> int:
    """Record every version whose effective date has come (idempotent). The version is in
    force by its date in any case; this writes the act to the audit log once."""
    now = now or timezone.now()
    done = 0
    with transaction.atomic():
        due = (
            RuleVersion.objects.select_for_update(skip_locked=True)
            .filter(in_force_recorded_at__isnull=True, in_force_from__lte=now)
            .select_related("document")
            .order_by("in_force_from")
        )
        for version in due:
            _record_in_force(version)
            done += 1
    return done


# --- motions --------------------------------------------------------------------------


def _supporters_needed() -> int:
    return int(getattr(settings, "GOVERNANCE_MOTION_SUPPORTERS", 3))


def secret_group_min_voters() -> int:
    """Voters a member group needs before its count in a secret ballot is published
    (`cooperative.governance.majority.group_count_disclosable` says why)."""
    return int(getattr(settings, "GOVERNANCE_SECRET_GROUP_MIN_VOTERS", 5))


def motion_submit(
    *,
    member: Member,
    user,
    document: RuleDocument,
    title: str,
    rationale: str,
    proposed_body: str,
    amends: Motion | None = None,
) -> Motion:
    if amends is not None:
        if amends.amends_id is not None:
            raise ValidationError(_("An amendment cannot itself be amended."), code="nested")
        if amends.state not in (Motion.State.COLLECTING, Motion.State.SUPPORTED):
            raise ValidationError(
                _("Amendments are possible only until the ballot is scheduled."), code="state"
            )
        document = amends.document
    base = rule_version_in_force(document.slug)
    body = _plain(proposed_body)
    if base is not None and body == base.body:
        raise ValidationError(
            _("The proposed text is the same as the version in force."), code="unchanged"
        )
    with transaction.atomic():
        motion = Motion.objects.create(
            document=document,
            amends=amends,
            base_version=base,
            title=title.strip(),
            rationale=_plain(rationale),
            proposed_body=body,
            proposer=member,
            submitted_by=user,
        )
        audit_record(
            kind="motion.amendment_submitted" if amends else "motion.submitted",
            obj=motion,
            public={
                "document": document.slug,
                "title": motion.title,
                "amends": amends.pk if amends else None,
            },
            private={"proposer": member.number},
        )
        _support(motion=motion, member=member)
    return motion


def _support(*, motion: Motion, member: Member) -> None:
    MotionSupport.objects.create(motion=motion, member=member)
    count = motion.supports.count()
    if motion.state == Motion.State.COLLECTING and count >= _supporters_needed():
        motion.state = Motion.State.SUPPORTED
        motion.save(update_fields=["state"])
        audit_record(kind="motion.supported", obj=motion, public={"supporters": count})


def motion_support(*, motion: Motion, member: Member) -> Motion:
    try:
        with transaction.atomic():
            motion = Motion.objects.select_for_update().get(pk=motion.pk)
            if motion.state not in (Motion.State.COLLECTING, Motion.State.SUPPORTED):
                raise ValidationError(_("This motion no longer collects support."), code="state")
            _support(motion=motion, member=member)
    except IntegrityError as error:
        raise ValidationError(_("You already support this motion."), code="duplicate") from error
    return motion


def motion_comment_add(*, motion: Motion, member: Member, user, body: str) -> MotionComment:
    text = _plain(body)
    if not text:
        raise ValidationError(_("Please write a contribution."), code="empty")
    if len(text) > 5000:
        raise ValidationError(_("A contribution can be at most 5000 characters long."))
    return MotionComment.objects.create(motion=motion, member=member, author=user, body=text)


# --- ballots --------------------------------------------------------------------------


def ballot_create(
    *,
    motion: Motion,
    by,
    opens_at: datetime,
    closes_at: datetime,
    majority: str = "simple",
    quorum_percent: int = 0,
    majority_in_every_group: bool = False,
    secret: bool = False,
    interim_visible: bool = False,
    effective_at: datetime | None = None,
    schedule: bool = True,
) -> Ballot:
    """The board sets up the ballot on a supported motion (as draft or scheduled)."""
    if closes_at <= opens_at:
        raise ValidationError(_("The ballot must close after it opens."), code="window")
    if effective_at is not None and effective_at < closes_at:
        raise ValidationError(
            _("The new version can come into force only after the ballot closes."), code="date"
        )
    if secret and interim_visible:
        raise ValidationError(_("A secret ballot shows no interim tally."), code="interim_secret")
    with transaction.atomic():
        motion = Motion.objects.select_for_update().get(pk=motion.pk)
        if motion.state != Motion.State.SUPPORTED:
            raise ValidationError(
                _("Only a motion with enough supporting members can be put to the vote."),
                code="state",
            )
        latest = motion.document.versions.order_by("-number").first()
        if latest is not None and motion.base_version_id != latest.pk:
            raise ValidationError(
                _(
                    "The rule document has changed since this motion was made; its text "
                    "would undo that change. Please propose the motion again on the new version."
                ),
                code="outdated",
            )
        # Amendments are voted first: every amendment still in play must close before.
        for amendment in motion.amendments.exclude(state=Motion.State.REJECTED):
            if amendment.state == Motion.State.ADOPTED:
                continue
            ballot = amendment.ballots.exclude(state=Ballot.State.DRAFT).first()
            if ballot is None or ballot.closes_at > opens_at:
                raise ValidationError(
                    _(
                        "Amendments are voted first: schedule the ballot on “%(title)s” "
                        "to close before this one opens, or it cannot go ahead."
                    )
                    % {"title": amendment.title},
                    code="amendments_first",
                )
        ballot = Ballot.objects.create(
            motion=motion,
            opens_at=opens_at,
            closes_at=closes_at,
            majority=majority,
            quorum_percent=quorum_percent,
            majority_in_every_group=majority_in_every_group,
            secret=secret,
            interim_visible=interim_visible,
            effective_at=effective_at,
            scheduled_by=by,
        )
        audit_record(kind="ballot.created", obj=ballot, public=_ballot_public(ballot))
        if schedule:
            ballot_schedule(ballot=ballot)
    return ballot


def _ballot_public(ballot: Ballot) -> dict:
    return {
        "motion": ballot.motion_id,
        "state": ballot.state,
        "opens_at": ballot.opens_at.isoformat(),
        "closes_at": ballot.closes_at.isoformat(),
        "majority": ballot.majority,
        "quorum_percent": ballot.quorum_percent,
        "majority_in_every_group": ballot.majority_in_every_group,
        "secret": ballot.secret,
    }


def _transition(ballot: Ballot, state: str, **extra) -> None:
    previous = ballot.state
    ballot.state = state
    for name, value in extra.items():
        setattr(ballot, name, value)
    ballot.save(update_fields=["state", *extra])
    audit_record(
        kind=f"ballot.{state}",
        obj=ballot,
        public={"motion": ballot.motion_id, "from": previous, "to": state},
    )


def _locked_ballot(ballot: Ballot | int) -> Ballot:
    pk = ballot if isinstance(ballot, int) else ballot.pk
    return Ballot.objects.select_for_update().select_related("motion").get(pk=pk)


def ballot_schedule(*, ballot: Ballot) -> Ballot:
    with transaction.atomic():
        ballot = _locked_ballot(ballot)
        if ballot.state != Ballot.State.DRAFT:
            return ballot
        _transition(ballot, Ballot.State.SCHEDULED)
        Motion.objects.filter(pk=ballot.motion_id).update(state=Motion.State.SCHEDULED)
    return ballot


def ballot_open(*, ballot: Ballot, now: datetime | None = None) -> Ballot:
    """Open a scheduled ballot whose time has come; fixes who may vote from the register."""
    now = now or timezone.now()
    with transaction.atomic():
        ballot = _locked_ballot(ballot)
        if ballot.state != Ballot.State.SCHEDULED or now < ballot.opens_at:
            return ballot
        motion = ballot.motion
        if motion.amends_id is None:
            # An adopted amendment has replaced the text; take the wording voted on now.
            motion.refresh_from_db(fields=["proposed_body"])
        eligible = [
            BallotEligibility(ballot=ballot, member=m, member_group=m.member_group)
            for m in members_on(timezone.localdate(now)).only("pk", "member_group")
        ]
        BallotEligibility.objects.bulk_create(eligible, batch_size=1000)
        _transition(ballot, Ballot.State.OPEN, opened_at=now)
        audit_record(
            kind="ballot.eligibility_fixed",
            obj=ballot,
            public={"eligible": len(eligible), "text_sha256": _sha(motion.proposed_body)},
        )
    return ballot


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class CastVote:
    member: Member
    choice: str
    receipt: str = ""  # secret ballots only: the code the voter keeps


def _refused_duplicate(ballot: Ballot, member: Member, user) -> VoteRefused:
    model = SecretParticipation if ballot.secret else Vote
    existing = model.objects.filter(ballot=ballot, member=member).first()
    if existing is not None and existing.by_proxy_id is not None and member.user_id == user.pk:
        return VoteRefused(
            _("Your proxy holder has already voted for you in this ballot."), code="duplicate"
        )
    if existing is not None and existing.by_proxy_id is None and member.user_id != user.pk:
        return VoteRefused(
            _("Member %(number)s has already voted in person; you cannot also vote for them.")
            % {"number": member.number},
            code="duplicate",
        )
    return VoteRefused(
        _("A vote has already been cast for member %(number)s in this ballot.")
        % {"number": member.number},
        code="duplicate",
    )


def ballot_vote_cast(
    *,
    user,
    ballot: Ballot,
    member: Member,
    choice: str,
    proxy: Proxy | None = None,
    at: datetime | None = None,
) -> CastVote:
    """Cast the vote of `member`: the user acts as that member, or as its proxy holder
    (then `proxy` is the Vollmacht). The permission check has made sure the user may.
    `at` (the moment of voting) is for replaying a finished ballot, as the demo does."""
    if choice not in Choice.values:
        raise VoteRefused(_("Please choose yes, no or abstain."), code="invalid")
    if proxy is not None and (proxy.principal_id != member.pk or proxy.ballot_id != ballot.pk):
        raise VoteRefused(_("This proxy does not cover that member."), code="proxy")
    receipt = ""
    try:
        with transaction.atomic():
            _advisory(BALLOT_LOCK_SPACE, ballot.pk, shared=True)
            state, closes_at = Ballot.objects.filter(pk=ballot.pk).values_list(
                "state", "closes_at"
            )[0]
            if state != Ballot.State.OPEN or (at or timezone.now()) >= closes_at:
                raise VoteRefused(
                    _("This ballot is not open; votes can no longer be cast."), code="closed"
                )
            # The proxy row is locked, so a revocation waits for this vote or refuses it.
            if (
                proxy is not None
                and not Proxy.objects.select_for_update().filter(pk=proxy.pk).exists()
            ):
                raise VoteRefused(_("This proxy has been revoked."), code="proxy")
            eligibility = (
                BallotEligibility.objects.filter(ballot=ballot, member=member)
                .values_list("member_group", flat=True)
                .first()
            )
            if eligibility is None:
                raise VoteRefused(
                    _("Member %(number)s was not a member when this ballot opened.")
                    % {"number": member.number},
                    code="not_eligible",
                )
            if ballot.secret:
                SecretParticipation.objects.create(ballot=ballot, member=member, by_proxy=proxy)
                receipt = secrets.token_hex(10)
                SecretChoice.objects.create(
                    ballot=ballot,
                    member_group=eligibility,
                    choice=choice,
                    receipt_hash=receipt_hash(ballot.pk, receipt),
                )
                private: dict[str, object] = {
                    "member_number": member.number,
                    "by_proxy": proxy is not None,
                }
            else:
                Vote.objects.create(
                    ballot=ballot,
                    member=member,
                    member_group=eligibility,
                    choice=choice,
                    cast_by=user,
                    by_proxy=proxy,
                )
                private = {
                    "member_number": member.number,
                    "choice": choice,
                    "by_proxy": proxy is not None,
                }
            audit_record(
                kind="ballot.vote_cast", obj=ballot, public={"ballot": ballot.pk}, private=private
            )
    except IntegrityError:
        raise _refused_duplicate(ballot, member, user) from None
    return CastVote(member=member, choice=choice, receipt=receipt)


def proxy_grant(*, ballot: Ballot, principal: Member, holder: Member, by) -> Proxy:
    """Vollmacht for one ballot. A holder represents at most two members (GenG §43(5))."""
    if principal.pk == holder.pk:
        raise ValidationError(_("You cannot authorise yourself."), code="self")
    if ballot.state not in (Ballot.State.SCHEDULED, Ballot.State.OPEN):
        raise ValidationError(
            _("A proxy can be given only before or during the ballot."), code="state"
        )
    if not members_on().filter(pk=holder.pk).exists():
        raise ValidationError(_("The proxy holder must be a member."), code="holder")
    try:
        with transaction.atomic():
            _advisory(PROXY_LOCK_SPACE, holder.pk)
            model: type[Vote] | type[SecretParticipation] = (
                SecretParticipation if ballot.secret else Vote
            )
            if model.objects.filter(ballot=ballot, member=principal).exists():
                raise ValidationError(
                    _("You have already voted in this ballot; a proxy is no longer possible."),
                    code="voted",
                )
            held = Proxy.objects.select_for_update().filter(ballot=ballot, holder=holder)
            if len(held) >= MAX_PRINCIPALS:
                raise ValidationError(
                    _("Member %(number)s already represents two members in this ballot.")
                    % {"number": holder.number},
                    code="holder_full",
                )
            proxy = Proxy.objects.create(
                ballot=ballot, principal=principal, holder=holder, granted_by=by
            )
            audit_record(
                kind="ballot.proxy_granted",
                obj=ballot,
                public={"ballot": ballot.pk},
                private={"principal": principal.number, "holder": holder.number},
            )
    except IntegrityError as error:
        raise ValidationError(
            _("You have already given a proxy for this ballot."), code="duplicate"
        ) from error
    return proxy


def proxy_revoke(*, proxy: Proxy, by) -> None:
    """The principal takes the Vollmacht back, as long as nobody has voted for them."""
    with transaction.atomic():
        locked = Proxy.objects.select_for_update().filter(pk=proxy.pk).first()
        if locked is None:
            return
        ballot = locked.ballot
        model: type[Vote] | type[SecretParticipation] = (
            SecretParticipation if ballot.secret else Vote
        )
        if model.objects.filter(ballot=ballot, member_id=locked.principal_id).exists():
            raise ValidationError(
                _("A vote has already been cast for you; the proxy can no longer be revoked."),
                code="voted",
            )
        if ballot.state not in (Ballot.State.SCHEDULED, Ballot.State.OPEN):
            raise ValidationError(_("The ballot is over."), code="state")
        audit_record(
            kind="ballot.proxy_revoked",
            obj=ballot,
            public={"ballot": ballot.pk},
            private={"principal": locked.principal.number, "holder": locked.holder.number},
        )
        locked.delete()


def ballot_close(*, ballot: Ballot, now: datetime | None = None) -> Ballot:
    """Close an open ballot whose time is up; waits for votes being written and refuses
    those after it. The tally runs as a background task."""
    now = now or timezone.now()
    with transaction.atomic():
        _advisory(BALLOT_LOCK_SPACE, ballot.pk)
        ballot = _locked_ballot(ballot)
        if ballot.state != Ballot.State.OPEN or now < ballot.closes_at:
            return ballot
        _transition(ballot, Ballot.State.CLOSED, closed_at=now)
        ballot_id = ballot.pk
        transaction.on_commit(lambda: _enqueue_tally(ballot_id))
    return ballot


def _enqueue_tally(ballot_id: int) -> None:
    # The tasks wrap these services (tasks.py imports this module); a service reaches its
    # task only when it enqueues one after commit.
    from cooperative.governance.tasks import ballot_tally_task

    ballot_tally_task.enqueue(ballot_id=ballot_id)


def ballot_count(ballot: Ballot):
    """Count a closed ballot from the stored votes (the tally stores this once)."""
    model: type[Vote] | type[SecretChoice] = SecretChoice if ballot.secret else Vote
    pairs: list[tuple[str, str]] = list(
        model.objects.filter(ballot=ballot).values_list("member_group", "choice")
    )
    return ballot_outcome(
        pairs,
        eligible=BallotEligibility.objects.filter(ballot=ballot).count(),
        majority=ballot.majority,
        quorum=Fraction(ballot.quorum_percent, 100),
        every_group=ballot.majority_in_every_group,
    )


def _shuffle_secret_choices(ballot: Ballot) -> None:
    """Write the choice rows anew in random order, so their physical order in the table
    (which follows the order of writing) no longer matches the order of participation."""
    rows = list(
        SecretChoice.objects.filter(ballot=ballot).values(
            "id", "member_group", "choice", "receipt_hash"
        )
    )
    random.SystemRandom().shuffle(rows)
    SecretChoice.objects.filter(ballot=ballot).delete()
    SecretChoice.objects.bulk_create(
        [SecretChoice(ballot=ballot, **row) for row in rows], batch_size=1000
    )


def ballot_tally(*, ballot: Ballot | int) -> Ballot:
    """Count, publish result and minutes, and enact an adopted motion. Idempotent."""
    with transaction.atomic():
        _advisory(BALLOT_LOCK_SPACE, ballot if isinstance(ballot, int) else ballot.pk)
        ballot = _locked_ballot(ballot)
        if ballot.state != Ballot.State.CLOSED:
            return ballot
        if ballot.secret:
            _shuffle_secret_choices(ballot)
        outcome = ballot_count(ballot)
        now = timezone.now()
        motion = ballot.motion
        full = outcome.as_dict()
        disclosable = groups_disclosable(outcome.groups, secret_group_min_voters())
        published = full if disclosable else result_without_groups(full)
        # Members read the stored result; for a secret ballot it never holds a group count
        # that could give a vote away. An open ballot's minutes name every vote anyway.
        ballot.result = published if ballot.secret else full
        ballot.minutes = _minutes(ballot, outcome)
        ballot.tallied_at = now
        adopted = outcome.adopted
        _transition(
            ballot,
            Ballot.State.ENACTED if adopted else Ballot.State.REJECTED,
            result=ballot.result,
            minutes=ballot.minutes,
            tallied_at=now,
        )
        # The public log never shows group counts that could give a vote away; an open
        # ballot's full counts are bound into the chain privately (the minutes have them).
        audit_record(
            kind="ballot.result",
            obj=ballot,
            public=published,
            private={}
            if disclosable or ballot.secret
            else {"groups": full["groups"], "groups_met": full["groups_met"]},
        )
        motion.state = Motion.State.ADOPTED if adopted else Motion.State.REJECTED
        motion.save(update_fields=["state"])
        if adopted:
            _enact(ballot, motion)
    return ballot


def _enact(ballot: Ballot, motion: Motion) -> None:
    if motion.amends_id is not None:
        # An adopted amendment becomes the wording of the motion it amends.
        parent = Motion.objects.select_for_update().get(pk=motion.amends_id)
        parent.proposed_body = motion.proposed_body
        parent.save(update_fields=["proposed_body"])
        audit_record(
            kind="motion.amended",
            obj=parent,
            public={"amendment": motion.pk, "text_sha256": _sha(parent.proposed_body)},
        )
        return
    rule_version_publish(
        document=motion.document,
        body=motion.proposed_body,
        summary=motion.title,
        in_force_from=ballot.effective_at or ballot.closed_at or timezone.now(),
        motion=motion,
    )


def _minutes(ballot: Ballot, outcome) -> dict:
    """Protokoll (GenG §47): date, form, subject, result and finding; for an open ballot
    also how each member voted."""
    if outcome.adopted:
        finding = "adopted"
    elif not outcome.quorum_met:
        finding = "rejected_quorum"
    elif not outcome.majority_met:
        finding = "rejected_majority"
    else:
        finding = "rejected_group"
    minutes: dict = {
        "opened_at": ballot.opened_at.isoformat() if ballot.opened_at else None,
        "closed_at": ballot.closed_at.isoformat() if ballot.closed_at else None,
        "form": "secret" if ballot.secret else "open",
        "motion": ballot.motion_id,
        "motion_title": ballot.motion.title,
        "text_sha256": _sha(ballot.motion.proposed_body),
        "majority": ballot.majority,
        "quorum_percent": ballot.quorum_percent,
        "finding": finding,
    }
    if not ballot.secret:
        minutes["votes"] = [
            {
                "member_number": number,
                "name": name,
                "choice": choice,
                "by_proxy": by_proxy is not None,
            }
            for number, name, choice, by_proxy in _named_votes(ballot)
        ]
    return minutes


def _named_votes(ballot: Ballot):
    votes = (
        Vote.objects.filter(ballot=ballot)
        .select_related("member__user", "member__organisation")
        .order_by("member__number")
    )
    for vote in votes:
        yield vote.member.number, vote.member.display_name, vote.choice, vote.by_proxy_id


def ballot_advance(*, ballot: Ballot, now: datetime | None = None) -> Ballot:
    """Move one ballot along as far as its times allow (idempotent)."""
    now = now or timezone.now()
    if ballot.state == Ballot.State.SCHEDULED and now >= ballot.opens_at:
        ballot = ballot_open(ballot=ballot, now=now)
    if ballot.state == Ballot.State.OPEN and now >= ballot.closes_at:
        ballot = ballot_close(ballot=ballot, now=now)
    if ballot.state == Ballot.State.CLOSED:
        ballot.refresh_from_db()
    return ballot


def governance_advance(*, now: datetime | None = None) -> dict[str, int]:
    """Every ballot and rule version whose time has come (cron or task worker)."""
    now = now or timezone.now()
    moved = 0
    due = Ballot.objects.filter(
        state__in=[Ballot.State.SCHEDULED, Ballot.State.OPEN], opens_at__lte=now
    )
    for ballot in due:
        before = ballot.state
        if ballot_advance(ballot=ballot, now=now).state != before:
            moved += 1
    stuck = Ballot.objects.filter(state=Ballot.State.CLOSED).values_list("pk", flat=True)
    for ballot_id in stuck:  # a tally task that was lost
        ballot_tally(ballot=ballot_id)
    return {"ballots": moved, "rule_versions": rule_versions_activate(now=now)}
