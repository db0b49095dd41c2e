"""Contributions on a target inside a consultation: a paragraph of the draft text, a
proposal. The service checks the target and keeps the counts."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from participation.comments.models import Comment
from participation.comments.selectors import comment_thread_page
from participation.comments.services import comment_create, comment_delete_by_author
from participation.consultations.models import ModerationMode
from participation.contributions.targets import CONSULTATION, Target, TargetKind, target_resolve
from participation.live.models import LiveEvent
from tests.factories import UserFactory
from tests.participation.comments.conftest import with_draft_text
from tests.participation.proposals.conftest import proposal_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages_in_english():
    """These tests read the services' messages as written (the msgids); the German
    catalogue has its own checks (tests/test_i18n.py)."""
    with translation.override("en"):
        yield


@pytest.fixture
def author():
    return UserFactory()


def paragraph(page, number: int) -> Target:
    return Target(TargetKind.PARAGRAPH, page.draft_paragraphs()[number - 1].block_id)


def write(page, author, target, body="Das sehe ich anders.", **kwargs) -> Comment:
    return comment_create(author=author, consultation=page, body=body, target=target, **kwargs)


def test_a_contribution_on_a_paragraph_names_it(draft_page, author):
    target = paragraph(draft_page, 2)

    comment = write(draft_page, author, target)

    assert (comment.target_kind, comment.target_key) == ("paragraph", target.key)
    assert comment.target == target
    assert comment.get_absolute_url().endswith(f"?open={target.key}#comment-{comment.pk}")


def test_a_token_is_as_good_as_a_target(draft_page, author):
    key = draft_page.draft_paragraphs()[0].block_id

    comment = write(draft_page, author, f"paragraph:{key}")

    assert comment.target_key == key


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("paragraph:00000000-0000-0000-0000-000000000000", "not part of the current draft text"),
        ("proposal:999999", "This proposal does not exist."),
        ("proposal:abc", "This proposal does not exist."),
        ("poll:1", "Unknown place for a contribution"),
        ("paragraph:", "Unknown place for a contribution"),
    ],
)
def test_unknown_targets_are_refused_with_the_reason(draft_page, author, token, message):
    with pytest.raises(ValidationError) as error:
        write(draft_page, author, token)

    assert message in " ".join(error.value.messages)
    assert not Comment.objects.exists()


def test_a_paragraph_of_another_consultation_is_not_one_of_this(
    draft_page, make_consultation, author
):
    other = with_draft_text(make_consultation("open"))

    with pytest.raises(ValidationError, match="not part of the current draft text"):
        write(draft_page, author, paragraph(other, 1))


def test_a_paragraph_removed_from_the_published_text_takes_no_more_contributions(
    draft_page, author
):
    gone = paragraph(draft_page, 6)
    del draft_page.draft_text[-1]
    draft_page.save_revision().publish()
    draft_page.refresh_from_db()

    with pytest.raises(ValidationError, match="may have been revised"):
        write(draft_page, author, gone)
    # The other paragraphs keep their ids, so their threads stay where they were.
    assert write(draft_page, author, paragraph(draft_page, 5)).target_kind == "paragraph"


def test_an_unpublished_draft_text_takes_no_contributions(make_consultation, author):
    page = make_consultation("open", live=False)

    with pytest.raises(ValidationError, match="not published"):
        target_resolve(page, "paragraph:x")


def test_a_proposal_of_another_consultation_is_refused(draft_page, make_consultation, author):
    foreign = proposal_in(make_consultation("open"), author)

    with pytest.raises(ValidationError, match="belongs to another consultation"):
        write(draft_page, author, f"proposal:{foreign.pk}")
    foreign.refresh_from_db()
    assert foreign.comment_count == 0


def test_replies_stay_on_the_target_of_their_contribution(draft_page, author):
    root = write(draft_page, author, paragraph(draft_page, 3))

    reply = comment_create(author=author, consultation=draft_page, body="Genau.", parent=root)

    assert reply.target == root.target
    with pytest.raises(ValidationError, match="same place"):
        comment_create(
            author=author, consultation=draft_page, body="Hier?", parent=root, target=CONSULTATION
        )


def test_proposal_comment_count_follows_published_contributions(
    make_consultation, author, django_capture_on_commit_callbacks
):
    page = make_consultation("open")
    proposal = proposal_in(page, author)
    target = f"proposal:{proposal.pk}"

    first = write(page, author, target)
    reply = comment_create(author=UserFactory(), consultation=page, body="Ja!", parent=first)
    write(page, UserFactory(), target)
    proposal.refresh_from_db()
    assert proposal.comment_count == 3

    comment_delete_by_author(comment=reply)
    comment_delete_by_author(comment=reply)  # twice: counted once
    proposal.refresh_from_db()
    assert proposal.comment_count == 2
    assert (
        proposal.comment_count
        == Comment.objects.filter(
            target_kind="proposal", target_key=str(proposal.pk), status="published"
        ).count()
    )


def test_pending_contributions_are_not_counted_on_the_proposal(make_consultation, author):
    page = make_consultation("open", moderation_mode=ModerationMode.PRE)
    proposal = proposal_in(page, author)

    comment = write(page, author, f"proposal:{proposal.pk}")
    comment_delete_by_author(comment=comment)

    proposal.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    assert proposal.comment_count == 0


def test_a_failed_write_leaves_the_count_alone(make_consultation, author):
    page = make_consultation("open")
    proposal = proposal_in(page, author)

    with pytest.raises(RuntimeError), transaction.atomic():
        write(page, author, f"proposal:{proposal.pk}")
        raise RuntimeError

    proposal.refresh_from_db()
    assert proposal.comment_count == 0


def test_the_consultation_thread_shows_only_its_own_contributions(draft_page, author):
    own = write(draft_page, author, None, body="Zur Beteiligung allgemein")
    write(draft_page, author, paragraph(draft_page, 1))
    write(draft_page, author, f"proposal:{proposal_in(draft_page, author).pk}")

    thread = comment_thread_page(author, draft_page)

    assert thread.comments == [own]


def test_events_name_the_target(draft_page, author, django_capture_on_commit_callbacks):
    target = paragraph(draft_page, 4)

    with django_capture_on_commit_callbacks(execute=True):
        comment = write(draft_page, author, target)

    event = LiveEvent.objects.get(type="comment.created")
    assert event.room == f"consultation.{draft_page.pk}"
    assert f'"target":"{target.token}"' in event.data
    assert f'"comment":{comment.pk}' in event.data
