"""The embed view: a consultation's polls and live discussion on a compact page that only
the websites its organisation lists may frame; every other response forbids framing.

Each test asserts on what a browser receives: the policy header, X-Frame-Options, the
page's text and links, the answer for a consultation the visitor may not see."""

from __future__ import annotations

import html
import re

import pytest
from asgiref.sync import async_to_sync
from bs4 import BeautifulSoup
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageViewRestriction

from cooperative.organisations.embedding import (
    MAX_EMBED_ORIGINS,
    embed_origin_normalise,
    embed_origins_parse,
)
from cooperative.organisations.models import Organisation, OrganisationRole
from frontend.middleware import PUBLIC_POLICY, embed_policy
from participation.comments.models import Comment
from participation.contributions.markup import render_markdown
from participation.polls.models import Poll, PollChoice
from tests.factories import (
    UserFactory,
    consultation,
    grant,
    log_in_with_second_factor,
    organisation_with_area,
)

SECRET = "Geheimer Haushaltsentwurf"
TOWN_ORIGINS = "https://www.musterstadt.de\nhttps://buergerportal.musterstadt.de:8443"
TOWN_SOURCES = ["https://www.musterstadt.de", "https://buergerportal.musterstadt.de:8443"]


def directives(response) -> dict[str, list[str]]:
    return {
        name: sources
        for name, *sources in (
            part.split() for part in response["Content-Security-Policy"].split(";")
        )
    }


def embed_path(page, query: str = "") -> str:
    return reverse("consultation_embed", kwargs={"consultation_id": page.pk}) + query


@pytest.fixture
def town(db):
    organisation, index = organisation_with_area(name="Stadt Musterstadt", slug="musterstadt")
    Organisation.objects.filter(pk=organisation.pk).update(embed_origins=TOWN_ORIGINS)
    organisation.refresh_from_db()
    return organisation, index


@pytest.fixture
def county(db):
    return organisation_with_area(name="Kreis Beispielkreis", slug="beispielkreis")


@pytest.fixture
def open_page(town):
    page = consultation(town[1], title="Radwege", state="open")
    poll = Poll(page=page, question="Soll die Hauptstraße Tempo 30 bekommen?")
    poll.save()
    for number, text in enumerate(("Ja", "Nein")):
        PollChoice(poll=poll, text=text, sort_order=number).save()
    author = UserFactory(display_name="Amsel")
    Comment.objects.create(
        consultation=page,
        author=author,
        body="Mehr Bäume am Radweg",
        body_html=render_markdown("Mehr Bäume am Radweg"),
    )
    return page


# --- the headers -------------------------------------------------------------------------


def test_the_embed_may_be_framed_by_exactly_the_organisations_origins(client, open_page):
    response = client.get(embed_path(open_page))

    assert response.status_code == 200
    found = directives(response)
    assert found["frame-ancestors"] == TOWN_SOURCES
    # Everything else is the public policy, word for word.
    assert response["Content-Security-Policy"] == embed_policy(TOWN_SOURCES)
    public = {name: sources for name, *sources in (p.split() for p in PUBLIC_POLICY.split(";"))}
    assert {k: v for k, v in found.items() if k != "frame-ancestors"} == {
        k: v for k, v in public.items() if k != "frame-ancestors"
    }
    # X-Frame-Options cannot name an origin: it would contradict the policy.
    assert "X-Frame-Options" not in response


