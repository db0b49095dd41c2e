"""403, 404 and 500 pages in the site's look and language, through Django's own handlers."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_an_unknown_address_answers_in_german_with_the_site_around_it(client):
    response = client.get("/gibt-es-nicht/")

    assert response.status_code == 404
    page = soup(response)
    assert page.html["lang"] == "de"
    assert page.find("h1").get_text(strip=True) == "Seite nicht gefunden"
    assert page.select_one("header") is not None and page.select_one("footer") is not None
    assert page.select_one("main form[role=search] input[name=q]") is not None


def test_the_english_404_is_english(client):
    page = soup(client.get("/en/gibt-es-nicht/"))
    assert page.html["lang"] == "en"
    assert page.find("h1").get_text(strip=True) == "Page not found"


def request_as(user, path="/genossenschaft/vorstand/"):
    request = RequestFactory().get(path)
    request.user = user
    request.session = {}
    return request


def test_a_refusal_tells_anonymous_visitors_to_log_in_and_comes_back():
    with translation.override("de"):
        response = defaults.permission_denied(request_as(AnonymousUser()), PermissionDenied())
    page = soup(response)
    assert response.status_code == 403
    assert page.html["lang"] == "de"
    assert page.find("h1").get_text(strip=True) == "Sie dürfen diese Seite nicht öffnen"
    login = page.select_one("main a[href*='next=']")
    assert login["href"].endswith("?next=/genossenschaft/vorstand/")


def test_a_refusal_tells_signed_in_people_why_not_and_says_the_reason():
    with translation.override("en"):
        response = defaults.permission_denied(
            request_as(UserFactory()), PermissionDenied("Only the board decides on members.")
        )
    text = soup(response).find("main").get_text(" ", strip=True)
    assert "Only the board decides on members." in text
    assert "log in" not in text


def test_a_server_error_page_needs_nothing_that_might_be_broken():
    with translation.override("de"):
        response = defaults.server_error(RequestFactory().get("/"))
    page = soup(response)
    assert response.status_code == 500
    assert page.html["lang"] == "de"
    assert page.find("h1").get_text(strip=True) == "Bei uns ist etwas schiefgegangen"
