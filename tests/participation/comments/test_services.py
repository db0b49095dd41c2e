"""Writes for contributions and reactions: what is stored, and which live events go where."""

import json
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils import translation

from participation.comments.models import BODY_MAX_LENGTH, MAX_DEPTH, Comment, Reaction
from participation.comments.services import (
    comment_create,
    comment_delete_by_author,
    comment_edit,
    reaction_toggle,
)
from participation.consultations.models import ModerationMode
from participation.live.models import LiveEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Kind = Reaction.Kind


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in the source language; German is the site default."""
    with translation.override("en"):
        yield


@pytest.fixture
def page(make_consultation):
    return make_consultation("open")


@pytest.fixture
def pre_page(make_consultation):
    return make_consultation("open", moderation_mode=ModerationMode.PRE)


@pytest.fixture
def author(db):
    return UserFactory(display_name="Frieda Feldweg")


def events() -> list[tuple[str, str, dict]]:
    return [
        (event.room, event.type, json.loads(event.data))
        for event in LiveEvent.objects.order_by("pk")
    ]


def write(page, author, body="Mehr Fahrradständer am Bahnhof.", **kwargs) -> Comment:
    return comment_create(author=author, consultation=page, body=body, **kwargs)


# --- Markdown and sanitising ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected_html"),
    [
        ("**fett** und *kursiv*", "<p><strong>fett</strong> und <em>kursiv</em></p>"),
        ("- eins\n- zwei", "<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>"),
        ("Zeile\nnoch eine", "<p>Zeile<br>\nnoch eine</p>"),
        ("`a < b`", "<p><code>a &lt; b</code></p>"),
        ("# Keine Überschrift", "<p># Keine Überschrift</p>"),
    ],
)
def test_markdown_subset_is_rendered(page, author, source, expected_html):
    comment = write(page, author, source)

    assert comment.body == source
    assert Comment.objects.get(pk=comment.pk).body_html == expected_html


def test_links_are_marked_as_user_generated(page, author):
    comment = write(page, author, "Siehe [Rathaus](https://example.org/rathaus?a=1).")

    link = BeautifulSoup(comment.body_html, "html.parser").find("a")
    assert link["href"] == "https://example.org/rathaus?a=1"
    assert set(link["rel"]) == {"nofollow", "ugc", "noopener"}


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '"><svg onload=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    "<javascript:alert(1)>",
    "![x](https://example.org/x.png)",
    '[x](https://example.org "t" onclick=alert(1))',
    '[x]("><script>alert(1)</script>)',
    "<iframe src=https://evil.example></iframe>",
]
ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre"}


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markup_payloads_are_inert(page, author, payload):
    comment = write(page, author, f"Hallo {payload} Welt")

    soup = BeautifulSoup(Comment.objects.get(pk=comment.pk).body_html, "html.parser")
    tags = soup.find_all(True)
    assert {tag.name for tag in tags} <= ALLOWED_TAGS
    for tag in tags:
        assert set(tag.attrs) <= {"href", "rel"}, tag
        if tag.name == "a":
            assert urlsplit(tag["href"]).scheme in {"", "http", "https", "mailto"}
    # The source is kept as written, so the author can edit it.
    assert comment.body == f"Hallo {payload} Welt"


def test_body_is_stripped_and_line_endings_normalised(page, author):
    comment = write(page, author, "  erste Zeile\r\nzweite Zeile  \n")

    assert comment.body == "erste Zeile\nzweite Zeile"


# --- Length limits ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Please write at least 2 characters."),
        ("x", "Please write at least 2 characters."),
        ("   \n  ", "Please write at least 2 characters."),
        (
            "x" * (BODY_MAX_LENGTH + 1),
            "A contribution can have at most 5000 characters (this one has 5001).",
        ),
    ],
)
def test_length_limits_explain_themselves(page, author, body, message):
    with pytest.raises(ValidationError) as error:
        write(page, author, body)

    assert error.value.messages == [message]
    assert not Comment.objects.exists()
    assert not LiveEvent.objects.exists()


@pytest.mark.parametrize("length", [2, BODY_MAX_LENGTH])
def test_limits_are_inclusive(page, author, length):
    assert len(write(page, author, "x" * length).body) == length


def test_edit_has_the_same_limits(page, author):
    comment = write(page, author)

    with pytest.raises(ValidationError) as error:
        comment_edit(comment=comment, body="x" * (BODY_MAX_LENGTH + 1))

    assert "at most 5000 characters" in error.value.messages[0]
    comment.refresh_from_db()
    assert comment.body == "Mehr Fahrradständer am Bahnhof."
    assert comment.edited_at is None


# --- Replies ------------------------------------------------------------------------------


def test_replies_nest_up_to_the_maximum_depth_then_attach_to_the_parent(page, author):
    root = write(page, author, "Ebene null")
    chain = [root]
    for depth in range(1, MAX_DEPTH + 1):
        chain.append(write(page, UserFactory(), f"Ebene {depth}", parent=chain[-1]))
    deepest = chain[-1]
    assert deepest.depth == MAX_DEPTH == 3

    too_deep = write(page, UserFactory(), "Noch tiefer", parent=deepest)

    assert [c.depth for c in chain] == [0, 1, 2, 3]
    assert [c.parent_id for c in chain] == [None, chain[0].pk, chain[1].pk, chain[2].pk]
    assert too_deep.depth == MAX_DEPTH
    assert too_deep.parent_id == chain[2].pk  # next to the depth-3 comment, not below it
    assert {c.root_id for c in [*chain[1:], too_deep]} == {root.pk}
    assert root.root_id is None


def test_reply_count_counts_all_published_replies_of_the_root(page, pre_page, author):
    root = write(page, author)
    first = write(page, UserFactory(), "Antwort eins", parent=root)
    write(page, UserFactory(), "Antwort zwei", parent=first)
    write(page, UserFactory(), "Antwort drei", parent=root)

    root.refresh_from_db()
    first.refresh_from_db()
    assert root.reply_count == 3
    assert first.reply_count == 0  # counted on roots only


def test_pending_replies_are_not_counted(pre_page, author):
    speaker_statement = write(pre_page, author, official=True)  # published at once
    write(pre_page, UserFactory(), "Wartet noch", parent=speaker_statement)

    speaker_statement.refresh_from_db()
    assert speaker_statement.reply_count == 0


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.HIDDEN])
def test_unpublished_contributions_cannot_be_answered(page, author, status):
    parent = write(page, author)
    Comment.objects.filter(pk=parent.pk).update(status=status)
    parent.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        write(page, UserFactory(), "Antwort", parent=parent)

    assert error.value.messages == ["This contribution can no longer be answered."]


def test_replies_stay_in_their_consultation(page, make_consultation, author):
    parent = write(page, author)

    with pytest.raises(ValidationError):
        write(make_consultation("open"), UserFactory(), "Antwort", parent=parent)


# --- Moderation modes and live events -----------------------------------------------------


def test_post_moderation_publishes_to_every_reader(page, author):
    comment = write(page, author, "**Sichtbar** für alle")

    assert comment.status == Comment.Status.PUBLISHED
    [(room, kind, data)] = events()
    assert room == f"consultation.{page.pk}"
    assert kind == "comment.created"
    assert data["comment"] == comment.pk
    assert data["parent"] is None
    assert set(data["html"]) == {"de", "en"}
    assert "<strong>Sichtbar</strong> für alle" in data["html"]["de"]
    assert "Frieda Feldweg" in data["html"]["en"]


def test_reply_event_names_parent_and_root(page, author):
    root = write(page, author)
    reply = write(page, UserFactory(), "Antwort", parent=root)
    deeper = write(page, UserFactory(), "Tiefer", parent=reply)

    _room, _kind, data = events()[-1]
    assert data["comment"] == deeper.pk
    assert data["parent"] == reply.pk
    assert data["root"] == root.pk


def test_pre_moderation_keeps_the_contribution_to_its_author(pre_page, author):
    comment = write(pre_page, author, "Geheimer Entwurf")

    assert comment.status == Comment.Status.PENDING
    [(room, kind, data)] = events()
    assert room == f"user.{author.pk}"
    assert kind == "comment.created"
    assert data["consultation"] == pre_page.pk
    assert "Geheimer Entwurf" in data["html"]["de"]
    assert not LiveEvent.objects.filter(room=f"consultation.{pre_page.pk}").exists()


def test_official_statements_skip_pre_moderation(pre_page, author, organisation_area):
    org, _index = organisation_area

    statement = write(pre_page, author, "Die Stadt prüft das.", official=True)

    assert statement.status == Comment.Status.PUBLISHED
    assert statement.is_official
    assert statement.organisation == org
    [(room, _kind, data)] = events()
    assert room == f"consultation.{pre_page.pk}"
    assert "Stadt Musterstadt" in data["html"]["de"]


def test_only_official_statements_carry_an_organisation(page, author, other_organisation_area):
    other_org, _index = other_organisation_area

    plain = write(page, author, "Privat", organisation=other_org)

    assert not plain.is_official
    assert plain.organisation is None


def test_official_statement_for_a_named_organisation(page, author, other_organisation_area):
    other_org, _index = other_organisation_area

    statement = write(page, author, "Der Kreis sagt", official=True, organisation=other_org)

    assert Comment.objects.get(pk=statement.pk).organisation == other_org


# --- Editing ------------------------------------------------------------------------------


def test_edit_changes_text_marks_edited_and_tells_readers(page, author):
    comment = write(page, author, "Erste Fassung")
    LiveEvent.objects.all().delete()

    comment_edit(comment=comment, body="Zweite *Fassung*")

    stored = Comment.objects.get(pk=comment.pk)
    assert stored.body == "Zweite *Fassung*"
    assert stored.body_html == "<p>Zweite <em>Fassung</em></p>"
    assert stored.edited_at is not None
    assert stored.edited_at >= stored.created_at
    [(room, kind, data)] = events()
    assert (room, kind) == (f"consultation.{page.pk}", "comment.updated")
    assert "Zweite <em>Fassung</em>" in data["html"]["en"]
    assert "Erste Fassung" not in data["html"]["en"]
    assert "(edited)" in data["html"]["en"]


def test_edit_of_a_pending_contribution_stays_with_its_author(pre_page, author):
    comment = write(pre_page, author, "Erste Fassung")
    LiveEvent.objects.all().delete()

    comment_edit(comment=comment, body="Zweite Fassung")

    # Nothing for the readers; the author's tabs get the new text, the moderators' queue
    # (which shows the text it waits with) reads itself again.
    assert [(room, kind) for room, kind, _data in events() if kind != "moderation.queue"] == [
        (f"user.{author.pk}", "comment.updated")
    ]
    assert {room for room, kind, _data in events() if kind == "moderation.queue"} == {
        "moderation.platform",
        f"moderation.organisation.{pre_page.organisation.pk}",
    }


# --- Deleting -----------------------------------------------------------------------------


def test_delete_leaves_a_placeholder_and_keeps_the_replies(page, author):
    root = write(page, author, "Wird gelöscht")
    reply = write(page, UserFactory(), "Bleibt stehen", parent=root)
    LiveEvent.objects.all().delete()

    comment_delete_by_author(comment=root)

    stored = Comment.objects.get(pk=root.pk)
    assert stored.status == Comment.Status.REMOVED
    assert stored.removed_by_author
    assert stored.body == ""
    assert stored.body_html == ""
    assert Comment.objects.get(pk=reply.pk).body == "Bleibt stehen"
    assert Comment.objects.get(pk=reply.pk).parent_id == root.pk
    [(room, kind, data)] = events()
    assert (room, kind) == (f"consultation.{page.pk}", "comment.removed")
    assert "Wird gelöscht" not in json.dumps(data)
    assert "Removed by the author" in data["html"]["en"]


def test_deleting_a_reply_lowers_the_reply_count(page, author):
    root = write(page, author)
    reply = write(page, UserFactory(), "Antwort", parent=root)
    write(page, UserFactory(), "Noch eine", parent=root)

    comment_delete_by_author(comment=reply)

    root.refresh_from_db()
    assert root.reply_count == 1


def test_deleting_a_pending_contribution_publishes_nothing_to_readers(pre_page, author):
    comment = write(pre_page, author)

    comment_delete_by_author(comment=comment)

    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.REMOVED
    assert not LiveEvent.objects.filter(room=f"consultation.{pre_page.pk}").exists()


# --- Reactions ----------------------------------------------------------------------------


def counts_of(comment) -> tuple[int, int, int]:
    comment.refresh_from_db()
    return comment.agree_count, comment.disagree_count, comment.helpful_count


def test_reaction_toggles_on_and_off(page, author):
    comment = write(page, author)
    reader = UserFactory()

    on = reaction_toggle(user=reader, comment=comment, kind=Kind.AGREE)
    assert on == {"agree_count": 1, "disagree_count": 0, "helpful_count": 0}
    assert counts_of(comment) == (1, 0, 0)

    off = reaction_toggle(user=reader, comment=comment, kind=Kind.AGREE)
    assert off == {"agree_count": 0, "disagree_count": 0, "helpful_count": 0}
    assert counts_of(comment) == (0, 0, 0)
    assert not Reaction.objects.exists()


def test_agree_and_disagree_exclude_each_other(page, author):
    comment = write(page, author)
    reader = UserFactory()

    reaction_toggle(user=reader, comment=comment, kind=Kind.AGREE)
    reaction_toggle(user=reader, comment=comment, kind=Kind.HELPFUL)
    switched = reaction_toggle(user=reader, comment=comment, kind=Kind.DISAGREE)

    assert switched == {"agree_count": 0, "disagree_count": 1, "helpful_count": 1}
    assert counts_of(comment) == (0, 1, 1)
    assert set(Reaction.objects.values_list("kind", flat=True)) == {Kind.DISAGREE, Kind.HELPFUL}

    back = reaction_toggle(user=reader, comment=comment, kind=Kind.AGREE)
    assert back == {"agree_count": 1, "disagree_count": 0, "helpful_count": 1}


def test_reactions_of_several_people_are_counted_exactly(page, author):
    comment = write(page, author)
    readers = UserFactory.create_batch(5)
    for reader in readers[:3]:
        reaction_toggle(user=reader, comment=comment, kind=Kind.AGREE)
    reaction_toggle(user=readers[3], comment=comment, kind=Kind.DISAGREE)
    for reader in readers[2:4]:
        reaction_toggle(user=reader, comment=comment, kind=Kind.HELPFUL)
    # One changes their mind, another takes theirs back.
    reaction_toggle(user=readers[0], comment=comment, kind=Kind.DISAGREE)
    reaction_toggle(user=readers[1], comment=comment, kind=Kind.AGREE)

    assert counts_of(comment) == (1, 2, 2)
    for kind, field in [(Kind.AGREE, 0), (Kind.DISAGREE, 1), (Kind.HELPFUL, 2)]:
        assert (
            Reaction.objects.filter(comment=comment, kind=kind).count() == counts_of(comment)[field]
        )


def test_reaction_counts_are_published_after_commit(
    page, author, django_capture_on_commit_callbacks
):
    comment = write(page, author)
    reader, other = UserFactory(), UserFactory()
    LiveEvent.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        reaction_toggle(user=reader, comment=comment, kind=Kind.AGREE)
        reaction_toggle(user=other, comment=comment, kind=Kind.HELPFUL)
        assert not LiveEvent.objects.exists()  # nothing before the commit

    published = events()
    assert {(room, kind) for room, kind, _data in published} == {
        (f"consultation.{page.pk}", "comment.reactions")
    }
    # Every event, and the last one in particular, shows the final counts.
    assert published[-1][2] == {
        "type": "comment.reactions",
        "comment": comment.pk,
        "agree": 1,
        "disagree": 0,
        "helpful": 1,
    }


def test_unknown_reaction_kind_is_refused(page, author):
    comment = write(page, author)

    with pytest.raises(ValueError):
        reaction_toggle(user=UserFactory(), comment=comment, kind="love")

    assert counts_of(comment) == (0, 0, 0)
