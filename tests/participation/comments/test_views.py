"""The discussion as readers and writers meet it: plain form posts, htmx, errors, the thread."""

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone, translation

from participation.comments.models import BODY_MAX_LENGTH, Comment, Reaction
from participation.comments.services import comment_create
from participation.consultations.models import ModerationMode
from participation.contributions import ratelimit
from tests.factories import UserFactory, rate_limits

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def de(name: str, *args) -> str:
    with translation.override("de"):
        return reverse(name, args=args)


def en_page(page) -> str:
    with translation.override("en"):
        return page.url


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def textarea(response) -> str:
    return soup_of(response).find("textarea", attrs={"name": "body"}).string or ""


def item(soup: BeautifulSoup, comment) -> BeautifulSoup | None:
    return soup.find("li", id=f"comment-{comment.pk}")


def top_level_ids(response) -> list[int]:
    return [
        int(li["data-comment-id"]) for li in soup_of(response).select("#comment-list > li.comment")
    ]


@pytest.fixture
def page(make_consultation):
    return make_consultation("open")


@pytest.fixture
def citizen(client):
    user = UserFactory(display_name="Frieda Feldweg")
    client.force_login(user)
    return user


def write(page, author, body="Mehr Fahrradständer am Bahnhof.", **kwargs) -> Comment:
    return comment_create(author=author, consultation=page, body=body, **kwargs)


# --- Writing without JavaScript -----------------------------------------------------------


def test_post_creates_and_redirects_to_the_new_contribution(client, page, citizen):
    response = client.post(en("comment_create", page.pk), {"body": "**Mehr** Bänke"})

    comment = Comment.objects.get()
    assert comment.author == citizen
    assert comment.status == Comment.Status.PUBLISHED
    assert response.status_code == 302
    assert response["Location"] == f"{en_page(page)}#comment-{comment.pk}"

    shown = client.get(response["Location"])
    soup = soup_of(shown)
    assert "Your contribution has been published." in soup.select_one(".messages").text
    li = item(soup, comment)
    assert li.select_one(".comment__text").decode_contents() == "<p><strong>Mehr</strong> Bänke</p>"
    assert "Frieda Feldweg" in li.select_one(".comment__author").text


def test_reply_without_javascript(client, page, citizen):
    root = write(page, UserFactory())

    response = client.post(en("comment_create", page.pk), {"body": "Genau!", "parent": root.pk})

    reply = Comment.objects.get(parent=root)
    assert response["Location"].endswith(f"#comment-{reply.pk}")
    soup = soup_of(client.get(response["Location"]))
    assert item(soup, reply) in item(soup, root).select(f"#replies-{root.pk} > li")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Please write something before you send."),
        ("   ", "Please write something before you send."),
        ("x", "Please write at least 2 characters."),
        ("y" * (BODY_MAX_LENGTH + 1), "A contribution can have at most 5000 characters."),
    ],
)
def test_invalid_text_is_refused_with_the_reason_and_the_draft_kept(
    client, page, citizen, body, message
):
    response = client.post(en("comment_create", page.pk), {"body": body})

    assert response.status_code == 422
    errors = soup_of(response).select_one("#id_body_errors").text
    assert message in errors
    assert textarea(response).strip() == body.strip()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("state", ["upcoming", "evaluation", "finished"])
def test_closed_phase_refuses_with_an_explanation_and_keeps_the_draft(
    client, make_consultation, citizen, state
):
    closed = make_consultation(state)

    response = client.post(en("comment_create", closed.pk), {"body": "Zu spät, aber wichtig"})

    assert response.status_code == 403
    alert = soup_of(response).select_one(".form-errors").text
    assert "Contributions are not possible in the current phase of this consultation." in alert
    assert textarea(response) == "Zu spät, aber wichtig"
    assert not Comment.objects.exists()


def test_closed_page_says_the_discussion_is_closed(client, make_consultation, citizen):
    closed = make_consultation("evaluation")

    soup = soup_of(client.get(en_page(closed)))

    assert soup.select_one("#discussion form#comment-form") is None
    assert "The discussion is closed" in soup.select_one("#discussion .notice").text


def test_anonymous_post_goes_to_login(client, page):
    response = client.post(en("comment_create", page.pk), {"body": "Ohne Konto"})

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(en("account_login") + "?next=")
    assert "radwege" in location
    assert not Comment.objects.exists()


def test_anonymous_reader_is_invited_to_log_in(client, page):
    soup = soup_of(client.get(en_page(page)))

    assert soup.select_one("form#comment-form") is None
    assert "Log in" in soup.select_one("#discussion .notice").text


