"""The live path end to end for proposals: service → event after commit → socket."""

import pytest
from asgiref.sync import sync_to_async

from cooperative.organisations.models import OrganisationRole
from participation.proposals.services import proposal_answer, proposal_create, proposal_edit
from tests.factories import UserFactory, consultation, grant, organisation_with_area
from tests.participation.live.test_discussion_live import assert_silent, connect, receive_events

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
def setup(db):
    organisation, index = organisation_with_area(name="Stadt Live", slug="live")
    page = consultation(index, title="Offen", state="open")
    speaker = UserFactory(display_name="Pressestelle")
    grant(speaker, organisation, OrganisationRole.Role.SPEAKER)
    author = UserFactory(display_name="Anton Acker")
    proposal = proposal_create(
        author=author, consultation=page, title="Mehr Bänke", body="Am Markt fehlen Bänke."
    )
    return page, speaker, proposal


async def test_a_reader_sees_the_change_and_then_the_feedback_appear(setup):
    page, speaker, proposal = setup
    reader, connected, _ = await connect(page)
    assert connected

    await sync_to_async(proposal_edit)(
        proposal=proposal,
        title="Mehr Bänke am Markt",
        body="Am Markt fehlen **drei** Bänke.",
        tags=[],
        location="",
    )
    await sync_to_async(proposal_answer)(
        author=speaker, proposal=proposal, status="implemented", text="Sie stehen schon."
    )

    updated, answered = await receive_events(reader, 2)
    await assert_silent(reader)
    await reader.disconnect()
    assert (updated["type"], updated["title"]) == ("proposal.updated", "Mehr Bänke am Markt")
    assert "<strong>drei</strong>" in updated["content"]["de"]
    assert answered["type"] == "proposal.answered"
    assert "Sie stehen schon." in answered["html"]["de"]
    assert "Stadt Live" in answered["html"]["en"]
    assert answered["status_labels"]["de"] == "Umgesetzt"
