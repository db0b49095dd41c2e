"""The calm-mode banner's "since" sentence in both languages ends with one full stop.
English times were "6:27 p.m.", and the sentence's own full stop followed ("p.m.."); they
are on the 24-hour clock now (config/formats/en)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string
from django.utils import translation

from participation.gate.models import CalmMode
from participation.guard.services import calm_mode_start
from tests.factories import TEST_PASSWORD, log_in_with_second_factor
from tests.participation.moderation.helpers import world

pytestmark = pytest.mark.django_db

# An afternoon in every time zone the tests may run in (UTC, Europe/Berlin).
AFTERNOON = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)


@pytest.fixture
def calm():
    w = world()
    page = w.town_consultation
    calm, _started = calm_mode_start(
        consultation=page, started_by=w.superuser, reason="Sehr viele Beiträge."
    )
    CalmMode.objects.filter(pk=calm.pk).update(started_at=AFTERNOON)
    calm.refresh_from_db()
    return w, page, calm


def since_line(html: str) -> str:
    line = BeautifulSoup(html, "html.parser").select_one(".calm-banner__since")
    return " ".join(line.get_text().split())


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", r"Dec\. 1, 2026, 1[45]:30\.$"), ("de", r"1\. Dezember 2026 1[45]:30\.$")],
)
def test_the_banner_sentence_ends_with_one_full_stop(calm, language, expected):
    _w, page, calm_mode = calm
    with translation.override(language):
        html = render_to_string(
            "participation_guard/calm_banner_content.html",
            {"calm": calm_mode, "consultation": page},
        )
    line = since_line(html)
    assert re.search(expected, line), line
    assert ".." not in line


def test_the_english_page_shows_one_full_stop(client, calm):
    w, page, _calm_mode = calm
    client.login(username=w.citizen.username, password=TEST_PASSWORD)
    response = client.get(f"/en{page.url}")
    assert response.status_code == 200
    line = since_line(response.content.decode())
    assert re.search(r", 1[45]:30\.$", line), line
    banner = BeautifulSoup(response.content, "html.parser").select_one("section.calm-banner")
    assert "p.m.." not in banner.get_text()


def test_the_calm_mode_page_shows_one_full_stop(client, calm):
    w, page, _calm_mode = calm
    log_in_with_second_factor(client, w.superuser)
    response = client.get(f"/en/beteiligungen/{page.pk}/ruhemodus/")
    assert response.status_code == 200
    body = " ".join(response.content.decode().split())
    assert re.search(r"Since Dec\. 1, 2026, 1[45]:30\. ", body), body
    assert "p.m.." not in body