def test_citizen_cannot_publish_an_official_statement(client, page, citizen):
    response = client.post(
        en("comment_create", page.pk), {"body": "Ich bin die Stadt", "official": "on"}
    )

    assert response.status_code == 422
    assert response.context["form"].errors["official"] == [
        "Only speakers of the organisation can publish official statements."
    ]
    alerts = " ".join(node.text for node in soup_of(response).select("[role=alert]"))
    assert "Only speakers of the organisation can publish official statements." in alerts
    assert textarea(response) == "Ich bin die Stadt"
    assert not Comment.objects.exists()


def test_speaker_publishes_an_official_statement(client, page, organisation_area):
    from cooperative.organisations.models import OrganisationRole
    from tests.factories import grant, log_in_with_second_factor

    org, _index = organisation_area
    speaker = UserFactory()
    grant(speaker, org, OrganisationRole.Role.SPEAKER)
    log_in_with_second_factor(client, speaker)  # the organisation's voice needs it
    form_page = soup_of(client.get(en_page(page)))
    assert form_page.select_one("form#comment-form input[name=official]") is not None

    response = client.post(
        en("comment_create", page.pk), {"body": "Die Stadt prüft das.", "official": "on"}
    )

    statement = Comment.objects.get()
    assert statement.organisation == org
    soup = soup_of(client.get(response["Location"]))
    assert "Official statement · Stadt Musterstadt" in item(soup, statement).text
    assert "Die Stadt prüft das." in soup.select_one(".statements").text


def test_admin_cannot_write_when_the_phase_is_closed(client, make_consultation):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.post(
        en("comment_create", make_consultation("finished").pk), {"body": "Admin"}
    )

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_answering_an_invisible_contribution_is_refused(client, make_consultation, citizen):
    pre = make_consultation("open", moderation_mode=ModerationMode.PRE)
    pending = write(pre, UserFactory())

    response = client.post(en("comment_create", pre.pk), {"body": "Antwort", "parent": pending.pk})

    assert response.status_code == 422
    assert "The contribution you wanted to answer no longer exists." in response.content.decode()
    assert textarea(response) == "Antwort"
    assert Comment.objects.count() == 1


# --- Rate limit ---------------------------------------------------------------------------


@pytest.fixture
def frozen_clock(monkeypatch):
    # 18 seconds into a one-minute window, so the wait is exactly 42 seconds.
    clock = SimpleNamespace(now=60 * 16_666_667 + 18)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


def test_sixth_contribution_within_a_minute_must_wait(client, page, citizen, frozen_clock):
    for number in range(5):
        response = client.post(en("comment_create", page.pk), {"body": f"Beitrag {number}"})
        assert response.status_code == 302

    response = client.post(en("comment_create", page.pk), {"body": "Der sechste"})

    assert response.status_code == 429
    alert = soup_of(response).select_one(".form-errors").text
    assert "Please wait 42 seconds" in alert
    assert textarea(response) == "Der sechste"
    assert Comment.objects.count() == 5

    frozen_clock.now += 42
    assert client.post(en("comment_create", page.pk), {"body": "Der sechste"}).status_code == 302
    assert Comment.objects.count() == 6


def test_rate_limit_answers_htmx_with_the_form(client, page, citizen, frozen_clock, settings):
    rate_limits(settings, "comment", person="1/minute")
    client.post(en("comment_create", page.pk), {"body": "Erster"}, headers=HTMX)

    response = client.post(en("comment_create", page.pk), {"body": "Zweiter"}, headers=HTMX)

    assert response.status_code == 429
    assert response["HX-Reswap"] == "outerHTML"
    assert "Please wait 42 seconds" in response.content.decode()
    assert textarea(response) == "Zweiter"


def test_rate_limit_is_per_person(client, page, citizen, frozen_clock, settings):
    rate_limits(settings, "comment", person="1/minute")
    assert client.post(en("comment_create", page.pk), {"body": "Erster"}).status_code == 302
    client.force_login(UserFactory())

    assert client.post(en("comment_create", page.pk), {"body": "Andere"}).status_code == 302


# --- htmx ---------------------------------------------------------------------------------


