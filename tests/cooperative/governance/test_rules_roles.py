"""Every governance permission for every role: anonymous, citizen (not a member), member,
representative of a member organisation, board member (not a member), platform admin.

The platform admin has no governance power (docs/roles-and-permissions.md); the checks
ask `rules` without Django's superuser shortcut."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cooperative import permissions
from cooperative.governance.models import Ballot, RuleDocument
from cooperative.mandates.services import mandate_grant
from tests.cooperative.governance.helpers import (
    board_member,
    end_ballot,
    member_of,
    open_ballot,
    representative_of_member_organisation,
    supported_motion,
)
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "citizen", "member", "representative", "board", "admin")
ALL = set(ROLES)
MEMBERS = {"member", "representative"}
MEMBERS_AND_BOARD = MEMBERS | {"board"}
BOARD = {"board"}

# permission, object key, roles allowed
MATRIX = [
    ("cooperative_governance.view_ruledocument", "document", ALL),
    ("cooperative_governance.found_ruledocument", "empty_document", BOARD),
    ("cooperative_governance.found_ruledocument", "document", set()),
    ("cooperative_membership.apply_member", None, {"citizen", "representative", "board", "admin"}),
    ("cooperative_membership.apply_for_organisation", "other_organisation", set()),
    ("cooperative_membership.apply_for_organisation", "organisation", {"representative"}),
    ("cooperative_membership.decide_member", None, BOARD),
    ("cooperative_membership.exclude_member", "membership", BOARD),
    ("cooperative_membership.resign_member", "membership", {"member"}),
    ("cooperative_membership.resign_member", "organisation_membership", {"representative"}),
    ("cooperative_membership.view_register", None, BOARD),
    ("cooperative_membership.export_register", None, BOARD),
    ("cooperative_governance.view_motion", "collecting", MEMBERS_AND_BOARD),
    ("cooperative_governance.add_motion", None, MEMBERS),
    ("cooperative_governance.support_motion", "collecting", MEMBERS),
    ("cooperative_governance.support_motion", "finished_motion", set()),
    ("cooperative_governance.comment_motion", "collecting", MEMBERS),
    ("cooperative_governance.comment_motion", "finished_motion", set()),
    ("cooperative_governance.amend_motion", "collecting", MEMBERS),
    ("cooperative_governance.amend_motion", "finished_motion", set()),
    ("cooperative_governance.schedule_ballot", "supported", BOARD),
    ("cooperative_governance.schedule_ballot", "collecting", set()),
    ("cooperative_governance.view_ballot", "open_ballot", MEMBERS_AND_BOARD),
    ("cooperative_governance.vote_ballot", "open_ballot", MEMBERS),
    ("cooperative_governance.vote_ballot", "finished_ballot", set()),
    ("cooperative_governance.grant_proxy", "open_ballot", MEMBERS),
    ("cooperative_governance.grant_proxy", "finished_ballot", set()),
    ("cooperative_governance.view_interim_ballot", "open_ballot", MEMBERS_AND_BOARD),
    ("cooperative_governance.view_interim_ballot", "secret_ballot", set()),
    ("cooperative_governance.view_minutes_ballot", "finished_ballot", MEMBERS_AND_BOARD),
    ("cooperative_governance.view_minutes_ballot", "open_ballot", set()),
    ("cooperative_mandates.view_moderationmandate", None, ALL),
    ("cooperative_mandates.add_moderationmandate", None, BOARD),
    ("cooperative_mandates.revoke_moderationmandate", "mandate", BOARD),
    ("cooperative_audit.view_auditevent", None, ALL),
    ("cooperative_audit.view_private_auditevent", None, BOARD),
]


@pytest.fixture
def world(settings):
    settings.GOVERNANCE_MOTION_SUPPORTERS = 2
    board = board_member()
    member = member_of(board=board)
    representative, organisation_membership = representative_of_member_organisation(board=board)
    others = [member_of(board=board) for _ in range(3)]
    admin = UserFactory(is_superuser=True, is_staff=True)
    collecting = supported_motion(others[0], [])
    supported = supported_motion(others[1], [others[2]], body="Zweite Fassung.")
    finished_motion = supported_motion(others[2], [others[0]], body="Dritte Fassung.")
    finished_ballot = end_ballot(open_ballot(finished_motion))
    open_motion = supported_motion(others[0], [others[1]], body="Vierte Fassung.")
    secret_motion = supported_motion(others[1], [others[0]], body="Fünfte Fassung.")
    now = timezone.now()
    objects = {
        None: None,
        "document": collecting.document,
        "empty_document": RuleDocument.objects.create(slug="leer", title="Leer"),
        "organisation": organisation_membership.organisation,
        "other_organisation": OrganisationFactory(),
        "membership": member,
        "organisation_membership": organisation_membership,
        "collecting": collecting,
        "supported": supported,
        "finished_motion": finished_motion,
        "open_ballot": open_ballot(open_motion, interim_visible=True),
        "secret_ballot": open_ballot(secret_motion, secret=True),
        "finished_ballot": finished_ballot,
        "mandate": mandate_grant(
            by=board, holder_member=others[0], scope="platform", valid_from=now - timedelta(1)
        ),
    }
    for obj in objects.values():
        if obj is not None:
            obj.refresh_from_db()
    assert finished_ballot.state in (Ballot.State.ENACTED, Ballot.State.REJECTED)
    users = {
        "anonymous": AnonymousUser(),
        "citizen": UserFactory(),
        "member": member.user,
        "representative": representative,
        "board": board,
        "admin": admin,
    }
    return users, objects


@pytest.mark.parametrize("role", ROLES)
def test_every_governance_permission_for_every_role(world, role):
    users, objects = world
    user = users[role]
    wrong = []
    for permission, key, allowed in MATRIX:
        expected = role in allowed
        if permissions.allowed(user, permission, objects[key]) != expected:
            wrong.append(f"{permission} on {key}: expected {expected}")
    assert wrong == []
