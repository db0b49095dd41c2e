"""Finding 6 of issue 13: editing walked around the gate that posting passes.

Each test is the attack as it was made, request by request: an author writes (or gets a
contribution approved), then changes it through the web form or htmx. Before the fix the
change was public at once, past pre-moderation, and a suspended author or a locked thread
could still change their text. Now a change passes `contribution_gate` inside
`comment_edit`, whatever entry point calls it.

The moderators' steps (approve, suspend, lock) go through the services, as their pages do;
their pages need a second factor that these tests are not about."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from participation.comments.models import Comment
from participation.comments.services import comment_create, comment_edit
from participation.consultations.models import ConsultationPage, ModerationMode
from participation.gate.models import CalmMode
from participation.gate.policy import ContributionRefused
from participation.live.models import LiveEvent
from participation.moderation.selectors import moderation_queue
from participation.moderation.services import decision_create, pending_approve
from tests.participation.moderation.helpers import premoderate, suspend_from

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
FIRST = "Ein Radweg an der Ringstraße wäre schön."
SECOND = "Billige Uhren gibt es bei uhren-sofort.example, nur heute!"
LOCK = {
    "action": "lock",
    "facts": "Der Streit im Faden eskaliert.",
    "ground_type": "rule",
    "clause": "2",
    "ground_explanation": "Beleidigungen nach Nr. 2 der Netiquette.",
}


def edit_url(comment) -> str:
    return f"/en/beteiligungen/{comment.consultation_id}/beitraege/{comment.pk}/bearbeiten/"


def author_client(w) -> Client:
    client = Client()
    client.force_login(w.author)
    return client


def write(client, page, body=FIRST) -> Comment:
    response = client.post(f"/en/beteiligungen/{page.pk}/beitraege/neu/", {"body": body})
    assert response.status_code == 302, response.status_code
    return Comment.objects.filter(consultation=page).latest("pk")


def public_sees(page, comment, text) -> bool:
    """Whether an anonymous reader finds `text` on the page, in the thread fragment or in
    the API."""
    reader = Client()
    page_html = reader.get(page.url).content.decode()
    thread = reader.get(f"/beteiligungen/{page.pk}/beitraege/").content.decode()
    api = reader.get(f"/api/v1/comments/{comment.pk}/")
    return text in page_html or text in thread or (api.status_code == 200 and text in api.text)


def readers_frames(page) -> list[dict]:
    return [
        json.loads(data)
        for data in LiveEvent.objects.filter(room=f"consultation.{page.pk}")
        .order_by("pk")
        .values_list("data", flat=True)
    ]


def pre_moderated(page) -> ConsultationPage:
    ConsultationPage.objects.filter(pk=page.pk).update(moderation_mode=ModerationMode.PRE)
    return ConsultationPage.objects.get(pk=page.pk)


def test_an_approved_contribution_changed_under_pre_moderation_waits_again(w):
    page = pre_moderated(w.town_consultation)
    author = author_client(w)
    comment = write(author, page)
    assert comment.status == Comment.Status.PENDING
    pending_approve(moderator=w.org_mandate, target=comment)
    assert public_sees(page, comment, FIRST)
    before = LiveEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    response = author.post(edit_url(comment), {"body": SECOND}, follow=True)

    assert response.status_code == 200
    assert not public_sees(page, comment, SECOND)
    assert not public_sees(page, comment, FIRST)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "Your change will appear once the moderators have checked it." in response.text
    # Its author still sees it, marked as waiting.
    own = author.get(f"/en{page.url}").text
    assert SECOND in own and "Waiting for moderation" in own
    # The moderators have it in their queue again.
    assert [entry.item.obj.pk for entry in moderation_queue(w.org_mandate) if entry.pending] == [
        comment.pk
    ]
    # Live readers are told to drop it, with no text; only its author's room gets the text.
    new_frames = [f for f in readers_frames(page) if f.get("comment") == comment.pk]
    held = [f for f in new_frames if f["type"] == "comment.held"]
    assert held and SECOND not in json.dumps(held)
    assert not LiveEvent.objects.filter(
        pk__gt=before, room=f"consultation.{page.pk}", data__contains="Billige"
    ).exists()
    assert LiveEvent.objects.filter(
        pk__gt=before, room=f"user.{w.author.pk}", data__contains="Billige"
    ).exists()
    # Approving the new text publishes it.
    pending_approve(moderator=w.org_mandate, target=comment)
    assert public_sees(page, comment, SECOND)


def test_pre_moderation_switched_on_by_a_moderator_holds_a_change_and_says_why(w):
    page = w.town_consultation
    author = author_client(w)
    comment = write(author, page)
    assert comment.status == Comment.Status.PUBLISHED
    premoderate(w, page)

    response = author.post(edit_url(comment), {"body": SECOND}, headers=HTMX)

    assert response.status_code == 200
    assert "The moderation checks new contributions in this consultation" in response.text
    assert "Waiting for moderation" in response.text
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.body == SECOND
    assert not public_sees(page, comment, SECOND)
    # The thread's count no longer counts it.
    assert Comment.objects.filter(consultation=page, status="published").count() == 0


def test_calm_mode_holds_a_change_from_a_young_account(w):
    page = w.town_consultation
    author = author_client(w)
    comment = write(author, page)
    CalmMode.objects.create(
        consultation=page,
        started_at=timezone.now(),
        reason="Ansturm",
        slow_mode_minutes=0,
        young_account_days=7,
    )

    response = author.post(edit_url(comment), {"body": SECOND}, follow=True)

    assert "Calm mode is on in this consultation" in response.text
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert not public_sees(page, comment, SECOND)


def test_slow_mode_counts_a_change_as_a_contribution(w):
    page = w.town_consultation
    author = author_client(w)
    comment = write(author, page)
    CalmMode.objects.create(
        consultation=page,
        started_at=timezone.now(),
        reason="Ansturm",
        slow_mode_minutes=5,
        young_account_days=0,
    )

    response = author.post(edit_url(comment), {"body": SECOND})

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 300
    assert "Calm mode is on in this consultation" in response.text
    assert SECOND in response.text  # the change is kept in the form
    comment.refresh_from_db()
    assert comment.body == FIRST and comment.edited_at is None


def test_a_suspended_author_cannot_change_a_contribution(w):
    page = w.town_consultation
    author = author_client(w)
    comment = write(author, page)
    suspend_from(w, w.author, page)

    form = author.get(edit_url(comment))
    assert form.status_code == 403
    assert "You are suspended from this consultation" in form.text
    response = author.post(edit_url(comment), {"body": SECOND})
    assert response.status_code == 422
    assert "You are suspended from this consultation" in response.text
    assert SECOND in response.text  # nothing lost
    htmx = author.post(edit_url(comment), {"body": SECOND}, headers=HTMX)
    assert htmx.status_code == 422
    comment.refresh_from_db()
    assert comment.body == FIRST and comment.edited_at is None
    assert public_sees(page, comment, FIRST)


@pytest.mark.parametrize("place", ["thread", "consultation"])
def test_a_locked_thread_cannot_be_changed(w, place):
    page = w.town_consultation
    author = author_client(w)
    comment = write(author, page)
    reply = comment_create(
        author=w.citizen, consultation=page, body="Eine Antwort dazu.", parent=comment
    )
    decision_create(moderator=w.org_mandate, target=comment if place == "thread" else page, **LOCK)

    for contribution, person in ((comment, w.author), (reply, w.citizen)):
        client = Client()
        client.force_login(person)
        response = client.post(edit_url(contribution), {"body": SECOND})
        assert response.status_code == 422, (place, contribution.pk)
        assert "This discussion is locked by the moderation" in response.text
        contribution.refresh_from_db()
        assert contribution.body != SECOND


def test_an_official_statement_stays_published_when_changed_under_pre_moderation(w):
    """As when it is written: the organisation's speakers are not pre-moderated."""
    from cooperative.organisations.models import OrganisationRole
    from tests.factories import grant

    page = pre_moderated(w.town_consultation)
    speaker = w.editor
    grant(speaker, page.organisation, OrganisationRole.Role.SPEAKER)
    statement = comment_create(
        author=speaker, consultation=page, body="Die Stadt prüft das.", official=True
    )
    comment_edit(comment=statement, body="Die Stadt prüft das bis Juni.")
    statement.refresh_from_db()
    assert statement.status == Comment.Status.PUBLISHED


