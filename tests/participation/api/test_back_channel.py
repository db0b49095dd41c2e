"""A contribution through the API takes exactly the web form's path: the same refusals,
the same rate limits (one budget for both), the same moderation; it is marked `api`,
shows in the Atom feed and reaches connected readers. Every case runs on both paths."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from participation.api.models import TokenUse
from participation.api.tokens import token_create
from participation.comments.models import Comment
from tests.factories import rate_limits
from tests.participation.api.conftest import ALL_SCOPES, bearer

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
PATHS = ["web", "api"]


class Writer:
    """Posts a contribution the way a person does on one path; says what came of it."""

    def __init__(self, path: str, user, client: Client) -> None:
        self.path = path
        self.user = user
        self.client = client
        if path == "web":
            client.force_login(user)
            self.headers = {}
        else:
            self.headers = bearer(token_create(user=user, name="t", scopes=ALL_SCOPES).secret)

    def post(self, page, body: str, **extra) -> str:
        """created, refused (the form answers 403 or 422, the API 403 or 400), rate_limited."""
        status = self.status(page, body, **extra)
        if status in (201, 302):
            return "created"
        if status == 429:
            return "rate_limited"
        assert status in (400, 403, 409, 422), status
        return "refused"

    def status(self, page, body: str, **extra) -> int:
        if self.path == "web":
            data = {"body": body, **{k: ("on" if v is True else v) for k, v in extra.items()}}
            response = self.client.post(reverse("comment_create", args=[page.pk]), data)
        else:
            response = self.client.post(
                f"/api/v1/consultations/{page.pk}/comments/",
                json.dumps({"body": body, **extra}),
                content_type="application/json",
                **self.headers,
            )
        return 201 if response.status_code in (201, 302) else response.status_code


@pytest.fixture(params=PATHS)
def writer(request, citizen):
    return Writer(request.param, citizen, Client())


def test_published_and_marked_with_its_origin(writer, open_page):
    assert writer.post(open_page, "Mehr Radwege an der Ringstraße.") == "created"
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PUBLISHED
    assert comment.author == writer.user
    assert comment.origin == ("api" if writer.path == "api" else "web")
    assert TokenUse.objects.filter(target_id=comment.pk).exists() == (writer.path == "api")


def test_refused_in_a_closed_phase(writer, closed_page):
    assert writer.post(closed_page, "Zu spät, aber trotzdem.") == "refused"
    assert not Comment.objects.exists()


def test_official_statement_refused_to_a_citizen(writer, open_page):
    assert writer.post(open_page, "Im Namen der Stadt.", official=True) == "refused"
    assert not Comment.objects.exists()


def test_official_statement_by_a_speaker(open_page, speaker, speaker_token, organisation_area):
    org, _index = organisation_area
    response = Client().post(
        f"/api/v1/consultations/{open_page.pk}/comments/",
        json.dumps({"body": "Die Stadt prüft das.", "official": True}),
        content_type="application/json",
        **bearer(speaker_token),
    )
    assert response.status_code == 201
    assert response.json()["is_official"] is True
    assert response.json()["organisation"]["name"] == org.name
    statements = Client().get("/api/v1/statements/").json()["results"]
    assert [s["id"] for s in statements] == [response.json()["id"]]


def test_too_short_is_refused(writer, open_page):
    assert writer.post(open_page, "  x  ") == "refused"
    assert not Comment.objects.exists()


def test_rate_limited(writer, open_page, settings):
    rate_limits(settings, "comment", person="2/minute")
    assert writer.post(open_page, "Eins, mit Inhalt.") == "created"
    assert writer.post(open_page, "Zwei, mit Inhalt.") == "created"
    assert writer.post(open_page, "Drei, zu schnell.") == "rate_limited"
    assert Comment.objects.count() == 2


def test_one_budget_for_both_paths(citizen, open_page, settings):
    """A person cannot double the limit by switching from the form to the API."""
    rate_limits(settings, "comment", person="1/minute")
    assert Writer("web", citizen, Client()).post(open_page, "Über das Formular.") == "created"
    assert Writer("api", citizen, Client()).post(open_page, "Über die API.") == "rate_limited"


def test_pre_moderated_waits_and_stays_out_of_public_views(writer, pre_page):
    assert writer.post(pre_page, "Bitte erst prüfen.") == "created"
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    public = Client()
    assert public.get(f"/api/v1/consultations/{pre_page.pk}/comments/").json()["results"] == []
    assert public.get(f"/api/v1/comments/{comment.pk}/").status_code == 404
    feed = public.get(reverse("feed_consultation_contributions", args=[pre_page.pk]))
    assert f"#comment-{comment.pk}" not in feed.content.decode()


def test_api_answer_says_pending(citizen_token, pre_page):
    response = Client().post(
        f"/api/v1/consultations/{pre_page.pk}/comments/",
        json.dumps({"body": "Bitte erst prüfen."}),
        content_type="application/json",
        **bearer(citizen_token),
    )
    assert response.status_code == 201
    assert response.json()["status"] == "pending"


def test_appears_in_the_atom_feed(writer, open_page):
    assert writer.post(open_page, "Ein Beitrag für den Feed.") == "created"
    comment = Comment.objects.get()
    response = Client().get(reverse("feed_consultation_contributions", args=[open_page.pk]))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own output)
    links = [
        link.get("href")
        for entry in feed.iter(f"{ATOM}entry")
        for link in entry.iter(f"{ATOM}link")
    ]
    assert any(href.endswith(f"#comment-{comment.pk}") for href in links)
    [entry] = feed.findall(f"{ATOM}entry")
    assert "Ein Beitrag für den Feed." in entry.findtext(f"{ATOM}summary")
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Frieda Feldweg"


def test_a_reply_through_the_api(citizen_token, open_page, citizen):
    client = Client()
    first = client.post(
        f"/api/v1/consultations/{open_page.pk}/comments/",
        json.dumps({"body": "Erster Beitrag."}),
        content_type="application/json",
        **bearer(citizen_token),
    ).json()
    reply = client.post(
        f"/api/v1/consultations/{open_page.pk}/comments/",
        json.dumps({"body": "Eine Antwort.", "parent": first["id"]}),
        content_type="application/json",
        **bearer(citizen_token),
    )
    assert reply.status_code == 201
    assert reply.json()["parent"] == first["id"]
    missing = client.post(
        f"/api/v1/consultations/{open_page.pk}/comments/",
        json.dumps({"body": "Ins Leere.", "parent": 999999}),
        content_type="application/json",
        **bearer(citizen_token),
    )
    assert missing.status_code == 409
