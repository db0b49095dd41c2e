"""Client addresses come from the trusted proxies, never from a header the client writes.

The attack of the security review, request by request: behind the documented proxy
(docs/deployment.md, read by tests/deployment_chain.py), one client sends every request
with a different forged X-Forwarded-For. Every per-address limit (contributions, votes,
notices, sign-in, sign-up, the API's) must still count it as one client; a second real
client behind the same proxy must still be counted apart. Without a trusted proxy the
header is ignored altogether.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from cooperative import network
from participation.polls.models import Poll, PollChoice
from tests.deployment_chain import PROXY, DocumentedChain
from tests.factories import UserFactory, consultation

BASE_DIR = Path(__file__).resolve().parent.parent
ATTACKER = "203.0.113.7"
NEIGHBOUR = "203.0.113.99"
# What the attacker writes into X-Forwarded-For, a different value on every request:
# other addresses, the proxy's own address, several entries.
FORGED = [
    "198.51.100.1",
    "198.51.100.2, 127.0.0.1",
    "10.9.0.1, 192.0.2.44",
    "2001:db8::5",
    "127.0.0.1",
    "unknown, 198.51.100.6",
]
LIMIT = 3


# --- the rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trusted", "peer", "header", "client"),
    [
        # No trusted proxy: the peer is the client, whatever the header says.
        ([], ATTACKER, "198.51.100.1", ATTACKER),
        ([], PROXY, "198.51.100.1", PROXY),
        # The peer is not a trusted proxy: its header is not believed.
        (["127.0.0.1"], ATTACKER, "198.51.100.1, 127.0.0.1", ATTACKER),
        # Behind the proxy: the rightmost address that is not a trusted proxy.
        (["127.0.0.1"], PROXY, ATTACKER, ATTACKER),
        (["127.0.0.1"], PROXY, f"198.51.100.1, {ATTACKER}", ATTACKER),
        (["127.0.0.1"], PROXY, f"198.51.100.1, 127.0.0.1, {ATTACKER}", ATTACKER),
        # Two proxies (a load balancer in front of nginx), both trusted.
        (["127.0.0.1", "10.0.5.0/28"], PROXY, f"1.2.3.4, {ATTACKER}, 10.0.5.3", ATTACKER),
        (["127.0.0.1"], PROXY, f"1.2.3.4, {ATTACKER}, 10.0.5.3", "10.0.5.3"),
        # Behind the proxy without a header: the proxy itself is all we know.
        (["127.0.0.1"], PROXY, None, PROXY),
        (["127.0.0.1"], PROXY, "", PROXY),
        # An entry that is not an address ends the walk at the last hop vouched for.
        (["127.0.0.1", "10.0.5.3"], PROXY, "198.51.100.1, garbage, 10.0.5.3", "10.0.5.3"),
        (["127.0.0.1"], PROXY, "198.51.100.1, garbage", PROXY),
        # Written with ports and brackets, or as IPv4-mapped IPv6.
        (["127.0.0.1"], "::ffff:127.0.0.1", f"{ATTACKER}:4711", ATTACKER),
        (["::1"], "::1", "[2001:db8::7]:443", "2001:db8::7"),
        # A proxy on a unix socket has no address: only "unix" trusts it.
        (["unix"], None, f"198.51.100.1, {ATTACKER}", ATTACKER),
        ([], None, f"198.51.100.1, {ATTACKER}", network.UNKNOWN),
        (["127.0.0.1"], "", ATTACKER, network.UNKNOWN),
    ],
)
def test_the_client_is_the_rightmost_address_that_is_not_a_trusted_proxy(
    trusted, peer, header, client
):
    with override_settings(TRUSTED_PROXIES=trusted):
        assert network.client_address(peer, header) == client


def test_http_requests_and_websockets_are_read_alike():
    with override_settings(TRUSTED_PROXIES=["127.0.0.1"]):

        class Request:
            META = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"1.1.1.1, {ATTACKER}"}

        assert network.client_ip(Request()) == ATTACKER
        # Two header lines count as one list, in order.
        scope = {
            "client": [PROXY, 5000],
            "headers": [
                (b"x-forwarded-for", b"1.1.1.1"),
                (b"host", b"localhost"),
                (b"x-forwarded-for", ATTACKER.encode()),
            ],
        }
        assert network.scope_client_ip(scope) == ATTACKER
        assert network.scope_client_ip({"client": None, "headers": []}) == network.UNKNOWN
    with override_settings(TRUSTED_PROXIES=[]):
        assert network.scope_client_ip(scope) == PROXY


def test_ipv6_clients_are_counted_by_their_64():
    assert network.address_group("2001:db8:1:2::17") == "2001:db8:1:2::/64"
    assert network.address_group("2001:db8:1:2:ffff::1") == "2001:db8:1:2::/64"
    assert network.address_group("2001:db8:1:3::17") == "2001:db8:1:3::/64"
    assert network.address_group(ATTACKER) == ATTACKER
    assert network.address_group("not an address") == network.UNKNOWN


def test_a_trusted_proxy_that_is_not_an_address_is_refused():
    with (
        override_settings(TRUSTED_PROXIES=["127.0.0.1", "nginx.local"]),
        pytest.raises(ImproperlyConfigured, match=r"'nginx\.local'"),
    ):
        network.client_address(PROXY, ATTACKER)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8, unix, proxy.example")
    started = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert started.returncode != 0
    assert "TRUSTED_PROXIES: 'proxy.example'" in started.stderr


def test_the_documented_deployment_sets_the_header_and_trusts_no_client_header():
    chain = DocumentedChain.read()
    assert chain.proxy_headers is False
    assert set(chain.forwarded_for.values()) == {"$remote_addr"}
    text = (BASE_DIR / "docs" / "deployment.md").read_text()
    assert "TRUSTED_PROXIES=127.0.0.1" in text
    # Nothing else that starts daphne hands the peer address to the client either.
    for path in [BASE_DIR / "Makefile", *BASE_DIR.glob("bench/**/*.py"), *BASE_DIR.glob(".ci/*")]:
        assert "proxy-headers" not in path.read_text(), path
    for path in BASE_DIR.glob("tests/**/*.py"):
        if path.name not in {"deployment_chain.py", Path(__file__).name}:
            assert "--proxy-headers" not in path.read_text(), path


# --- every per-address limit, attacked ------------------------------------------------


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_page(db, organisation_area):
    _org, index = organisation_area
    return consultation(index, title="Radwege", state="open")


def _en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


class Attempts:
    """One kind of request that a per-address limit counts: `send` makes one (as a new
    person where a per-person limit would otherwise stop it first) and says whether the
    limit refused it."""

    def __init__(self, client, monkeypatch, settings, page):
        self.client = client
        self.monkeypatch = monkeypatch
        self.settings = settings
        self.page = page
        self.count = 0

    def limit(self, action: str) -> None:
        """LIMIT per minute for the action's client address (settings.RATE_LIMITS)."""
        limits = {**self.settings.RATE_LIMITS}
        limits[action] = {**limits[action], "address": f"{LIMIT}/minute"}
        self.settings.RATE_LIMITS = limits

    def comment(self, meta) -> bool:
        self.limit("comment")
        self.client.force_login(UserFactory())
        url = _en("comment_create", self.page.pk)
        response = self.client.post(url, {"body": f"Beitrag {self.count}"}, **meta)
        assert response.status_code in (302, 429), response.status_code
        return response.status_code == 429

    def vote(self, meta) -> bool:
        self.limit("vote")
        poll = Poll.objects.filter(page=self.page).first()
        if poll is None:
            poll = Poll.objects.create(page=self.page, question="Tempo 30?")
            PollChoice.objects.create(poll=poll, text="Ja", sort_order=0)
        choice = poll.choices.first()
        self.client.force_login(UserFactory())
        url = reverse("poll_vote", kwargs={"consultation_id": self.page.pk, "poll_id": poll.pk})
        response = self.client.post(url, {"choice": choice.pk}, **meta)
        assert response.status_code in (302, 429), response.status_code
        return response.status_code == 429

    def notice(self, meta) -> bool:
        from participation.comments.services import comment_create
        from tests.participation.moderation.helpers import netiquette

        netiquette()
        self.limit("notice")
        self.client.logout()
        target = comment_create(author=UserFactory(), consultation=self.page, body="Streit")
        response = self.client.post(
            f"/en/moderation/melden/beitrag/{target.pk}/",
            {
                "kind": "rule",
                "clause": "2",
                "explanation": "Der Beitrag beleidigt andere Teilnehmende.",
                "reporter_name": f"Meldende {self.count}",
                "reporter_email": f"meldung{self.count}@example.org",
                "good_faith": "on",
            },
            **meta,
        )
        assert response.status_code in (302, 429), response.status_code
        return response.status_code == 429

    def login(self, meta) -> bool:
        self.settings.ACCOUNT_RATE_LIMITS = {"login_failed": f"{LIMIT}/m/ip"}
        self.client.logout()
        person = UserFactory()
        response = self.client.post(
            "/en/konto/login/", {"login": person.email, "password": "wrong-password-123"}, **meta
        )
        return "Too many failed login attempts" in response.content.decode()

    def signup(self, meta) -> bool:
        self.settings.ACCOUNT_RATE_LIMITS = {"signup": f"{LIMIT}/m/ip"}
        self.client.logout()
        response = self.client.post(
            "/en/konto/signup/",
            {
                "email": f"neu{self.count}@example.org",
                "display_name": f"Neu {self.count}",
                "password1": "ein-langes-Passwort-42",
                "password2": "ein-langes-Passwort-42",
            },
            **meta,
        )
        assert response.status_code in (302, 429), response.status_code
        return response.status_code == 429

    def api_comment(self, meta) -> bool:
        from participation.api.tokens import token_create

        self.limit("comment")
        person = UserFactory()
        secret = token_create(user=person, name="Rückkanal", scopes=["comment"]).secret
        self.client.logout()
        response = self.client.post(
            f"/api/v1/consultations/{self.page.pk}/comments/",
            {"body": f"Über die Schnittstelle {self.count}"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
            **meta,
        )
        assert response.status_code in (201, 429), (response.status_code, response.content)
        return response.status_code == 429

    def send(self, kind: str, meta) -> bool:
        self.count += 1
        return getattr(self, kind)(meta)


KINDS = ["comment", "vote", "notice", "login", "signup", "api_comment"]


@pytest.mark.parametrize("kind", KINDS)
def test_forged_forwarded_for_behind_the_documented_proxy_is_one_client(
    kind, client, monkeypatch, settings, open_page, fresh_cache
):
    settings.TRUSTED_PROXIES = [PROXY]
    chain = DocumentedChain.read()
    attempts = Attempts(client, monkeypatch, settings, open_page)
    refused = [
        attempts.send(kind, chain.meta(client=ATTACKER, sent=forged)) for forged in FORGED[:LIMIT]
    ]
    assert refused == [False] * LIMIT
    for forged in FORGED[LIMIT:]:
        assert attempts.send(kind, chain.meta(client=ATTACKER, sent=forged)), forged
    # Someone else behind the same proxy is a client of their own.
    assert not attempts.send(kind, chain.meta(client=NEIGHBOUR, sent=FORGED[0]))


@pytest.mark.parametrize("kind", KINDS)
def test_without_a_trusted_proxy_the_header_is_ignored(
    kind, client, monkeypatch, settings, open_page, fresh_cache
):
    settings.TRUSTED_PROXIES = []
    attempts = Attempts(client, monkeypatch, settings, open_page)
    direct = [{"REMOTE_ADDR": ATTACKER, "HTTP_X_FORWARDED_FOR": forged} for forged in FORGED]
    assert [attempts.send(kind, meta) for meta in direct[:LIMIT]] == [False] * LIMIT
    for meta in direct[LIMIT:]:
        assert attempts.send(kind, meta), meta
    assert not attempts.send(kind, {"REMOTE_ADDR": NEIGHBOUR, "HTTP_X_FORWARDED_FOR": ATTACKER})


@pytest.mark.parametrize("kind", ["comment", "notice"])
def test_an_ipv6_client_cannot_step_through_its_own_64(
    kind, client, monkeypatch, settings, open_page, fresh_cache
):
    settings.TRUSTED_PROXIES = []
    attempts = Attempts(client, monkeypatch, settings, open_page)
    mine = [{"REMOTE_ADDR": f"2001:db8:7:7::{n:x}"} for n in range(1, LIMIT + 3)]
    assert [attempts.send(kind, meta) for meta in mine[:LIMIT]] == [False] * LIMIT
    for meta in mine[LIMIT:]:
        assert attempts.send(kind, meta), meta
    assert not attempts.send(kind, {"REMOTE_ADDR": "2001:db8:7:8::1"})
