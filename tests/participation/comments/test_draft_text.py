"""The draft text review page and contributions on paragraphs and proposals, as readers and
writers meet them: numbered paragraphs, counts, both views, plain posts and htmx."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from participation.comments.models import Comment
from participation.comments.services import comment_create
from participation.consultations.models import ModerationMode
from participation.contributions.targets import Target, TargetKind
from tests.factories import UserFactory
from tests.participation.comments.conftest import comment_in, with_draft_text
from tests.participation.proposals.conftest import proposal_in

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def key(page, number: int) -> str:
    return page.draft_paragraphs()[number - 1].block_id


def on_paragraph(page, number: int, author=None, **fields) -> Comment:
    return comment_in(
        page,
        author or UserFactory(),
        target_kind=TargetKind.PARAGRAPH,
        target_key=key(page, number),
        **fields,
    )


def count_of(soup, page, number: int) -> str:
    return soup.select_one(f'[data-comment-count-for="paragraph:{key(page, number)}"]').text


@pytest.fixture
def citizen(client):
    user = UserFactory(display_name="Frieda Feldweg")
    client.force_login(user)
    return user


def test_paragraphs_are_numbered_and_anchored_with_their_counts(client, draft_page):
    on_paragraph(draft_page, 2)
    on_paragraph(draft_page, 2, status=Comment.Status.HIDDEN)
    reply_to = on_paragraph(draft_page, 5)
    on_paragraph(draft_page, 5, parent=reply_to, root=reply_to, depth=1)

    soup = soup_of(client.get(en("draft_text", draft_page.pk)))

    sections = soup.select("section.draft-paragraph")
    assert [section["id"] for section in sections] == [f"absatz-{n}" for n in range(1, 7)]
    assert sections[2].select_one(".draft-paragraph__number").text.strip() == "Paragraph 3"
    assert "Absatztext 3." in sections[2].text
    # Headings are not numbered and take no contributions.
    assert [h.text for h in soup.select(".draft-text__heading")] == ["Abschnitt 1", "Abschnitt 2"]
    # Published contributions, replies included; a hidden one only as its placeholder.
    assert [count_of(soup, draft_page, n) for n in range(1, 7)] == ["0", "1", "0", "0", "2", "0"]
    assert len(sections[1].select("li.comment")) == 2
    assert soup.select_one("h1").text == "Entwurf der Baumschutzsatzung"


def test_the_page_costs_the_same_whatever_the_length_of_the_text(
    client, make_consultation, organisation_area
):
    small = with_draft_text(make_consultation("open"), 2)
    large = with_draft_text(make_consultation("open"), 60)
    viewer = UserFactory()
    for page, per_paragraph in ((small, 1), (large, 3)):
        for number in range(1, len(page.draft_paragraphs()) + 1):
            for _n in range(per_paragraph):
                root = on_paragraph(page, number)
                on_paragraph(page, number, parent=root, root=root, depth=1)
    client.force_login(viewer)

    counts = []
    for page in (small, large):
        client.get(en("draft_text", page.pk))  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(en("draft_text", page.pk))
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    soup = soup_of(response)
    assert len(soup.select("section.draft-paragraph")) == 60
    assert len(soup.select("li.comment")) == 60 * 6
    assert count_of(soup, large, 60) == "6"


def test_inline_is_the_default_and_aside_a_link_away(client, draft_page):
    inline = soup_of(client.get(en("draft_text", draft_page.pk)))
    aside = soup_of(client.get(en("draft_text", draft_page.pk) + "?view=aside"))
    odd = soup_of(client.get(en("draft_text", draft_page.pk) + "?view=sideways"))

    assert "text-review--inline" in inline.select_one(".text-review")["class"]
    assert inline.select_one('[data-view-switch="inline"]')["aria-current"] == "true"
    assert inline.select_one('[data-view-switch="aside"]')["href"] == "?view=aside"
    # Inline the threads open on demand; beside the text they are open.
    assert not inline.select("details.draft-paragraph__comments[open]")
    assert len(aside.select("details.draft-paragraph__comments[open]")) == 6
    assert "text-review--aside" in aside.select_one(".text-review")["class"]
    assert "text-review--inline" in odd.select_one(".text-review")["class"]


def test_a_page_without_a_draft_text_has_no_review_page(client, make_consultation):
    assert client.get(en("draft_text", make_consultation("open").pk)).status_code == 404


def test_the_consultation_page_links_the_draft_text_and_counts_only_its_own_discussion(
    client, draft_page
):
    on_paragraph(draft_page, 1)
    comment_in(draft_page, UserFactory(), body="Allgemein")

    with translation.override("en"):
        soup = soup_of(client.get(draft_page.url))

    assert soup.select_one(".draft-text-teaser a")["href"] == en("draft_text", draft_page.pk)
    assert "6 paragraphs" in soup.select_one(".draft-text-teaser").text
    assert soup.select_one('#discussion [data-comment-count-for="consultation"]').text == "1"
    assert len(soup.select("#comment-list > li.comment")) == 1


def test_commenting_on_a_paragraph_without_javascript(client, draft_page, citizen):
    form_id = f"form-body-{key(draft_page, 2)}"
    form = soup_of(client.get(en("draft_text", draft_page.pk))).select_one(f"form#{form_id}")
    assert form.select_one("input[name=target]")["value"] == f"paragraph:{key(draft_page, 2)}"
    assert form.select_one("label").text == "Your contribution on paragraph 2"

    response = client.post(
        en("comment_create", draft_page.pk),
        {"body": "Der Takt ist zu dünn.", "target": f"paragraph:{key(draft_page, 2)}"},
    )

    comment = Comment.objects.get()
    assert comment.target == Target(TargetKind.PARAGRAPH, key(draft_page, 2))
    assert response.status_code == 302
    assert response["Location"] == (
        f"{en('draft_text', draft_page.pk)}?open={key(draft_page, 2)}#comment-{comment.pk}"
    )
    soup = soup_of(client.get(response["Location"]))
    opened = soup.select("details.draft-paragraph__comments[open]")
    assert [d.find_parent("section")["id"] for d in opened] == ["absatz-2"]
    assert "Der Takt ist zu dünn." in opened[0].select_one(f"#comment-{comment.pk}").text
    assert count_of(soup, draft_page, 2) == "1"
    assert "Your contribution has been published." in soup.select_one(".messages").text


def test_commenting_on_a_paragraph_with_htmx(client, draft_page, citizen):
    target = f"paragraph:{key(draft_page, 4)}"

    response = client.post(
        en("comment_create", draft_page.pk), {"body": "Per htmx", "target": target}, headers=HTMX
    )

    soup = soup_of(response)
    comment = Comment.objects.get()
    fresh = soup.select_one("form")
    assert fresh["id"] == f"form-body-{key(draft_page, 4)}"
    assert fresh.select_one("input[name=target]")["value"] == target
    assert fresh.select_one("textarea").text == ""
    created = soup.select_one("template[data-created-comment]")
    assert created["data-target"] == target
    assert created["data-created-comment"] == str(comment.pk)


def test_a_revised_paragraph_is_refused_with_the_reason_and_the_text_kept(
    client, draft_page, citizen
):
    response = client.post(
        en("comment_create", draft_page.pk),
        {"body": "Mein Hinweis", "target": "paragraph:nicht-mehr-da"},
    )

    assert response.status_code == 422
    soup = soup_of(response)
    assert "not part of the current draft text" in soup.select_one(".form-errors").text
    assert soup.select_one("textarea").text == "Mein Hinweis"
    assert not Comment.objects.exists()


def test_paragraph_contributions_share_the_rate_limit(client, draft_page, citizen):
    target = f"paragraph:{key(draft_page, 1)}"
    for n in range(5):
        comment_create(author=citizen, consultation=draft_page, body=f"Vorher {n}")
        client.post(en("comment_create", draft_page.pk), {"body": f"Absatz {n}", "target": target})

    response = client.post(
        en("comment_create", draft_page.pk), {"body": "Zu schnell", "target": target}
    )

    assert response.status_code == 429
    assert "Zu schnell" in soup_of(response).select_one("textarea").text


def test_pre_moderated_paragraph_contributions_wait_and_are_not_counted(
    client, make_consultation, citizen
):
    page = with_draft_text(make_consultation("open", moderation_mode=ModerationMode.PRE))

    client.post(
        en("comment_create", page.pk),
        {"body": "Bitte prüfen", "target": f"paragraph:{key(page, 1)}"},
    )

    soup = soup_of(client.get(en("draft_text", page.pk)))
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert soup.select_one("#absatz-1 li.comment--pending")  # the author sees it waiting
    assert count_of(soup, page, 1) == "0"


# --- Proposals ----------------------------------------------------------------------------


def test_the_proposal_page_has_its_own_thread(client, make_consultation, citizen):
    page = make_consultation("open")
    proposal = proposal_in(page, UserFactory())
    comment_in(page, UserFactory(), body="Zur Beteiligung")
    comment_create(
        author=UserFactory(),
        consultation=page,
        body="Zum Vorschlag",
        target=f"proposal:{proposal.pk}",
    )

    soup = soup_of(client.get(proposal.get_absolute_url()))

    items = soup.select("#comment-list > li.comment")
    assert [li.select_one(".comment__text").text.strip() for li in items] == ["Zum Vorschlag"]
    assert soup.select_one("form#comment-form input[name=target]")["value"] == (
        f"proposal:{proposal.pk}"
    )
    assert soup.select_one(f'[data-comment-count-for="proposal:{proposal.pk}"]').text == "1"


def test_commenting_on_a_proposal_counts_for_the_list_sorted_by_comments(
    client, make_consultation, citizen
):
    page = make_consultation("open")
    quiet = proposal_in(page, UserFactory(), title="Ruhiger Vorschlag")
    discussed = proposal_in(page, UserFactory(), title="Viel diskutiert")

    response = client.post(
        en("comment_create", page.pk), {"body": "Gute Idee", "target": f"proposal:{discussed.pk}"}
    )

    comment = Comment.objects.get()
    assert (
        response["Location"]
        == f"{en('proposal_detail', page.pk, discussed.pk)}#comment-{comment.pk}"
    )
    discussed.refresh_from_db()
    assert discussed.comment_count == 1
    listing = soup_of(client.get(en("proposal_list", page.pk) + "?sort=comments"))
    titles = [a.text.strip() for a in listing.select("article h2 a, article h3 a")]
    assert titles.index("Viel diskutiert") < titles.index(quiet.title)


def test_the_proposal_thread_fragment_sorts_with_its_target(client, make_consultation, citizen):
    page = make_consultation("open")
    proposal = proposal_in(page, UserFactory())
    comment_in(page, UserFactory(), body="Zur Beteiligung")
    mine = comment_create(
        author=citizen, consultation=page, body="Zum Vorschlag", target=f"proposal:{proposal.pk}"
    )
    detail = soup_of(client.get(proposal.get_absolute_url()))
    link = detail.select_one(".sort-links a[hx-get*=oldest]")["hx-get"]

    fragment = soup_of(client.get(link, headers=HTMX))

    assert [int(li["data-comment-id"]) for li in fragment.select("#comment-list > li")] == [mine.pk]
    assert client.get(en("comment_thread", page.pk) + "?target=proposal:0").status_code == 404