def test_htmx_post_returns_a_fresh_form_and_the_new_item(client, page, citizen):
    response = client.post(en("comment_create", page.pk), {"body": "Per *htmx*"}, headers=HTMX)

    comment = Comment.objects.get()
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.find("html") is None  # a fragment, not a page
    form = soup.select_one("form#comment-form")
    assert (form.find("textarea").string or "") == ""
    created = soup.select_one(f'template[data-created-comment="{comment.pk}"]')
    assert created["data-parent"] == ""
    assert created.select_one(f"li#comment-{comment.pk} .comment__text").decode_contents() == (
        "<p>Per <em>htmx</em></p>"
    )


def test_htmx_reply_names_its_parent(client, page, citizen):
    root = write(page, UserFactory())

    response = client.post(
        en("comment_create", page.pk), {"body": "Antwort", "parent": root.pk}, headers=HTMX
    )

    reply = Comment.objects.get(parent=root)
    created = soup_of(response).select_one("template[data-created-comment]")
    assert created["data-created-comment"] == str(reply.pk)
    assert created["data-parent"] == str(root.pk)


def test_htmx_error_replaces_the_form_in_place(client, page, citizen):
    response = client.post(en("comment_create", page.pk), {"body": "x"}, headers=HTMX)

    assert response.status_code == 422
    assert response["HX-Retarget"] == "this"
    assert response["HX-Reswap"] == "outerHTML"
    assert soup_of(response).find("html") is None
    assert textarea(response) == "x"


# --- Editing ------------------------------------------------------------------------------


def test_author_edits_within_the_window(client, page, citizen):
    comment = write(page, citizen, "Erste Fassung")
    edit_url = en("comment_edit", page.pk, comment.pk)

    form = client.get(edit_url)
    assert form.status_code == 200
    assert textarea(form) == "Erste Fassung"

    response = client.post(edit_url, {"body": "Zweite **Fassung**"})

    assert response.status_code == 302
    assert response["Location"] == f"{en_page(page)}#comment-{comment.pk}"
    li = item(soup_of(client.get(response["Location"])), comment)
    assert li.select_one(".comment__text").decode_contents() == (
        "<p>Zweite <strong>Fassung</strong></p>"
    )
    assert li.select_one(".comment__edited").text == "(edited)"


def test_german_page_marks_edits_with_the_catalogue_text(client, page, citizen):
    comment = write(page, citizen, "Erste Fassung")
    client.post(de("comment_edit", page.pk, comment.pk), {"body": "Zweite Fassung"})
    with translation.override("de"):
        from django.utils.translation import gettext

        expected = f"({gettext('edited')})"
        german_url = page.url

    li = item(soup_of(client.get(german_url)), comment)

    assert li.select_one(".comment__edited").text == expected


def test_htmx_edit_returns_the_changed_item(client, page, citizen):
    comment = write(page, citizen, "Erste Fassung")

    response = client.post(
        en("comment_edit", page.pk, comment.pk), {"body": "Zweite Fassung"}, headers=HTMX
    )

    li = item(soup_of(response), comment)
    assert "Zweite Fassung" in li.select_one(".comment__text").text
    assert li.select_one(".comment__edited").text == "(edited)"


def test_edit_keeps_the_draft_when_the_text_is_invalid(client, page, citizen):
    comment = write(page, citizen, "Erste Fassung")

    response = client.post(en("comment_edit", page.pk, comment.pk), {"body": "x"})

    assert response.status_code == 422
    assert "Please write at least 2 characters." in response.content.decode()
    assert textarea(response) == "x"
    assert Comment.objects.get(pk=comment.pk).body == "Erste Fassung"


@pytest.mark.parametrize("method", ["get", "post"])
def test_edit_outside_the_window_is_refused(client, page, citizen, method):
    comment = write(page, citizen, "Erste Fassung")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=15, seconds=5)
    )

    response = getattr(client, method)(en("comment_edit", page.pk, comment.pk), {"body": "Zu spät"})

    assert response.status_code == 403
    assert "This contribution can no longer be edited." in response.content.decode()
    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.body, stored.edited_at) == ("Erste Fassung", None)


def test_edit_is_offered_only_until_the_window_ends(client, page, citizen):
    """The shared HTML carries the window's end (the page script removes the link then);
    a contribution rendered for its author after the window offers no edit at all."""
    comment = write(page, citizen, "Erste Fassung")
    link = item(soup_of(client.get(en_page(page))), comment).select_one("a[data-edit-until]")
    assert link is not None
    until = datetime.fromisoformat(link["data-edit-until"])
    assert abs(until - (comment.created_at + timedelta(minutes=15))) < timedelta(seconds=1)

    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=15, seconds=5)
    )
    comment.refresh_from_db()
    fragment = client.get(en("comment_edit", page.pk, comment.pk))
    assert fragment.status_code == 403
    from django.template.loader import render_to_string

    html = render_to_string(
        "participation_comments/comment_item.html",
        {"comment": comment, "viewer": citizen, "live": False},
    )
    assert "data-edit-until" not in html
    assert "Delete" in html  # deleting stays possible


