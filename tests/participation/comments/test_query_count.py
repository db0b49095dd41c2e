"""Acceptance: a page of a 5,000-contribution thread costs as many SQL queries as a page of a
10-contribution thread, for every kind of reader, on the page and in the thread fragment."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cooperative.organisations.models import OrganisationRole
from participation.comments.models import Comment, Reaction
from participation.consultations.models import ModerationMode
from tests.factories import UserFactory, grant, organisation_mandate

pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 5_000


def build_thread(page, size: int, authors, organisation, viewer) -> None:
    """`size` contributions: roots, and on the newest roots replies down to the maximum depth,
    official statements, pending and hidden ones, and reactions of the viewer."""
    replies_wanted = min(size // 3, 60)
    root_count = size - replies_wanted

    def body(n, kind="Beitrag"):
        return {"body": f"{kind} {n}", "body_html": f"<p>{kind} <strong>{n}</strong></p>"}

    roots = Comment.objects.bulk_create(
        Comment(
            consultation=page,
            author=authors[n % len(authors)],
            is_official=n % 50 == 7,
            organisation=organisation if n % 50 == 7 else None,
            status=(
                Comment.Status.PENDING
                if n % 40 == 3
                else Comment.Status.HIDDEN
                if n % 40 == 5
                else Comment.Status.PUBLISHED
            ),
            **body(n),
        )
        for n in range(root_count)
    )
    newest = [root for root in reversed(roots) if root.status == Comment.Status.PUBLISHED][:20]
    # Replies in three layers, so that every depth is on the rendered page.
    parents = newest
    made = 0
    depth = 1
    while made < replies_wanted:
        layer = []
        for n, parent in enumerate(parents):
            if made + len(layer) >= replies_wanted:
                break
            layer.append(
                Comment(
                    consultation=page,
                    author=authors[(n + depth) % len(authors)],
                    parent=parent,
                    root=parent.root or parent,
                    depth=min(depth, 3),
                    **body(n, f"Antwort{depth}"),
                )
            )
        layer = Comment.objects.bulk_create(layer)
        made += len(layer)
        parents = layer if depth < 3 else parents
        depth += 1
    Reaction.objects.bulk_create(
        Reaction(comment=comment, user=viewer, kind=Reaction.Kind.AGREE) for comment in newest[::3]
    )
    assert Comment.objects.filter(consultation=page).count() == size


@pytest.fixture
def threads(make_consultation, organisation_area):
    org, _index = organisation_area
    authors = UserFactory.create_batch(12)
    citizen = UserFactory()
    moderator = UserFactory()
    grant(moderator, org, OrganisationRole.Role.MODERATOR)
    organisation_mandate(org)
    small = make_consultation("open", moderation_mode=ModerationMode.POST)
    large = make_consultation("open", moderation_mode=ModerationMode.POST)
    build_thread(small, SMALL, authors, org, citizen)
    build_thread(large, LARGE, authors, org, citizen)
    return {"small": small, "large": large, "citizen": citizen, "moderator": moderator}


def count_queries(client, url: str) -> tuple[int, str]:
    client.get(url)  # warm the per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def page_url(page) -> str:
    with translation.override("en"):
        return page.url


def fragment_url(page) -> str:
    with translation.override("en"):
        return reverse("comment_thread", args=[page.pk])


@pytest.mark.parametrize("viewer", ["anonymous", "citizen", "moderator"])
@pytest.mark.parametrize("where", ["page", "fragment"])
def test_thread_page_costs_the_same_whatever_the_size(client, threads, viewer, where):
    if viewer != "anonymous":
        client.force_login(threads[viewer])
    url = {"page": page_url, "fragment": fragment_url}[where]

    small_count, _small_html = count_queries(client, url(threads["small"]))
    large_count, large_html = count_queries(client, url(threads["large"]))

    print(
        f"\n{where} as {viewer}: {SMALL} → {small_count} queries, {LARGE} → {large_count} queries"
    )
    assert large_count == small_count
    # The large page really shows a full page, each root with all its replies, to depth 3.
    soup = BeautifulSoup(large_html, "html.parser")
    root_ids = [int(li["data-comment-id"]) for li in soup.select("#comment-list > li.comment")]
    assert len(root_ids) == 20
    replies = Comment.objects.filter(root_id__in=root_ids)
    assert replies.filter(depth=3).exists()
    shown = {int(li["data-comment-id"]) for li in soup.select("li.comment")}
    assert shown == set(root_ids) | set(replies.values_list("pk", flat=True))
    assert soup.select("li.comment li.comment li.comment li.comment")
    assert soup.select_one(".pagination") is not None


@pytest.mark.parametrize("sort", ["newest", "oldest", "replies", "agreed"])
def test_every_sort_costs_the_same(client, threads, sort):
    client.force_login(threads["citizen"])

    small_count, _ = count_queries(client, f"{fragment_url(threads['small'])}?sort={sort}")
    large_count, _ = count_queries(client, f"{fragment_url(threads['large'])}?sort={sort}&page=7")

    print(f"\nfragment sorted by {sort}: {small_count} / {large_count} queries")
    assert large_count == small_count
