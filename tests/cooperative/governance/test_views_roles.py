"""Every governance page for every role over HTTP: anonymous visitors are asked to log in,
others without the permission get 403."""

import pytest
from django.urls import reverse

from tests.cooperative.governance.helpers import (
    board_member,
    member_of,
    open_ballot,
    representative_of_member_organisation,
    supported_motion,
)
from tests.factories import UserFactory, log_in_with_second_factor

pytestmark = pytest.mark.django_db

LOGIN = "login"
ROLES = ("anonymous", "citizen", "member", "representative", "board", "admin")


@pytest.fixture
def world(settings):
    settings.GOVERNANCE_MOTION_SUPPORTERS = 2
    board = board_member()
    member = member_of(board=board)
    representative, _org_member = representative_of_member_organisation(board=board)
    other = member_of(board=board)
    motion = supported_motion(other, [member])
    ballot = open_ballot(motion)
    users = {
        "anonymous": None,
        "citizen": UserFactory(),
        "member": member.user,
        "representative": representative,
        "board": board,
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    return users, motion, ballot


def pages(motion, ballot):
    members_and_board = {"member": 200, "representative": 200, "board": 200}
    return [
        (reverse("cooperative_home"), dict.fromkeys(ROLES, 200)),
        (reverse("rule_document", args=["netiquette"]), dict.fromkeys(ROLES, 200)),
        (reverse("mandate_list"), dict.fromkeys(ROLES, 200)),
        (reverse("audit_log"), dict.fromkeys(ROLES, 200)),
        (reverse("motion_list"), members_and_board),
        (reverse("motion_detail", args=[motion.pk]), members_and_board),
        (reverse("ballot_detail", args=[ballot.pk]), members_and_board),
        (reverse("motion_create"), {"member": 200, "representative": 200}),
        (reverse("motion_amend", args=[motion.pk]), {}),  # supported: the ballot is scheduled
        (reverse("ballot_create", args=[motion.pk]), {}),  # already scheduled
        (reverse("member_register"), {"board": 200}),
        (reverse("member_register_csv"), {"board": 200}),
        (reverse("mandate_create"), {"board": 200}),
        (
            reverse("membership_mine"),
            dict.fromkeys(("citizen", "member", "representative", "board", "admin"), 200),
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_every_role(client, world, role):
    users, motion, ballot = world
    if users[role] is not None:
        log_in_with_second_factor(client, users[role])  # the board acts with it
    wrong = []
    for url, allowed in pages(motion, ballot):
        expected = allowed.get(role, 302 if role == "anonymous" else 403)
        status = client.get(url).status_code
        if status != expected:
            wrong.append(f"{url}: {status}, expected {expected}")
    assert wrong == []


@pytest.mark.parametrize("role", ("anonymous", "citizen", "admin", "board"))
def test_who_is_no_member_cannot_vote_or_give_a_proxy(client, world, role):
    users, _motion, ballot = world
    if users[role] is not None:
        client.force_login(users[role])
    vote = client.post(reverse("ballot_vote", args=[ballot.pk]), {"choice": "yes", "member": 1})
    proxy = client.post(reverse("ballot_proxy", args=[ballot.pk]), {"principal": 1, "holder": 2})
    expected = 302 if role == "anonymous" else 403
    assert (vote.status_code, proxy.status_code) == (expected, expected)
    assert ballot.votes.count() == 0
