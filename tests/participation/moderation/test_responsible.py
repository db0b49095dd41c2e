"""moderators_responsible_for: who is alerted about a consultation (the surge guard asks)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cooperative.mandates.services import mandate_grant, mandate_revoke
from cooperative.organisations.models import OrganisationRole
from participation.moderation.selectors import moderators_responsible_for
from tests.factories import OrganisationFactory, UserFactory
from tests.participation.moderation.helpers import world

pytestmark = pytest.mark.django_db


def test_holders_of_covering_mandates_and_nobody_else():
    w = world()
    town = set(moderators_responsible_for(w.town_consultation))
    assert town == {w.org_mandate, w.tag_mandate, w.platform_mandate}
    other = set(moderators_responsible_for(w.other_consultation))
    assert other == {w.platform_mandate}
    assert set(moderators_responsible_for(None)) == {w.platform_mandate}


def test_an_organisations_appointed_moderators_hold_its_mandate_and_revocation_ends_it():
    w = world()
    holder = OrganisationFactory()
    appointed, editor = UserFactory(), UserFactory()
    OrganisationRole.objects.create(user=appointed, organisation=holder, role="moderator")
    OrganisationRole.objects.create(user=editor, organisation=holder, role="editor")
    mandate = mandate_grant(
        by=w.board,
        holder_organisation=holder,
        scope="tag",
        scope_tag="klima",
        valid_from=timezone.now() - timedelta(minutes=1),
    )
    assert set(moderators_responsible_for(w.other_consultation)) == {w.platform_mandate, appointed}
    assert appointed not in set(moderators_responsible_for(w.town_consultation))
    mandate_revoke(mandate=mandate, by=w.board, reason="Ende")
    assert set(moderators_responsible_for(w.other_consultation)) == {w.platform_mandate}


def test_inactive_users_and_future_mandates_are_not_responsible():
    w = world()
    w.tag_mandate.is_active = False
    w.tag_mandate.save()
    assert w.tag_mandate not in set(moderators_responsible_for(w.town_consultation))
    past = timezone.now() - timedelta(days=3)
    assert set(moderators_responsible_for(w.town_consultation, at=past)) == set()