def test_every_other_response_still_forbids_framing(client, open_page):
    for url in (
        open_page.url,
        reverse("consultation_list"),
        reverse("comment_thread", kwargs={"consultation_id": open_page.pk}),
        "/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert directives(response)["frame-ancestors"] == ["'none'"], url
        assert response["X-Frame-Options"] == "DENY", url


def test_an_organisation_without_origins_lets_nobody_frame(client, county):
    page = consultation(county[1], title="Klimaplan", state="open")

    response = client.get(embed_path(page))

    assert response.status_code == 200
    assert directives(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_one_organisations_origins_do_not_open_anothers_consultations(client, town, county):
    page = consultation(county[1], title="Klimaplan", state="open")
    assert town[0].embed_origin_list == TOWN_SOURCES

    assert directives(client.get(embed_path(page)))["frame-ancestors"] == ["'none'"]


def test_a_stored_value_that_was_never_checked_puts_nothing_else_into_the_policy(
    client, town, open_page
):
    Organisation.objects.filter(pk=town[0].pk).update(
        embed_origins="https://www.musterstadt.de; script-src *\n"
        "https://*.musterstadt.de\nhttp://alt.musterstadt.de\nhttps://ok.musterstadt.de/x"
    )

    response = client.get(embed_path(open_page))

    assert directives(response)["frame-ancestors"] == ["'none'"]
    assert directives(response)["script-src"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_last_guard_drops_anything_that_is_not_an_origin():
    policy = embed_policy(["https://a.example.de", "https://b.example.de;", "'unsafe-inline'"])
    assert "frame-ancestors https://a.example.de;" in policy
    assert "unsafe-inline" not in policy
    assert embed_policy([]) == PUBLIC_POLICY


# --- what the embed shows ----------------------------------------------------------------


def test_the_embed_shows_title_polls_and_the_live_discussion_without_site_navigation(
    client, open_page
):
    with translation.override("de"):
        response = client.get(embed_path(open_page))
    soup = BeautifulSoup(response.content, "html.parser")

    assert soup.h1.get_text(strip=True) == "Radwege"
    assert soup.select_one("[data-polls-live]")["data-polls-live"] == str(open_page.pk)
    assert "Soll die Hauptstraße Tempo 30 bekommen?" in soup.get_text()
    discussion = soup.select_one("[data-live-consultation]")
    assert discussion["data-live-consultation"] == str(open_page.pk)
    assert "Mehr Bäume am Radweg" in discussion.get_text()
    # The page's scripts start the live updates from these attributes.
    assert soup.select_one('script[type="module"][src$="allmende/js/main.js"]')
    # No site header, navigation or footer.
    assert soup.select_one(".site-header") is None
    assert soup.select_one(".site-footer") is None
    assert soup.select_one("nav.site-nav, nav[aria-label='Hauptnavigation']") is None
    # Every link leaves the frame.
    assert soup.select_one("base")["target"] == "_blank"
    full_page = soup.select_one(".embed__open a")
    assert full_page.get_text(" ", strip=True) == "Auf Allmende öffnen (öffnet in einem neuen Tab)"
    assert full_page["href"] == open_page.url
    assert full_page["target"] == "_blank"
    assert full_page["rel"] == ["noopener"]
    sign_in = soup.find("a", string="melden Sie sich auf Allmende an")
    assert sign_in["href"].startswith(reverse("account_login") + "?next=")
    assert sign_in["target"] == "_blank"
    assert "bleiben Sie abgemeldet" in soup.get_text()


def test_the_embed_needs_nothing_the_public_policy_blocks(client, open_page):
    page = client.get(embed_path(open_page)).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert "src=" in tag, tag
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", page)
    assert not re.search(r"<[^>]+\sstyle\s*=", page)
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page.split("</head>")[0])


@pytest.mark.parametrize(
    ("part", "shown", "left_out"),
    [
        ("umfragen", "[data-polls-live]", "[data-live-consultation]"),
        ("diskussion", "[data-live-consultation]", "[data-polls-live]"),
    ],
)
def test_one_part_alone(client, open_page, part, shown, left_out):
    response = client.get(embed_path(open_page, f"?abschnitt={part}"))
    soup = BeautifulSoup(response.content, "html.parser")

    assert response.status_code == 200
    assert soup.select_one(shown) is not None
    assert soup.select_one(left_out) is None
    assert directives(response)["frame-ancestors"] == TOWN_SOURCES


def test_an_unknown_part_is_refused_with_the_values_that_exist(client, open_page):
    with translation.override("de"):
        response = client.get(embed_path(open_page, "?abschnitt=vorschlaege"))

    assert response.status_code == 400
    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    assert "kennt den Teil „vorschlaege“ nicht" in text
    assert "umfragen, diskussion" in text
    assert "Mehr Bäume am Radweg" not in text


def test_an_unknown_part_is_repeated_escaped(client, open_page):
    response = client.get(embed_path(open_page, "?abschnitt=%3Cb%3Ex%3C/b%3E"))

    assert response.status_code == 400
    assert "<b>x</b>" not in response.content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in response.content.decode()


def test_the_sign_in_cookies_stay_out_of_other_sites_frames():
    """What the embed's note and docs/security.md rely on: a frame from another site gets
    no session, so nothing in it acts in the visitor's name."""
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_the_embed_says_so_in_english_too(client, open_page):
    response = client.get("/en" + embed_path(open_page))
    soup = BeautifulSoup(response.content, "html.parser")

    assert soup.select_one(".embed__open a").get_text(" ", strip=True) == (
        "Open on Allmende (opens in a new tab)"
    )
    assert soup.find("a", string="sign in on Allmende")["target"] == "_blank"


# --- who may see it: the page's rule ---------------------------------------------------


@pytest.fixture
def hidden_pages(town):
    index = town[1]
    draft = consultation(index, title="Haushalt", live=False, summary=SECRET)
    password = consultation(index, title="Interna", summary=SECRET)
    PageViewRestriction.objects.create(
        page=password, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    login = consultation(index, title="Intern", summary=SECRET)
    PageViewRestriction.objects.create(page=login, restriction_type=PageViewRestriction.LOGIN)
    unpublished = consultation(index, title="Zurückgezogen", summary=SECRET)
    unpublished.unpublish()
    return {"draft": draft, "password": password, "login": login, "unpublished": unpublished}


@pytest.mark.parametrize("who", ["anonymous", "citizen", "county_editor"])
@pytest.mark.parametrize("which", ["draft", "password", "login", "unpublished"])
def test_a_consultation_hidden_from_the_page_is_hidden_from_the_embed(
    client, town, county, hidden_pages, who, which
):
    if who != "anonymous":
        user = UserFactory()
        if who == "county_editor":
            grant(user, county[0], OrganisationRole.Role.EDITOR)
        client.force_login(user)
    page = hidden_pages[which]

    thread = client.get(reverse("comment_thread", kwargs={"consultation_id": page.pk}))
    embed = client.get(embed_path(page))

    # The page's own rule, as its other views (thread, proposals) apply it: 404. The embed
    # offers no password form or sign-in inside another website's frame.
    assert thread.status_code == 404
    assert embed.status_code == 404
    assert SECRET not in embed.content.decode()
    assert directives(embed)["frame-ancestors"] == ["'none'"]
    if not (which == "login" and who != "anonymous"):
        # The page itself shows nothing either (a 404, its password form, or the way to
        # sign in). A login restriction admits any signed-in person to the page; the
        # platform's other channels count every restriction as "not public".
        full = client.get(page.url)
        assert full.status_code in (200, 302, 404), full.status_code
        assert SECRET not in full.content.decode()


def test_a_draft_is_embedded_for_those_the_permission_lets_see_it(client, town, hidden_pages):
    editor = UserFactory()
    grant(editor, town[0], OrganisationRole.Role.EDITOR)
    client.force_login(editor)

    response = client.get(embed_path(hidden_pages["draft"]))

    assert response.status_code == 200
    assert BeautifulSoup(response.content, "html.parser").h1.get_text(strip=True) == "Haushalt"


def test_an_unknown_consultation_is_a_404(client, db):
    assert (
        client.get(reverse("consultation_embed", kwargs={"consultation_id": 999999})).status_code
        == 404
    )


def test_only_get(client, open_page):
    assert client.post(embed_path(open_page)).status_code == 405


# --- what an organisation may list -----------------------------------------------------


@pytest.mark.parametrize(
    ("line", "english", "german"),
    [
        ("http://www.musterstadt.de", "must start with https://", "muss mit https:// beginnen"),
        ("javascript:alert(1)", "is not a web address", "ist keine Webadresse"),
        ("javascript://alert(1)", "must start with https://", "muss mit https:// beginnen"),
        ("data:text/html,x", "is not a web address", "ist keine Webadresse"),
        ("www.musterstadt.de", "is not a web address", "ist keine Webadresse"),
        ("https://www.musterstadt.de/beteiligung", "without a path", "ohne Pfad"),
        ("https://www.musterstadt.de?x=1", "without a path", "ohne Pfad"),
        ("https://www.musterstadt.de#top", "without a path", "ohne Pfad"),
        ("https://www.muster stadt.de", "spaces are not allowed", "Leerzeichen"),
        ("https://*.musterstadt.de", "wildcards (*) are not allowed", "Platzhalter"),
        ("https://www.*.de", "wildcards (*) are not allowed", "Platzhalter"),
        ("*", "wildcards (*) are not allowed", "Platzhalter"),
        ("https://*", "wildcards (*) are not allowed", "Platzhalter"),
        ("https://user:pw@www.musterstadt.de", "user name or password", "Benutzername"),
        ("https://www.musterstadt.de:0", "port must be a number", "Port muss"),
        ("https://www.musterstadt.de:70000", "port must be a number", "Port muss"),
        ("https://www.musterstadt.de:", "port must be a number", "Port muss"),
        ("https://musterstadt", "not a valid host name", "kein gültiger Hostname"),
        ("https://192.168.0.1", "not a valid host name", "kein gültiger Hostname"),
        ("https://-x.musterstadt.de", "not a valid host name", "kein gültiger Hostname"),
        ("https://a;b.de", "not a valid host name", "kein gültiger Hostname"),
        ("https://'self'.de", "not a valid host name", "kein gültiger Hostname"),
        ("https://localhost", "not a valid host name", "kein gültiger Hostname"),
        ("http://localhost:8000", "must start with https://", "muss mit https:// beginnen"),
    ],
)
def test_bad_origins_are_refused_with_a_message_that_says_why(line, english, german):
    for language, expected in (("en", english), ("de", german)):
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                embed_origin_normalise(line, debug=False)
            messages = refused.value.messages  # translated when read
        assert len(messages) == 1
        assert expected in messages[0], (language, messages)
        assert line[:40] in messages[0]  # it names the line it refuses


@pytest.mark.parametrize(
    ("line", "origin"),
    [
        ("https://www.musterstadt.de", "https://www.musterstadt.de"),
        ("https://WWW.Musterstadt.DE/", "https://www.musterstadt.de"),
        ("HTTPS://www.musterstadt.de:443", "https://www.musterstadt.de"),
        ("https://www.musterstadt.de:8443", "https://www.musterstadt.de:8443"),
        ("https://münster.de", "https://xn--mnster-3ya.de"),
    ],
)
def test_good_origins_are_stored_as_browsers_compare_them(line, origin):
    assert embed_origin_normalise(line, debug=False) == origin


def test_http_for_localhost_only_in_development():
    assert embed_origin_normalise("http://localhost:8000", debug=True) == "http://localhost:8000"
    assert embed_origin_normalise("http://127.0.0.1:8000", debug=True) == "http://127.0.0.1:8000"
    with pytest.raises(ValidationError):
        embed_origin_normalise("http://www.musterstadt.de", debug=True)
    # Saved in development, such a line is left out once DEBUG is off.
    assert embed_origins_parse("http://localhost:8000", strict=False, debug=False) == []


def test_every_mistake_is_reported_at_once_and_repeats_are_dropped():
    with pytest.raises(ValidationError) as refused:
        embed_origins_parse("http://a.de\nhttps://b.de\nhttps://*.c.de", debug=False)
    assert len(refused.value.messages) == 2
    assert embed_origins_parse("https://b.de\n\n  https://B.de/  \n", debug=False) == [
        "https://b.de"
    ]
    many = "\n".join(f"https://s{n}.musterstadt.de" for n in range(MAX_EMBED_ORIGINS + 1))
    with translation.override("de"):
        with pytest.raises(ValidationError) as refused:
            embed_origins_parse(many, debug=False)
        messages = refused.value.messages
    assert messages == [f"Höchstens {MAX_EMBED_ORIGINS} Adressen dürfen Beteiligungen einbetten."]


@pytest.fixture
def admin_client(client, db):
    admin = UserFactory(display_name="Verwaltung", is_superuser=True, is_staff=True)
    log_in_with_second_factor(client, admin)
    return client


def organisation_form(organisation: Organisation, embed_origins: str) -> dict:
    return {
        "name": organisation.name,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "description": "",
        "website": "",
        "embed_origins": embed_origins,
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }


def test_the_admin_refuses_bad_origins_and_keeps_what_was_typed(admin_client, county):
    organisation = county[0]
    edit = reverse(
        "wagtailsnippets_cooperative_organisations_organisation:edit", args=[organisation.pk]
    )
    typed = "https://www.beispielkreis.de/beteiligung\nhttps://*.beispielkreis.de"

    with translation.override("de"):
        response = admin_client.post(edit, organisation_form(organisation, typed))

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "„https://www.beispielkreis.de/beteiligung“: Geben Sie nur Schema, Host" in page
    assert "„https://*.beispielkreis.de“: Platzhalter (*) sind nicht zulässig" in page
    assert typed in page  # nothing lost
    organisation.refresh_from_db()
    assert organisation.embed_origins == ""


def test_the_admin_stores_good_origins_normalised(admin_client, county):
    organisation = county[0]
    edit = reverse(
        "wagtailsnippets_cooperative_organisations_organisation:edit", args=[organisation.pk]
    )

    response = admin_client.post(
        edit,
        organisation_form(organisation, "https://WWW.Beispielkreis.de/\r\nhttps://kreis.de:443"),
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.embed_origins == "https://www.beispielkreis.de\nhttps://kreis.de"


def test_an_organisations_editor_cannot_change_its_origins_in_the_admin(client, town):
    organisation = town[0]
    editor = UserFactory()
    grant(editor, organisation, OrganisationRole.Role.EDITOR)
    log_in_with_second_factor(client, editor)
    edit = reverse(
        "wagtailsnippets_cooperative_organisations_organisation:edit", args=[organisation.pk]
    )

    response = client.post(edit, organisation_form(organisation, "https://evil.example.com"))

    assert response.status_code in (302, 403)
    organisation.refresh_from_db()
    assert organisation.embed_origin_list == TOWN_SOURCES


def test_the_page_editor_shows_the_embed_code(admin_client, open_page):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[open_page.pk]))

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    code = soup.select_one(f"#embed-code-{open_page.pk}").get_text()
    frame = BeautifulSoup(code, "html.parser").iframe
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    assert frame["src"] == f"{base}/beteiligungen/{open_page.pk}/einbetten/"
    assert frame["title"] == "Beteiligung „Radwege“ auf Allmende"
    assert frame["width"] == "100%"
    assert frame["height"]
    text = soup.get_text()
    for origin in TOWN_SOURCES:
        assert origin in text
    assert f"/beteiligungen/{open_page.pk}/einbetten/?abschnitt=umfragen" in text


def test_the_page_editor_says_when_no_website_may_show_it(admin_client, county):
    page = consultation(county[1], title="Klimaplan", state="open")

    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))

    assert "Noch keine Website darf sie zeigen." in html.unescape(response.content.decode())


# --- the live socket inside the frame ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_framed_page_opens_its_live_socket_but_the_framing_site_cannot():
    """A frame's document has the platform's origin, so its socket passes the origin check
    unchanged; the embedding website's own scripts (their origin) are still refused."""
    from config.asgi import application
    from participation.live.hub import hub_reset
    from participation.live.presence import presence_store_reset

    _org, index = organisation_with_area(name="Stadt Live", slug="live")
    page = consultation(index, title="Offen", state="open")
    platform = f"http://{settings.ALLOWED_HOSTS[0]}".encode()

    async def opens(origin: bytes) -> bool:
        communicator = WebsocketCommunicator(
            application,
            f"/ws/consultations/{page.pk}/",
            [(b"origin", origin), (b"host", b"localhost")],
        )
        connected, _code = await communicator.connect(timeout=5)
        if connected:
            await communicator.disconnect()
        return connected

    async def scenario():
        try:
            return await opens(platform), await opens(b"https://www.musterstadt.de")
        finally:
            hub_reset()
            presence_store_reset()

    try:
        assert async_to_sync(scenario)() == (True, False)
    finally:
        hub_reset()
        presence_store_reset()