@pytest.mark.parametrize("who", ["citizen", "admin"])
def test_nobody_else_edits_a_contribution(client, page, who):
    comment = write(page, UserFactory(), "Meine Worte")
    client.force_login(UserFactory(is_superuser=who == "admin", is_staff=who == "admin"))

    response = client.post(en("comment_edit", page.pk, comment.pk), {"body": "Fremde Worte"})

    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).body == "Meine Worte"


# --- Deleting -----------------------------------------------------------------------------


def test_author_deletes_and_a_placeholder_stays(client, page, citizen):
    comment = write(page, citizen, "Das nehme ich zurück")
    reply = write(page, UserFactory(display_name="Anton Antwort"), "Schade", parent=comment)

    response = client.post(en("comment_delete", page.pk, comment.pk))

    assert response.status_code == 302
    soup = soup_of(client.get(response["Location"]))
    li = item(soup, comment)
    assert li.select_one(".comment__author").text == "Removed by the author"
    assert "Das nehme ich zurück" not in soup.text
    assert "Frieda Feldweg" not in li.select_one("article").text
    assert "Schade" in item(li, reply).select_one(".comment__text").text


def test_german_placeholder_comes_from_the_catalogue(client, page, citizen):
    comment = write(page, citizen, "Das nehme ich zurück")
    client.post(de("comment_delete", page.pk, comment.pk))
    with translation.override("de"):
        from django.utils.translation import gettext

        expected = gettext("Removed by the author")  # "Vom Verfasser entfernt" once translated
        german_url = page.url

    li = item(soup_of(client.get(german_url)), comment)

    assert li.select_one(".comment__author").text == expected


def test_htmx_delete_returns_the_placeholder(client, page, citizen):
    comment = write(page, citizen, "Weg damit")

    response = client.post(en("comment_delete", page.pk, comment.pk), headers=HTMX)

    li = item(soup_of(response), comment)
    assert li.select_one(".comment__author").text == "Removed by the author"
    assert "Weg damit" not in response.content.decode()


@pytest.mark.parametrize("who", ["citizen", "admin"])
def test_nobody_else_deletes_as_the_author(client, page, who):
    comment = write(page, UserFactory(), "Meine Worte")
    client.force_login(UserFactory(is_superuser=who == "admin", is_staff=who == "admin"))

    response = client.post(en("comment_delete", page.pk, comment.pk))

    assert response.status_code == 403
    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.status, stored.removed_by_author) == (Comment.Status.PUBLISHED, False)


# --- Reactions ----------------------------------------------------------------------------


def test_reaction_without_javascript(client, page, citizen):
    comment = write(page, UserFactory())

    response = client.post(en("comment_react", page.pk, comment.pk), {"kind": "agree"})

    assert response["Location"] == f"{en_page(page)}#comment-{comment.pk}"
    li = item(soup_of(client.get(response["Location"])), comment)
    agree = li.select_one('button[value="agree"]')
    assert agree["aria-pressed"] == "true"
    assert agree.select_one("[data-count=agree]").text == "1"


def test_htmx_reaction_returns_the_counts(client, page, citizen):
    comment = write(page, UserFactory())
    client.post(en("comment_react", page.pk, comment.pk), {"kind": "agree"}, headers=HTMX)

    response = client.post(
        en("comment_react", page.pk, comment.pk), {"kind": "disagree"}, headers=HTMX
    )

    soup = soup_of(response)
    assert soup.select_one("[data-count=agree]").text.strip() == "0"
    assert soup.select_one("[data-count=disagree]").text.strip() == "1"
    assert soup.select_one('button[value="disagree"]')["aria-pressed"] == "true"
    assert soup.select_one('button[value="agree"]')["aria-pressed"] == "false"


def test_own_contribution_takes_no_reaction(client, page, citizen):
    comment = write(page, citizen)

    response = client.post(en("comment_react", page.pk, comment.pk), {"kind": "agree"})

    assert response.status_code == 403
    assert "You cannot react to this contribution." in response.content.decode()
    assert not Reaction.objects.exists()