def test_a_change_does_not_undo_a_decision_taken_meanwhile(w):
    """The author opened the form; a moderator hid the contribution before the change was
    sent. The change is refused and nothing of it reaches the readers."""
    page = w.town_consultation
    comment = comment_create(author=w.author, consultation=page, body=FIRST)
    stale = Comment.objects.select_related("consultation", "author").get(pk=comment.pk)
    decision_create(
        moderator=w.org_mandate,
        target=comment,
        action="hide",
        facts="Beleidigung.",
        ground_type="rule",
        clause="2",
        ground_explanation="Nr. 2 der Netiquette.",
    )
    before = LiveEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    with pytest.raises(Exception) as raised:
        comment_edit(comment=stale, body=SECOND)

    assert "can no longer be edited" in str(raised.value)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN and comment.body == FIRST
    assert not LiveEvent.objects.filter(pk__gt=before, data__contains="Billige").exists()


def test_the_service_itself_refuses_so_no_entry_point_can_skip_the_gate(w):
    page = w.town_consultation
    comment = comment_create(author=w.author, consultation=page, body=FIRST)
    suspend_from(w, w.author, page)
    with pytest.raises(ContributionRefused):
        comment_edit(comment=comment, body=SECOND)


def test_the_api_has_no_edit_path_around_the_service(w):
    comment = comment_create(author=w.author, consultation=w.town_consultation, body=FIRST)
    client = Client()
    client.force_login(w.author)
    for method in ("put", "patch"):
        response = getattr(client, method)(
            f"/api/v1/comments/{comment.pk}/",
            data=json.dumps({"body": SECOND}),
            content_type="application/json",
        )
        assert response.status_code in (401, 403, 405), method
    comment.refresh_from_db()
    assert comment.body == FIRST


def test_an_approval_is_of_the_text_the_moderator_read(w):
    """The author changes a waiting contribution while a moderator reads it in the queue:
    the click on "Freigeben" must not publish a text the moderator never saw."""
    page = pre_moderated(w.town_consultation)
    author = author_client(w)
    comment = write(author, page)
    queue = render_to_string(
        "participation_moderation/queue_list.html", {"items": moderation_queue(w.org_mandate)}
    )
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', queue).group(1)

    author.post(edit_url(comment), {"body": SECOND})
    with pytest.raises(ValidationError) as refused:
        pending_approve(moderator=w.org_mandate, target=comment, seen_version=seen)

    assert "changed the text after you read it" in str(refused.value)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert not public_sees(page, comment, SECOND)
    # Read again, approved as read.
    fresh = render_to_string(
        "participation_moderation/queue_list.html", {"items": moderation_queue(w.org_mandate)}
    )
    assert SECOND[:30] in fresh
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', fresh).group(1)
    pending_approve(moderator=w.org_mandate, target=comment, seen_version=seen)
    assert public_sees(page, comment, SECOND)
