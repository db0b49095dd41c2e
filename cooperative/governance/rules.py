"""Who may read the rules, propose and support motions, schedule ballots, vote, give a
proxy and read results and minutes. Everyone reads the rules; motions and ballots are the
members' (and the board's) business."""

import rules

from cooperative.accounts.rules import is_board, is_verified
from cooperative.governance.models import Ballot, Motion
from cooperative.membership.rules import is_cooperative_member


@rules.predicate
def motion_collects_support(user, motion) -> bool:
    return motion is not None and motion.state in (
        Motion.State.COLLECTING,
        Motion.State.SUPPORTED,
    )


@rules.predicate
def motion_is_supported(user, motion) -> bool:
    return motion is not None and motion.state == Motion.State.SUPPORTED


@rules.predicate
def motion_is_main(user, motion) -> bool:
    return motion is not None and motion.amends_id is None


@rules.predicate
def motion_in_discussion(user, motion) -> bool:
    return motion is not None and motion.state not in (
        Motion.State.ADOPTED,
        Motion.State.REJECTED,
    )


@rules.predicate
def ballot_is_open(user, ballot) -> bool:
    return ballot is not None and ballot.state == Ballot.State.OPEN


@rules.predicate
def ballot_takes_proxies(user, ballot) -> bool:
    return ballot is not None and ballot.state in (Ballot.State.SCHEDULED, Ballot.State.OPEN)


@rules.predicate
def ballot_is_finished(user, ballot) -> bool:
    return ballot is not None and ballot.is_finished


@rules.predicate
def ballot_shows_interim(user, ballot) -> bool:
    return ballot is not None and ballot.interim_visible and not ballot.secret


@rules.predicate
def document_has_no_version(user, document) -> bool:
    return document is not None and not document.versions.exists()


member = is_verified & is_cooperative_member
member_or_board = is_verified & (is_cooperative_member | is_board)

rules.add_perm("cooperative_governance.view_ruledocument", rules.always_allow)
# The founding version (Gründungsfassung) of a document that has none; every later
# version is adopted by the members' vote.
rules.add_perm("cooperative_governance.found_ruledocument", is_board & document_has_no_version)
rules.add_perm("cooperative_governance.view_motion", member_or_board)
rules.add_perm("cooperative_governance.add_motion", member)
rules.add_perm("cooperative_governance.support_motion", member & motion_collects_support)
rules.add_perm("cooperative_governance.comment_motion", member & motion_in_discussion)
rules.add_perm(
    "cooperative_governance.amend_motion", member & motion_is_main & motion_collects_support
)
rules.add_perm("cooperative_governance.schedule_ballot", is_board & motion_is_supported)
rules.add_perm("cooperative_governance.view_ballot", member_or_board)
rules.add_perm("cooperative_governance.vote_ballot", member & ballot_is_open)
rules.add_perm("cooperative_governance.grant_proxy", member & ballot_takes_proxies)
rules.add_perm(
    "cooperative_governance.view_interim_ballot",
    member_or_board & ballot_is_open & ballot_shows_interim,
)
rules.add_perm("cooperative_governance.view_minutes_ballot", member_or_board & ballot_is_finished)