def test_unknown_reaction_is_a_bad_request(client, page, citizen):
    comment = write(page, UserFactory())

    response = client.post(en("comment_react", page.pk, comment.pk), {"kind": "love"})

    assert response.status_code == 400
    assert response.content.decode() == "Unknown reaction."


def test_anonymous_reaction_goes_to_login(client, page):
    comment = write(page, UserFactory())

    response = client.post(en("comment_react", page.pk, comment.pk), {"kind": "agree"})

    assert response["Location"].startswith(en("account_login"))
    assert not Reaction.objects.exists()


# --- Who sees what ------------------------------------------------------------------------


@pytest.fixture
def pending_case(make_consultation, organisation_area, other_organisation_area):
    from cooperative.organisations.models import OrganisationRole
    from tests.factories import grant, organisation_mandate

    org, _index = organisation_area
    other_org, _other_index = other_organisation_area
    pre = make_consultation("open", moderation_mode=ModerationMode.PRE)
    author = UserFactory()
    pending = write(pre, author, "Noch ungeprüft")
    assert pending.status == Comment.Status.PENDING
    moderator, other_moderator = UserFactory(), UserFactory()
    grant(moderator, org, OrganisationRole.Role.MODERATOR)
    grant(other_moderator, other_org, OrganisationRole.Role.MODERATOR)
    organisation_mandate(org)
    organisation_mandate(other_org)
    return SimpleNamespace(
        page=pre,
        comment=pending,
        readers={
            "author": author,
            "moderator": moderator,
            "admin": UserFactory(is_superuser=True, is_staff=True),
            "citizen": UserFactory(),
            "other_moderator": other_moderator,
            "anonymous": None,
        },
    )


@pytest.mark.parametrize(
    ("reader", "sees"),
    [
        ("author", True),
        ("moderator", True),
        ("admin", True),
        ("citizen", False),
        ("other_moderator", False),
        ("anonymous", False),
    ],
)
def test_pending_contributions_are_shown_to_author_and_moderators_only(
    client, pending_case, reader, sees
):
    person = pending_case.readers[reader]
    if person is not None:
        client.force_login(person)

    html = client.get(en_page(pending_case.page)).content.decode()

    assert ("Noch ungeprüft" in html) is sees
    assert (f'id="comment-{pending_case.comment.pk}"' in html) is sees
    if sees:
        li = item(BeautifulSoup(html, "html.parser"), pending_case.comment)
        assert "Waiting for moderation" in li.select_one(".badge--pending").text


def test_pre_moderated_post_thanks_the_author(client, make_consultation, citizen):
    pre = make_consultation("open", moderation_mode=ModerationMode.PRE)

    response = client.post(en("comment_create", pre.pk), {"body": "Bitte prüfen"}, follow=True)

    html = response.content.decode()
    assert "Your contribution will appear once the moderators have checked it." in html
    assert "Bitte prüfen" in html


@pytest.mark.parametrize(
    ("status", "removed_by_author", "placeholder"),
    [
        (Comment.Status.HIDDEN, False, "Hidden by the moderators"),
        (Comment.Status.REMOVED, False, "Removed"),
        (Comment.Status.REMOVED, True, "Removed by the author"),
    ],
)
def test_placeholders_hide_the_text_but_keep_the_replies(
    client, page, status, removed_by_author, placeholder
):
    gone = write(page, UserFactory(display_name="Verena Verborgen"), "Verbotener Text")
    reply = write(page, UserFactory(), "Antwort bleibt", parent=gone)
    Comment.objects.filter(pk=gone.pk).update(status=status, removed_by_author=removed_by_author)

    soup = soup_of(client.get(en_page(page)))

    li = item(soup, gone)
    card = li.find("article", recursive=False)
    assert card.select_one(".comment__author").text == placeholder
    assert "Verbotener Text" not in soup.text
    assert "Verena Verborgen" not in soup.text
    assert card.select_one(".reactions") is None
    # Nothing links the placeholder to its author's other contributions.
    assert li["data-author"] == ""
    assert "Antwort bleibt" in item(li, reply).text


# --- Sorting, pagination, query parameters ------------------------------------------------


