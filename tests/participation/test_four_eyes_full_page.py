"""Four-eyes publishing of a consultation as editors build it in the admin: a poll with
options, a draft text and two phases, created by one editor and approved by another in the
page editor ("Freigeben und Veröffentlichen"), the path a walk-through once saw end with the
page still a draft."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cooperative.organisations.models import OrganisationRole
from participation.consultations.models import ConsultationPage
from participation.consultations.services import approval_workflow_ensure
from tests.factories import UserFactory, default_home, grant, log_in_with_second_factor
from tests.participation.test_admin_editing import add_url, admin_datetime, edit_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def approval_workflow(db):
    return approval_workflow_ensure(root=default_home())


@pytest.fixture
def editors(organisation_area):
    org, _index = organisation_area
    first, second = UserFactory(), UserFactory()
    grant(first, org, OrganisationRole.Role.EDITOR)
    grant(second, org, OrganisationRole.Role.EDITOR)
    return first, second


def signed_in(user) -> Client:
    client = Client()
    log_in_with_second_factor(client, user)
    return client


def full_form(page: ConsultationPage | None = None, **actions) -> dict:
    """The whole editor form of a consultation with a poll, a draft text and two phases, with
    the ids of what exists already (as the browser sends them back)."""
    now = timezone.now()
    phases = list(page.get_latest_revision_as_object().phases_in_order()) if page else []
    polls = list(page.get_latest_revision_as_object().polls.all()) if page else []
    phase_rows = [
        {
            "kind": "participation",
            "title": "Mitreden",
            "description": "",
            "starts_at": admin_datetime(now - timedelta(days=1)),
            "ends_at": admin_datetime(now + timedelta(days=20)),
            "allows_comment": "on",
            "allows_vote": "on",
        },
        {
            "kind": "evaluation",
            "title": "Auswertung",
            "description": "",
            "starts_at": admin_datetime(now + timedelta(days=20)),
            "ends_at": admin_datetime(now + timedelta(days=40)),
        },
    ]
    for row, phase in zip(phase_rows, phases, strict=False):
        row["id"] = str(phase.pk)
    choices = polls[0].choices.all() if polls else []
    choice_rows = [{"text": "Ja"}, {"text": "Nein"}]
    for row, choice in zip(choice_rows, choices, strict=False):
        row["id"] = str(choice.pk)
    poll_row = {
        "question": "Soll die Lindenstraße Fahrradstraße werden?",
        "explanation": "",
        "kind": "single",
        "max_choices": "",
        "scale_max": "5",
        "allow_change": "on",
        "results_visibility": "live",
        "closes_at": "",
        "choices": inline_formset(choice_rows, initial=len(choices), min=2),
    }
    if polls:
        poll_row["id"] = str(polls[0].pk)
    draft_text = streamfield(
        [
            ("heading", "§ 1 Geltungsbereich"),
            ("paragraph", rich_text("<p>Diese Satzung gilt im ganzen Stadtgebiet.</p>")),
        ]
    )
    return nested_form_data(
        {
            "title": "Fahrradstraße Lindenstraße",
            "slug": "fahrradstrasse-lindenstrasse",
            "summary": "Die Stadt fragt, ob die Lindenstraße Fahrradstraße wird.",
            "tags": "Verkehr",
            "body": streamfield([("paragraph", rich_text("<p>Worum es geht.</p>"))]),
            "draft_text_title": "Entwurf der Satzung",
            "draft_text": draft_text,
            "phases": inline_formset(phase_rows, initial=len(phases), min=1),
            "polls": inline_formset([poll_row], initial=len(polls)),
            "results_summary": rich_text(""),
            "moderation_mode": "post",
            **actions,
        }
    )


@pytest.mark.parametrize("approval", ["as_submitted", "with_changes", "with_comment"])
def test_a_full_consultation_approved_in_the_editor_is_live_at_its_address(
    approval, editors, organisation_area
):
    first, second = editors
    _org, index = organisation_area

    created = signed_in(first).post(add_url(index), full_form(**{"action-submit": "1"}))
    assert created.status_code == 302, created.content.decode()[:2000]
    page = ConsultationPage.objects.get(slug="fahrradstrasse-lindenstrasse")
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    approver = signed_in(second)
    assert approver.get(edit_url(page)).status_code == 200
    actions = {"action-workflow-action": "1", "workflow-action-name": "approve"}
    if approval == "with_comment":
        actions["workflow-action-extra-data"] = '{"comment": "Passt so."}'
    data = full_form(page, **actions)
    if approval == "with_changes":
        data["summary"] = "Die Stadt fragt, ob die Lindenstraße eine Fahrradstraße wird."
        data["polls-0-choices-1-text"] = "Nein, lieber nicht"
    approved = approver.post(edit_url(page), data)

    assert approved.status_code == 302, approved.content.decode()[:2000]
    page = ConsultationPage.objects.get(pk=page.pk)
    assert page.live
    assert not page.has_unpublished_changes
    assert page.current_workflow_state is None
    assert [p.question for p in page.polls.all()] == ["Soll die Lindenstraße Fahrradstraße werden?"]
    expected = ["Ja", "Nein, lieber nicht"] if approval == "with_changes" else ["Ja", "Nein"]
    assert [c.text for c in page.polls.get().choices.all()] == expected
    assert len(page.phases.all()) == 2
    public = Client().get(page.url)
    assert public.status_code == 200
    assert "Lindenstraße Fahrradstraße" in public.content.decode()


def test_an_empty_paragraph_is_refused_when_submitted_not_when_approved(editors, organisation_area):
    """The cause of the page that stayed a draft: a draft text's paragraph left empty passed
    the submission (an empty `<p>` counts as filled) but came back as an empty editor, so the
    second editor's approval in the page editor failed on a field they never touched."""
    first, _second = editors
    _org, index = organisation_area
    data = full_form(**{"action-submit": "1"})
    data["draft_text-1-value"] = rich_text("<p></p>")

    response = signed_in(first).post(add_url(index), data)

    assert response.status_code == 200
    assert "Schreiben Sie den Absatz, oder entfernen Sie den leeren Block." in (
        response.content.decode()
    )
    assert not ConsultationPage.objects.filter(slug="fahrradstrasse-lindenstrasse").exists()
