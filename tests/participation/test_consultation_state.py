from datetime import timedelta

import pytest
from django.utils import timezone

from participation.consultations.models import ConsultationPage
from participation.consultations.selectors import consultations_for_listing, with_state
from tests.factories import consultation

pytestmark = pytest.mark.django_db

STATES = ["upcoming", "open", "evaluation", "finished"]


@pytest.mark.parametrize("state", STATES)
def test_python_and_sql_agree_on_the_state(organisation_area, state):
    _org, index = organisation_area
    page = consultation(index, title=f"Verfahren {state}", state=state)
    now = timezone.now()
    annotated = with_state(ConsultationPage.objects.filter(pk=page.pk), now).get()
    assert page.state(now) == state
    assert annotated.state_value == state


def test_state_moves_with_time(organisation_area):
    _org, index = organisation_area
    page = consultation(index, state="open")
    later = timezone.now() + timedelta(days=7)
    assert page.state(later) == "evaluation"
    assert with_state(ConsultationPage.objects.filter(pk=page.pk), later).get().state_value == (
        "evaluation"
    )


def test_listing_filters_by_state_tag_and_organisation(
    organisation_area, other_organisation_area, user
):
    _org, index = organisation_area
    other_org, other_index = other_organisation_area
    cycling = consultation(index, title="Radwege", state="open", tags=("Verkehr",))
    consultation(index, title="Marktplatz", state="upcoming", tags=("Stadtentwicklung",))
    buses = consultation(other_index, title="Busse", state="open", tags=("Verkehr",))

    open_ids = {p.pk for p in consultations_for_listing(user, state="open")}
    assert open_ids == {cycling.pk, buses.pk}
    assert {p.pk for p in consultations_for_listing(user, tag="verkehr")} == {cycling.pk, buses.pk}
    assert [p.pk for p in consultations_for_listing(user, organisation=other_org)] == [buses.pk]


def test_drafts_are_not_listed(organisation_area, user):
    _org, index = organisation_area
    consultation(index, title="Entwurf", live=False)
    assert list(consultations_for_listing(user)) == []
