"""Moderation mandates: granting, revoking, the public list and the API other apps call."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cooperative.audit.models import AuditEvent
from cooperative.mandates.selectors import mandates_current, mandates_for_user, user_has_mandate
from cooperative.mandates.services import mandate_grant, mandate_revoke
from cooperative.membership.services import membership_resign
from cooperative.organisations.models import OrganisationRole
from tests.cooperative.governance.helpers import board_member, member_of
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages_in_english():
    """These tests read the services' messages as written (the msgids); the German
    catalogue has its own checks (tests/test_i18n.py)."""
    with translation.override("en"):
        yield


@pytest.fixture
def board():
    return board_member()


def test_a_members_platform_mandate_covers_everything_while_valid(board):
    member = member_of(board=board)
    now = timezone.now()
    mandate = mandate_grant(
        by=board,
        holder_member=member,
        scope="platform",
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=30),
    )
    town = OrganisationFactory()
    assert user_has_mandate(member.user)
    assert user_has_mandate(member.user, organisation=town, tags=["verkehr"])
    assert not user_has_mandate(member.user, at=now + timedelta(days=31))
    assert not user_has_mandate(member.user, at=now - timedelta(days=2))
    assert list(mandates_for_user(member.user)) == [mandate]
    assert not user_has_mandate(UserFactory())
    mandate_revoke(mandate=mandate, by=board, reason="Amtszeit beendet")
    assert not user_has_mandate(member.user)
    assert user_has_mandate(member.user, at=now)  # it was valid then
    assert list(mandates_current()) == []
    assert AuditEvent.objects.filter(kind="mandate.revoked").count() == 1
    # Revoking twice changes nothing.
    mandate_revoke(mandate=mandate, by=board, reason="noch einmal")
    assert AuditEvent.objects.filter(kind="mandate.revoked").count() == 1


def test_organisation_and_topic_scopes(board):
    town, county = OrganisationFactory(), OrganisationFactory()
    member = member_of(board=board)
    now = timezone.now()
    mandate_grant(
        by=board,
        holder_member=member,
        scope="organisation",
        scope_organisation=town,
        valid_from=now,
    )
    mandate_grant(by=board, holder_member=member, scope="tag", scope_tag="Verkehr", valid_from=now)
    assert user_has_mandate(member.user, organisation=town)
    assert user_has_mandate(member.user, organisation=town.pk)
    assert not user_has_mandate(member.user, organisation=county)
    assert user_has_mandate(member.user, organisation=county, tags=["verkehr", "klima"])
    assert not user_has_mandate(member.user, organisation=county, tags=["klima"])
    assert not user_has_mandate(member.user)  # no platform mandate


def test_an_organisations_mandate_is_held_by_its_moderators_and_representatives(board):
    holder = OrganisationFactory()
    moderator, representative, editor = UserFactory(), UserFactory(), UserFactory()
    for user, role in (
        (moderator, "moderator"),
        (representative, "representative"),
        (editor, "editor"),
    ):
        OrganisationRole.objects.create(user=user, organisation=holder, role=role)
    mandate_grant(by=board, holder_organisation=holder, scope="platform", valid_from=timezone.now())
    assert user_has_mandate(moderator)
    assert user_has_mandate(representative)
    assert not user_has_mandate(editor)


def test_a_mandate_lapses_with_the_membership(board):
    member = member_of(board=board)
    now = timezone.now()
    mandate_grant(by=board, holder_member=member, scope="platform", valid_from=now)
    leaving = timezone.localdate() + timedelta(days=10)
    membership_resign(member=member, by=member.user, effective_on=leaving)
    assert user_has_mandate(member.user)
    assert not user_has_mandate(member.user, at=now + timedelta(days=11))


def test_invalid_mandates_are_refused(board):
    member = member_of(board=board)
    now = timezone.now()
    with pytest.raises(ValidationError, match="either a member or an organisation"):
        mandate_grant(by=board, scope="platform", valid_from=now)
    with pytest.raises(ValidationError, match="organisation whose consultations"):
        mandate_grant(by=board, holder_member=member, scope="organisation", valid_from=now)
    with pytest.raises(ValidationError, match="topic tag"):
        mandate_grant(by=board, holder_member=member, scope="tag", valid_from=now)
    with pytest.raises(ValidationError, match="end after it begins"):
        mandate_grant(
            by=board, holder_member=member, scope="platform", valid_from=now, valid_until=now
        )
    with pytest.raises(ValidationError, match="reason"):
        mandate_revoke(
            mandate=mandate_grant(by=board, holder_member=member, scope="platform", valid_from=now),
            by=board,
            reason=" ",
        )


def test_a_mandate_granted_by_an_adopted_ballot(board):
    from tests.cooperative.governance.helpers import end_ballot, open_ballot, supported_motion

    members = [member_of(board=board) for _ in range(3)]
    ballot = open_ballot(supported_motion(members[0], members[1:]))
    with pytest.raises(ValidationError, match="adopted ballot"):
        mandate_grant(
            by=board,
            holder_member=members[0],
            scope="platform",
            valid_from=timezone.now(),
            ballot=ballot,
        )
    from cooperative.governance.services import ballot_vote_cast

    for member in members:
        ballot_vote_cast(user=member.user, ballot=ballot, member=member, choice="yes")
    ballot = end_ballot(ballot)
    mandate = mandate_grant(
        by=board,
        holder_member=members[0],
        scope="platform",
        valid_from=timezone.now(),
        ballot=ballot,
    )
    assert mandate.granted_by_ballot == ballot
    event = AuditEvent.objects.filter(kind="mandate.granted").last()
    assert event.public["ballot"] == ballot.pk
