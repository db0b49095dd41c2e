"""A page of a consultation's 300 proposals costs as many SQL queries as a page of 5."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation.proposals.models import Proposal, Support, TaggedProposal
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 300


def build(page, size: int, authors) -> None:
    proposals = Proposal.objects.bulk_create(
        Proposal(
            consultation=page,
            author=authors[n % len(authors)],
            title=f"Vorschlag {n}",
            body="Text",
            body_html="<p>Text</p>",
            support_count=n % 7,
            status="accepted" if n % 5 == 0 else "submitted",
        )
        for n in range(size)
    )
    for n, proposal in enumerate(proposals):
        proposal.tags.add(f"thema-{n % 4}", "alle")
    Support.objects.bulk_create(Support(proposal=p, user=authors[0]) for p in proposals[1::3])


def count_queries(client, url: str) -> tuple[int, str]:
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("viewer", ["anonymous", "citizen"])
@pytest.mark.parametrize(
    "query", ["", "?sort=newest", "?sort=oldest&page=2", "?status=accepted", "?tag=alle"]
)
def test_proposal_list_costs_the_same_whatever_the_size(client, make_consultation, viewer, query):
    authors = UserFactory.create_batch(4)
    small, large = make_consultation("open"), make_consultation("open")
    build(small, SMALL, authors)
    build(large, LARGE, authors)
    if viewer == "citizen":
        client.force_login(authors[1])

    small_count, _ = count_queries(client, reverse("proposal_list", args=[small.pk]) + query)
    large_count, html = count_queries(client, reverse("proposal_list", args=[large.pk]) + query)

    print(f"\nproposal list {query or '(default)'} as {viewer}: {small_count} / {large_count}")
    assert large_count == small_count
    soup = BeautifulSoup(html, "html.parser")
    cards = soup.select("#proposal-list > li")
    assert len(cards) == 20
    assert all(card.select(".tag-list .tag") for card in cards)
    assert soup.select_one(".pagination") is not None
    assert TaggedProposal.objects.count() == 2 * (SMALL + LARGE)
