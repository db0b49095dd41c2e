"""Public reads: what is there, what is not, filters, cursors, conditional GET, constant
queries whatever the number of objects."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participation.comments.models import Comment
from participation.comments.services import comment_create
from participation.proposals.services import proposal_create
from tests.factories import UserFactory, consultation

pytestmark = pytest.mark.django_db


def test_public_objects_carry_ids_urls_pseudonyms_and_links(client, open_page, citizen):
    comment_create(author=citizen, consultation=open_page, body="Sichtbar")
    comment = client.get(f"/api/v1/consultations/{open_page.pk}/comments/").json()["results"][0]
    assert comment["author"] == {"display_name": "Frieda Feldweg"}
    text = json.dumps(comment)
    assert citizen.email not in text and citizen.username not in text
    assert comment["url"].endswith(f"{open_page.url}#comment-{comment['id']}")
    html = client.get(comment["url"].split("#")[0].replace("http://testserver", ""))
    assert html.status_code == 200
    assert client.get(comment["api_url"].replace("http://testserver", "")).json() == comment

    page = client.get(f"/api/v1/consultations/{open_page.pk}/").json()
    assert page["organisation"]["name"] == "Stadt Musterstadt"
    assert page["tags"] == [{"slug": "verkehr", "name": "verkehr"}]
    assert page["state"] == "open"
    assert page["created_at"] and page["updated_at"]
    for name, link in page["links"].items():
        expected = 404 if name == "results" else 200  # results: once the consultation is finished
        assert client.get(link.replace("http://testserver", "")).status_code == expected


def test_hidden_pending_removed_and_drafts_are_not_served(client, organisation_area, citizen):
    _org, index = organisation_area
    page = consultation(index, title="Sichtbar", state="open")
    draft = consultation(index, title="Entwurf", live=False)
    for status in ("pending", "hidden", "removed"):
        comment_create(author=citizen, consultation=page, body=f"Status {status}")
    Comment.objects.update(status="hidden")
    assert client.get(f"/api/v1/consultations/{page.pk}/comments/").json()["results"] == []
    assert client.get(f"/api/v1/consultations/{draft.pk}/").status_code == 404
    ids = [c["id"] for c in client.get("/api/v1/consultations/").json()["results"]]
    assert page.pk in ids and draft.pk not in ids


def test_filters(client, organisation_area, other_organisation_area):
    _org, index = organisation_area
    _other, other_index = other_organisation_area
    open_one = consultation(index, title="Offen", state="open", tags=("verkehr",))
    done = consultation(index, title="Fertig", state="finished")
    elsewhere = consultation(other_index, title="Kreis", state="open")

    def ids(query):
        response = client.get(f"/api/v1/consultations/?{query}")
        assert response.status_code == 200, response.content
        return {c["id"] for c in response.json()["results"]}

    assert ids("state=open") == {open_one.pk, elsewhere.pk}
    assert ids("state=finished") == {done.pk}
    assert ids("organisation=beispielkreis") == {elsewhere.pk}
    assert ids("tag=verkehr") == {open_one.pk}
    assert ids("updated_since=2999-01-01T00:00:00Z") == set()
    assert ids("updated_since=2000-01-01T00:00:00Z") == {open_one.pk, done.pk, elsewhere.pk}
    for bad in ("state=bald", "page_size=0", "page_size=5.0", "updated_since=gestern"):
        assert client.get(f"/api/v1/consultations/?{bad}").status_code == 400


def test_cursor_pagination_walks_every_object_once(client, open_page, citizen):
    for n in range(7):
        comment_create(author=citizen, consultation=open_page, body=f"Beitrag {n}")
    seen, url = [], f"/api/v1/consultations/{open_page.pk}/comments/?page_size=3"
    while url:
        body = client.get(url.replace("http://testserver", "")).json()
        seen += [c["id"] for c in body["results"]]
        url = body["next"]
    assert seen == sorted(Comment.objects.values_list("pk", flat=True))
    assert (
        client.get(f"/api/v1/consultations/{open_page.pk}/comments/?cursor=xyz").status_code == 404
    )


def test_conditional_get_answers_304(client, open_page):
    url = f"/api/v1/consultations/{open_page.pk}/"
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert "public" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    listing = client.get("/api/v1/consultations/")
    assert (
        client.get("/api/v1/consultations/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    )


def _queries(client, url) -> int:
    client.get(url)  # the first request fills per-process caches (site root paths, ...)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_thread_page_queries_do_not_grow_with_the_thread(client, open_page):
    people = [UserFactory() for _ in range(3)]
    comment_create(author=people[0], consultation=open_page, body="Start")
    few = _queries(client, f"/api/v1/consultations/{open_page.pk}/comments/")
    for n in range(30):
        comment_create(author=people[n % 3], consultation=open_page, body=f"Beitrag {n}")
    many = _queries(client, f"/api/v1/consultations/{open_page.pk}/comments/")
    assert many == few <= 7


def test_consultation_list_queries_do_not_grow_with_the_list(client, organisation_area):
    _org, index = organisation_area
    consultation(index, title="Eins", state="open", tags=("a",))
    few = _queries(client, "/api/v1/consultations/")
    for n in range(8):
        consultation(index, title=f"Mehr {n}", state="open", tags=("a", f"t{n}"))
    many = _queries(client, "/api/v1/consultations/")
    assert many == few <= 7


def test_proposal_list_queries_are_constant(client, open_page):
    author = UserFactory()
    proposal_create(author=author, consultation=open_page, title="Eins", body="Ein Vorschlag.")
    few = _queries(client, f"/api/v1/consultations/{open_page.pk}/proposals/")
    for n in range(6):
        proposal_create(
            author=UserFactory(),
            consultation=open_page,
            title=f"Vorschlag {n}",
            body="Noch ein Vorschlag.",
            tags=[f"t{n}"],
        )
    many = _queries(client, f"/api/v1/consultations/{open_page.pk}/proposals/")
    assert many == few <= 9
