"""Organisation-scoped editing and the four-eyes approval, seen through the real Wagtail admin.

Roles: anonymous, a citizen without roles, an editor of the page's organisation, an editor of
another organisation, the organisation's speaker and moderator, and a platform admin.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cooperative.organisations.models import OrganisationRole
from cooperative.organisations.services import organisation_role_revoke
from participation.consultations.models import ConsultationPage, OrganisationApprovalTask
from participation.consultations.services import APPROVAL_WORKFLOW_NAME, approval_workflow_ensure
from tests.factories import (
    UserFactory,
    consultation,
    default_home,
    grant,
    log_in_with_second_factor,
    phase_plan,
)

pytestmark = pytest.mark.django_db

Role = OrganisationRole.Role

ROLES = ["anonymous", "citizen", "editor", "other_editor", "speaker", "moderator", "admin"]
MAY_EDIT = {"editor", "admin"}
# Only editors hold `wagtailadmin.access_admin`; everybody else is sent to the admin login.
HAS_ADMIN_ACCESS = {"editor", "second_editor", "other_editor", "admin"}


@pytest.fixture(autouse=True)
def approval_workflow(db):
    return approval_workflow_ensure(root=default_home())


@pytest.fixture
def people(organisation_area, other_organisation_area):
    org, _index = organisation_area
    other_org, _other_index = other_organisation_area
    people = {
        "anonymous": None,
        "citizen": UserFactory(),
        "editor": UserFactory(),
        "second_editor": UserFactory(),
        "other_editor": UserFactory(),
        "speaker": UserFactory(),
        "moderator": UserFactory(),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    grant(people["editor"], org, Role.EDITOR)
    grant(people["second_editor"], org, Role.EDITOR)
    grant(people["other_editor"], other_org, Role.EDITOR)
    grant(people["speaker"], org, Role.SPEAKER)
    grant(people["moderator"], org, Role.MODERATOR)
    return people


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        log_in_with_second_factor(client, user)  # staff use the admin with their second factor
    return client


def assert_turned_away(response, role: str) -> None:
    """Wagtail refuses with a redirect: to its login (which sends anonymous visitors on to
    the one login, allauth's, and signed-in people to the start page with Wagtail's error),
    or to the dashboard with an error."""
    assert response.status_code == 302, response.status_code
    target = response["Location"].split("?")[0]
    if role in HAS_ADMIN_ACCESS:
        assert target == reverse("wagtailadmin_home")
    else:
        assert target == reverse("wagtailadmin_login")


def admin_datetime(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def phase_forms(phases) -> list[dict]:
    forms = []
    for phase in phases:
        form = {
            "kind": phase["kind"],
            "title": phase.get("title", ""),
            "description": "",
            "starts_at": admin_datetime(phase["starts_at"]),
            "ends_at": admin_datetime(phase["ends_at"]),
        }
        if phase.get("id"):
            form["id"] = str(phase["id"])
        for action in ("comment", "vote", "propose", "support"):
            if phase.get(f"allows_{action}"):
                form[f"allows_{action}"] = "on"
        forms.append(form)
    return forms


def consultation_form(*, title: str, slug: str, phases: list[dict], initial: int = 0, **extra):
    """POST data as the consultation editor sends it."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": f"Worum es bei {title} geht.",
            "tags": "Verkehr",
            "body": streamfield([("paragraph", rich_text("<p>Die Stadt fragt.</p>"))]),
            "draft_text_title": "",
            "draft_text": streamfield([]),
            "phases": inline_formset(phase_forms(phases), initial=initial, min=1),
            "polls": inline_formset([]),
            "results_summary": rich_text(""),
            "moderation_mode": "post",
            **extra,
        }
    )


def edit_form(page: ConsultationPage, *, title: str | None = None, **extra) -> dict:
    page = page.get_latest_revision_as_object()
    phases = [
        {
            "id": phase.pk,
            "kind": phase.kind,
            "starts_at": phase.starts_at,
            "ends_at": phase.ends_at,
            "allows_comment": phase.allows_comment,
        }
        for phase in page.phases_in_order()
    ]
    return consultation_form(
        title=title or page.title, slug=page.slug, phases=phases, initial=len(phases), **extra
    )


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.id])


def add_url(index) -> str:
    return reverse(
        "wagtailadmin_pages:add", args=["participation_consultations", "consultationpage", index.id]
    )


def workflow_action_url(page, action: str) -> str:
    task_state = page.current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[page.id, action, task_state.id])


def fresh(page) -> ConsultationPage:
    return ConsultationPage.objects.get(pk=page.pk)


def latest_title(page) -> str:
    return fresh(page).get_latest_revision_as_object().title


# 1. Who may open and change a consultation of organisation A, and add one to A's area.