@pytest.fixture
def sortable(page):
    """Four roots: A oldest with two replies, B most agreed, C, D newest with one reply."""
    now = timezone.now()
    roots = {}
    for hours, name in [(4, "A"), (3, "B"), (2, "C"), (1, "D")]:
        comment = write(page, UserFactory(), f"Beitrag {name}")
        Comment.objects.filter(pk=comment.pk).update(created_at=now - timedelta(hours=hours))
        roots[name] = comment
    write(page, UserFactory(), "Antwort A1", parent=roots["A"])
    write(page, UserFactory(), "Antwort A2", parent=roots["A"])
    write(page, UserFactory(), "Antwort D1", parent=roots["D"])
    Comment.objects.filter(pk=roots["B"].pk).update(agree_count=5)
    Comment.objects.filter(pk=roots["D"].pk).update(agree_count=1)
    return roots


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("newest", "DCBA"),
        ("oldest", "ABCD"),
        ("replies", "ADCB"),
        ("agreed", "BDCA"),
        ("", "DCBA"),
        ("bogus", "DCBA"),
    ],
)
def test_thread_sorting(client, page, sortable, sort, order):
    by_pk = {comment.pk: name for name, comment in sortable.items()}

    response = client.get(f"{de('comment_thread', page.pk)}?sort={sort}")

    assert response.status_code == 200
    assert "".join(by_pk[pk] for pk in top_level_ids(response)) == order
    current = soup_of(response).select_one(".sort-links a[aria-current]")
    assert current["href"].startswith(
        f"?sort={sort if sort in ('oldest', 'replies', 'agreed') else 'newest'}"
    )


def test_page_load_sorts_like_the_fragment(client, page, sortable):
    by_pk = {comment.pk: name for name, comment in sortable.items()}

    response = client.get(f"{en_page(page)}?sort=agreed")

    assert "".join(by_pk[pk] for pk in top_level_ids(response)) == "BDCA"


@pytest.fixture
def long_thread(page):
    author = UserFactory()
    roots = Comment.objects.bulk_create(
        Comment(
            consultation=page, author=author, body=f"Wurzel {n}", body_html=f"<p>Wurzel {n}</p>"
        )
        for n in range(45)
    )
    Comment.objects.bulk_create(
        Comment(
            consultation=page,
            author=author,
            parent=root,
            root=root,
            depth=1,
            body="Antwort",
            body_html="<p>Antwort</p>",
        )
        for root in roots[:30]
    )
    return roots


@pytest.mark.parametrize(("number", "count"), [(1, 20), (2, 20), (3, 5)])
def test_pagination_keeps_twenty_roots_per_page(client, page, long_thread, number, count):
    response = client.get(f"{en('comment_thread', page.pk)}?sort=oldest&page={number}")

    ids = top_level_ids(response)
    assert ids == [root.pk for root in long_thread[(number - 1) * 20 : number * 20]]
    assert len(ids) == count
    assert f"Page {number} of 3" in soup_of(response).select_one(".pagination").text


def test_page_load_paginates_too(client, page, long_thread):
    soup = soup_of(client.get(f"{en_page(page)}?sort=oldest&page=2"))

    assert len(soup.select("#comment-list > li.comment")) == 20
    assert soup.select_one(".pagination a[rel=next]")["href"] == "?sort=oldest&page=3#discussion"
    assert soup.select_one(".pagination a[rel=prev]")["href"] == "?sort=oldest&page=1#discussion"


@pytest.mark.parametrize(
    "query",
    [
        "sort=bogus",
        "page=abc",
        "page=0",
        "page=-3",
        "page=99999",
        "page=1.5",
        "sort=&page=",
        "sort=newest&sort=oldest&page=2&page=x",
        "sort=%00%ff",
    ],
)
def test_bad_query_parameters_do_not_crash(client, page, long_thread, query):
    fragment = client.get(f"{en('comment_thread', page.pk)}?{query}")
    full = client.get(f"{en_page(page)}?{query}")

    assert fragment.status_code == 200
    assert full.status_code == 200
    assert len(top_level_ids(fragment)) in {20, 5}
    assert len(top_level_ids(full)) in {20, 5}


def test_odd_official_flag_does_not_crash(client, page, long_thread):
    assert client.get(f"{en('comment_thread', page.pk)}?official=maybe").status_code == 200
    assert client.get(f"{en_page(page)}?official=maybe").status_code == 200


def test_official_filter_in_the_fragment(client, page):
    write(page, UserFactory(), "Privat")
    statement = write(page, UserFactory(), "Amtlich", official=True)

    response = client.get(f"{en('comment_thread', page.pk)}?official=1")

    assert top_level_ids(response) == [statement.pk]


def test_thread_of_an_unpublished_consultation_is_not_found(client, make_consultation):
    draft = make_consultation("open", live=False)

    assert client.get(en("comment_thread", draft.pk)).status_code == 404
