"""Applying, admission, member numbers, leaving, and the register export (GenG §30)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cooperative.membership.models import Member
from cooperative.membership.selectors import member_register_rows, members_acting_as, members_on
from cooperative.membership.services import (
    membership_admit,
    membership_apply,
    membership_exclude,
    membership_reject,
    membership_resign,
)
from tests.cooperative.governance.helpers import board_member, member_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages_in_english():
    """These tests read the services' messages as written (the msgids); the German
    catalogue has its own checks (tests/test_i18n.py)."""
    with translation.override("en"):
        yield


def apply(user, **kwargs):
    defaults = {
        "member_group": "citizens",
        "shares": 2,
        "legal_name": "Erika Mustermann",
        "address": "Heidestraße 17\n51147 Köln",
    }
    return membership_apply(applied_by=user, **{**defaults, **kwargs})


def test_admission_gives_consecutive_member_numbers():
    board = board_member()
    first = membership_admit(member=apply(UserFactory()), by=board)
    second = membership_admit(member=apply(UserFactory()), by=board)
    assert (first.number, second.number) == (1, 2)
    assert first.joined_on == timezone.localdate()
    with pytest.raises(ValidationError, match="open application"):
        membership_admit(member=first, by=board)


def test_one_open_application_per_person():
    user = UserFactory()
    apply(user)
    with pytest.raises(ValidationError, match="already an application"):
        apply(user)


def test_rejection_and_a_new_application():
    board = board_member()
    user = UserFactory()
    rejected = membership_reject(member=apply(user), by=board, reason="unvollständig")
    assert rejected.status == Member.Status.REJECTED and rejected.number is None
    assert apply(user).status == Member.Status.APPLIED


def test_resignation_and_exclusion_take_effect_on_their_date():
    board = board_member()
    a, b = member_of(board=board), member_of(board=board)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="future date"):
        membership_resign(member=a, by=a.user, effective_on=today)
    membership_resign(member=a, by=a.user, effective_on=today + timedelta(days=30))
    with pytest.raises(ValidationError, match="reason"):
        membership_exclude(member=b, by=board, effective_on=today, reason="")
    membership_exclude(member=b, by=board, effective_on=today + timedelta(days=1), reason="§ 9")
    assert set(members_on(today)) == {a, b}
    assert list(members_on(today + timedelta(days=1))) == [a]
    assert list(members_on(today + timedelta(days=30))) == []
    assert list(members_acting_as(a.user, today + timedelta(days=30))) == []


def test_the_register_lists_name_address_shares_and_dates():
    board = board_member()
    member = membership_admit(member=apply(UserFactory()), by=board)
    membership_resign(
        member=member, by=member.user, effective_on=timezone.localdate() + timedelta(days=5)
    )
    apply(UserFactory())  # an application is not in the register
    rows = member_register_rows()
    assert len(rows) == 1
    number, name, address, _group, shares, joined, left, leaving = rows[0]
    assert (number, name, shares) == ("1", "Erika Mustermann", "2")
    assert address == "Heidestraße 17\n51147 Köln"
    assert joined == timezone.localdate().isoformat()
    assert left == (timezone.localdate() + timedelta(days=5)).isoformat()
    assert leaving