@pytest.mark.parametrize("role", ROLES)
def test_edit_view_opens_only_for_the_organisations_editors_and_admins(
    role, people, organisation_area
):
    _org, index = organisation_area
    page = consultation(index, title="Radwege am Fluss")

    client = client_for(people[role])
    response = client.get(edit_url(page))

    if role in MAY_EDIT:
        assert response.status_code == 200
        assert 'value="Radwege am Fluss"' in response.content.decode()
    else:
        assert_turned_away(response, role)
        landing = client.get(response["Location"], follow=True)
        assert 'value="Radwege am Fluss"' not in landing.content.decode()  # no edit form
        if role != "anonymous":
            assert [message.level_tag for message in landing.context["messages"]] == ["error"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organisations_editors_and_admins_can_change_a_consultation(
    role, people, organisation_area
):
    _org, index = organisation_area
    page = consultation(index, title="Radwege")
    revisions_before = page.revisions.count()

    response = client_for(people[role]).post(edit_url(page), edit_form(page, title="Umgestaltet"))

    if role in MAY_EDIT:
        assert response.status_code == 302
        assert response["Location"] == edit_url(page)
        assert latest_title(page) == "Umgestaltet"
    else:
        assert_turned_away(response, role)
        assert latest_title(page) == "Radwege"
        assert page.revisions.count() == revisions_before
    # Saving a draft never touches what the public sees.
    assert fresh(page).title == "Radwege"


@pytest.mark.parametrize("role", ROLES)
def test_add_view_opens_only_for_the_organisations_editors_and_admins(
    role, people, organisation_area
):
    _org, index = organisation_area

    response = client_for(people[role]).get(add_url(index))

    if role in MAY_EDIT:
        assert response.status_code == 200
        assert 'name="summary"' in response.content.decode()
    else:
        assert_turned_away(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organisations_editors_and_admins_can_create_a_consultation(
    role, people, organisation_area
):
    _org, index = organisation_area
    data = consultation_form(title="Neuer Marktplatz", slug="marktplatz", phases=phase_plan("open"))

    response = client_for(people[role]).post(add_url(index), data)

    created = ConsultationPage.objects.filter(slug="marktplatz")
    if role in MAY_EDIT:
        assert response.status_code == 302
        page = created.get()
        assert page.get_parent().pk == index.pk
        assert page.organisation == index.organisation
        assert [phase.kind for phase in page.phases_in_order()] == [
            "participation",
            "evaluation",
            "result",
        ]
        assert not page.live
    else:
        assert_turned_away(response, role)
        assert not created.exists()


def test_editor_cannot_create_in_another_organisations_area(people, other_organisation_area):
    _other_org, other_index = other_organisation_area
    data = consultation_form(title="Fremd", slug="fremd", phases=phase_plan("open"))

    response = client_for(people["editor"]).post(add_url(other_index), data)

    assert_turned_away(response, "editor")
    assert not ConsultationPage.objects.filter(slug="fremd").exists()


# 2. Editors cannot publish; they submit to the four-eyes workflow.


def test_editor_is_offered_submit_but_not_publish(people, organisation_area):
    _org, index = organisation_area
    page = consultation(index, live=False)

    editor_form = client_for(people["editor"]).get(edit_url(page)).content.decode()
    admin_form = client_for(people["admin"]).get(edit_url(page)).content.decode()

    assert 'name="action-submit"' in editor_form
    assert 'name="action-publish"' not in editor_form
    assert 'name="action-publish"' in admin_form


def test_editor_cannot_publish_a_draft_directly(people, organisation_area):
    _org, index = organisation_area
    page = consultation(index, title="Radwege", live=False)

    client_for(people["editor"]).post(
        edit_url(page), edit_form(page, title="Veröffentlicht?", **{"action-publish": "1"})
    )

    page = fresh(page)
    assert not page.live
    assert page.live_revision is None
    assert page.current_workflow_state is None
    assert latest_title(page) == "Veröffentlicht?"


def test_editor_cannot_publish_changes_to_a_live_consultation(people, organisation_area):
    _org, index = organisation_area
    page = consultation(index, title="Radwege", live=True)
    live_revision = fresh(page).live_revision
    assert live_revision is not None

    client_for(people["editor"]).post(
        edit_url(page), edit_form(page, title="Heimlich geändert", **{"action-publish": "1"})
    )

    page = fresh(page)
    assert page.title == "Radwege"
    assert page.live_revision == live_revision
    assert page.has_unpublished_changes


def test_editor_submits_a_draft_to_the_four_eyes_workflow(people, organisation_area):
    _org, index = organisation_area
    page = consultation(index, title="Radwege", live=False)

    response = client_for(people["editor"]).post(
        edit_url(page), edit_form(page, **{"action-submit": "1"})
    )

    assert response.status_code == 302
    page = fresh(page)
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == APPROVAL_WORKFLOW_NAME
    assert state.requested_by == people["editor"]
    assert isinstance(page.current_workflow_task.specific, OrganisationApprovalTask)
    assert not page.live


# 3. Approval: another editor of the organisation or an admin, never the submitter.


@pytest.fixture
def submitted(people, organisation_area) -> ConsultationPage:
    """A draft the organisation's first editor has submitted through the edit form."""
    _org, index = organisation_area
    page = consultation(index, title="Radwege", live=False)
    client_for(people["editor"]).post(edit_url(page), edit_form(page, **{"action-submit": "1"}))
    page = fresh(page)
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    return page


APPROVERS = {"second_editor", "admin"}


@pytest.mark.parametrize("role", [*ROLES, "second_editor"])
def test_who_may_approve_a_submission(role, people, submitted):
    url = workflow_action_url(submitted, "approve")
    task_state = submitted.current_workflow_task_state

    response = client_for(people[role]).post(url, {"comment": ""})

    page = fresh(submitted)
    task_state.refresh_from_db()
    if role in APPROVERS:
        assert response.status_code == 302
        assert page.live
        assert page.title == "Radwege"
        assert task_state.status == TaskState.STATUS_APPROVED
        assert task_state.finished_by == people[role]
        assert task_state.workflow_state.status == WorkflowState.STATUS_APPROVED
    else:
        # The submitter ("editor") is refused like everybody else who is not a second pair of eyes.
        assert_turned_away(response, role)
        assert not page.live
        assert task_state.status == TaskState.STATUS_IN_PROGRESS


@pytest.mark.parametrize("role", [*ROLES, "second_editor"])
def test_who_is_offered_approval_in_the_editor(role, people, submitted):
    response = client_for(people[role]).get(edit_url(submitted))

    if role in APPROVERS:
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-workflow-action-name="approve"' in html
        assert 'data-workflow-action-name="reject"' in html
    elif role == "editor":
        # The submitter still sees their page, but without the approval buttons.
        assert response.status_code == 200
        assert "data-workflow-action-name" not in response.content.decode()
    else:
        assert_turned_away(response, role)


def test_submitter_cannot_approve_through_the_edit_form(people, submitted):
    data = edit_form(
        submitted, **{"action-workflow-action": "1", "workflow-action-name": "approve"}
    )

    client_for(people["editor"]).post(edit_url(submitted), data)

    page = fresh(submitted)
    assert not page.live
    assert page.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_second_editor_can_approve_through_the_edit_form(people, submitted):
    data = edit_form(
        submitted, **{"action-workflow-action": "1", "workflow-action-name": "approve"}
    )

    client_for(people["second_editor"]).post(edit_url(submitted), data)

    page = fresh(submitted)
    assert page.live
    assert page.current_workflow_state is None


def test_request_changes_keeps_the_consultation_unpublished(people, submitted):
    task_state = submitted.current_workflow_task_state

    response = client_for(people["second_editor"]).post(
        workflow_action_url(submitted, "reject"), {"comment": "Bitte Karte ergänzen."}
    )

    assert response.status_code == 302
    page = fresh(submitted)
    task_state.refresh_from_db()
    assert not page.live
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == "Bitte Karte ergänzen."
    assert task_state.workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_submitter_cannot_request_changes_either(people, submitted):
    response = client_for(people["editor"]).post(
        workflow_action_url(submitted, "reject"), {"comment": "Selbst abgelehnt."}
    )

    assert_turned_away(response, "editor")
    assert submitted.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_resubmission_after_changes_goes_back_to_a_second_editor(people, submitted):
    editor, second = client_for(people["editor"]), client_for(people["second_editor"])
    second.post(workflow_action_url(submitted, "reject"), {"comment": "Titel zu lang."})
    editor.post(edit_url(submitted), edit_form(submitted, title="Rad", **{"action-submit": "1"}))
    page = fresh(submitted)
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    assert_turned_away(editor.post(workflow_action_url(page, "approve"), {}), "editor")
    assert not fresh(page).live

    second.post(workflow_action_url(page, "approve"), {})
    page = fresh(page)
    assert page.live
    assert page.title == "Rad"


def test_reviewer_who_resubmits_cannot_approve_their_own_resubmission(people, submitted):
    second = client_for(people["second_editor"])
    second.post(workflow_action_url(submitted, "reject"), {"comment": "Ich mache das selbst."})
    second.post(
        edit_url(submitted), edit_form(submitted, title="Umgeschrieben", **{"action-submit": "1"})
    )
    page = fresh(submitted)
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    response = second.post(workflow_action_url(page, "approve"), {})

    assert_turned_away(response, "second_editor")
    # The workflow's original requester asked for this approval too, so a third pair of eyes
    # (another editor of the organisation, or an admin) decides.
    first = client_for(people["editor"])
    assert_turned_away(first.post(workflow_action_url(page, "approve"), {}), "editor")
    assert not fresh(page).live
    client_for(people["admin"]).post(workflow_action_url(page, "approve"), {})
    page = fresh(page)
    assert page.live
    assert page.title == "Umgeschrieben"


def test_approval_cannot_be_smuggled_onto_another_organisations_task(
    people, submitted, other_organisation_area
):
    """The action URL names a page and a task state; both must belong together."""
    other_org, other_index = other_organisation_area
    foreign_submitter = UserFactory()
    grant(foreign_submitter, other_org, Role.EDITOR)
    foreign = consultation(other_index, title="Kreisstraße", live=False)
    client_for(foreign_submitter).post(
        edit_url(foreign), edit_form(foreign, **{"action-submit": "1"})
    )
    foreign_task_state = fresh(foreign).current_workflow_task_state
    # The second editor may approve `submitted`, so the page in the URL passes Wagtail's check.
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[submitted.id, "approve", foreign_task_state.id],
    )

    response = client_for(people["second_editor"]).post(url, {})

    assert_turned_away(response, "second_editor")
    foreign_task_state.refresh_from_db()
    assert foreign_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not fresh(foreign).live


def test_only_approvers_see_the_submission_awaiting_their_review(people, submitted):
    def dashboard(role):
        return client_for(people[role]).get(reverse("wagtailadmin_home")).content.decode()

    approve_url = workflow_action_url(submitted, "approve")
    assert approve_url in dashboard("second_editor")
    assert approve_url in dashboard("admin")
    assert approve_url not in dashboard("editor")
    assert approve_url not in dashboard("other_editor")


# 4. Each editor works in their own organisation's area only.


def test_explorer_keeps_an_editor_in_their_organisations_area(
    people, organisation_area, other_organisation_area
):
    _org, index = organisation_area
    _other_org, other_index = other_organisation_area
    consultation(index, title="Radwege am Fluss")
    consultation(other_index, title="Kreisstraße Nord", live=False)
    editor, admin = client_for(people["editor"]), client_for(people["admin"])
    own_area = reverse("wagtailadmin_explore", args=[index.id])
    other_area = reverse("wagtailadmin_explore", args=[other_index.id])

    assert "Radwege am Fluss" in editor.get(own_area).content.decode()
    for page_id in (default_home().id, other_index.id):
        response = editor.get(reverse("wagtailadmin_explore", args=[page_id]))
        assert response.status_code == 302
        assert response["Location"] == own_area
    assert "Kreisstraße Nord" in admin.get(other_area).content.decode()


def test_page_search_shows_an_editor_only_their_organisations_pages(
    people, organisation_area, other_organisation_area
):
    _org, index = organisation_area
    _other_org, other_index = other_organisation_area
    consultation(index, title="Kreisstraße Süd")
    consultation(other_index, title="Kreisstraße Nord")
    search = reverse("wagtailadmin_pages:search")

    editor_sees = client_for(people["editor"]).get(search, {"q": "Kreisstraße"}).content.decode()
    admin_sees = client_for(people["admin"]).get(search, {"q": "Kreisstraße"}).content.decode()

    assert "Kreisstraße Süd" in editor_sees
    assert "Kreisstraße Nord" not in editor_sees
    assert "Kreisstraße Nord" in admin_sees


def test_editor_cannot_open_another_organisations_consultation(people, other_organisation_area):
    _other_org, other_index = other_organisation_area
    foreign = consultation(other_index, title="Kreisstraße")

    response = client_for(people["editor"]).post(
        edit_url(foreign), edit_form(foreign, title="Übernommen")
    )

    assert_turned_away(response, "editor")
    assert latest_title(foreign) == "Kreisstraße"


def test_revoking_the_editor_role_closes_the_admin(people, organisation_area):
    org, index = organisation_area
    page = consultation(index, title="Radwege")
    editor = people["editor"]
    client = client_for(editor)
    assert client.get(edit_url(page)).status_code == 200

    organisation_role_revoke(user=editor, organisation=org, role=Role.EDITOR)

    # From now on they are refused like a citizen without roles.
    assert not index.editors_group.user_set.filter(pk=editor.pk).exists()
    assert_turned_away(client.get(reverse("wagtailadmin_home")), "citizen")
    assert_turned_away(client.get(edit_url(page)), "citizen")
    assert_turned_away(client.post(edit_url(page), edit_form(page, title="Danach")), "citizen")
    assert latest_title(page) == "Radwege"
