"""Security properties a visitor's browser relies on: CSP, escaping, deployment checks."""

import html
import os
import re
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import TEST_PASSWORD, UserFactory, consultation, organisation_with_area

BASE_DIR = Path(__file__).resolve().parent.parent
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE_BREAKOUT = '"><img src=x onerror=alert(1)>'

# Source expressions that never name another host.
LOCAL_SOURCES = {"'self'", "'none'", "data:"}


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def public_urls(organisation_area):
    _org, index = organisation_area
    page = consultation(index, title="Radwege", state="open")
    return ["/", "/beteiligungen/", page.url, index.url, "/konto/login/", "/konto/signup/"]


@pytest.mark.django_db
def test_public_pages_send_a_strict_content_security_policy(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        directives = csp_directives(response)
        assert directives["default-src"] == ["'self'"], url
        assert directives["script-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"], url
        assert directives["frame-ancestors"] == ["'none'"], url
        for name, sources in directives.items():
            assert "'unsafe-inline'" not in sources, (url, name)
            assert "'unsafe-eval'" not in sources, (url, name)
            assert set(sources) <= LOCAL_SOURCES, (url, name, sources)


@pytest.mark.django_db
def test_public_pages_need_nothing_the_policy_blocks(client, public_urls):
    """Inline scripts, handlers and style attributes would be dropped by the browser."""
    for url in public_urls:
        page = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", page):
            # schema.org data blocks are never executed, so the policy does not apply to them
            if 'type="application/ld+json"' in tag:
                continue
            assert "src=" in tag, (url, tag)
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", page), url
        assert not re.search(r"<[^>]+\sstyle\s*=", page), url
        assert "<style" not in page, url
        # Nothing is loaded from another host either.
        assert not re.search(r'(?:src|href)="(?:https?:)?//', page.split("</head>")[0]), url


@pytest.mark.django_db
def test_display_name_with_markup_cannot_be_created_through_the_signup_form(client):
    for name in (SCRIPT, ATTRIBUTE_BREAKOUT):
        response = client.post(
            "/konto/signup/",
            {
                "email": "mallory@example.org",
                "display_name": name,
                "password1": TEST_PASSWORD,
                "password2": TEST_PASSWORD,
            },
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "Ein Anzeigename darf nur Buchstaben" in page
        assert name not in page
        assert html.escape(name) in page
    assert not get_user_model().objects.filter(email="mallory@example.org").exists()
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [SCRIPT, ATTRIBUTE_BREAKOUT])
def test_stored_markup_in_consultation_fields_is_escaped_everywhere(client, payload):
    _org, index = organisation_with_area(name=f"Amt {payload}", slug="amt")
    page = consultation(
        index,
        title=f"Radwege {payload}",
        slug="radwege",
        summary=f"Worum es geht {payload}",
        tags=(f"Verkehr {payload}",),
    )
    escaped = html.escape(payload)
    for url in ["/", "/beteiligungen/", "/beteiligungen/?state=open", page.url, index.url]:
        body = client.get(url).content.decode()
        assert payload not in body, url
        assert f"Radwege {escaped}" in body, url
        assert f"Amt {escaped}" in body, url
    assert f"Worum es geht {escaped}" in client.get(page.url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [SCRIPT, ATTRIBUTE_BREAKOUT])
def test_stored_markup_in_a_display_name_is_escaped(client, payload):
    # Written directly to the database, bypassing the form's validation.
    user = UserFactory()
    get_user_model().objects.filter(pk=user.pk).update(display_name=f"Eve {payload}")

    login = client.post("/konto/login/", {"login": user.email, "password": TEST_PASSWORD})
    after_login = client.get(login["Location"]).content.decode()
    settings_page = client.get("/konto/anzeigename/").content.decode()

    escaped = html.escape(payload)
    for body in (after_login, settings_page):
        assert payload not in body
        assert f"Eve {escaped}" in body


@pytest.mark.django_db
def test_search_input_is_reflected_escaped(client, organisation_area):
    response = client.get("/beteiligungen/", {"q": ATTRIBUTE_BREAKOUT})
    body = response.content.decode()
    assert response.status_code == 200
    assert ATTRIBUTE_BREAKOUT not in body
    assert html.escape(ATTRIBUTE_BREAKOUT) in body


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "ALLMENDE_DEV", "TASKS_BACKEND", "DJANGO_SETTINGS_MODULE"}
    }
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
            "ALLOWED_HOSTS": "allmende.example",
            "BASE_URL": "https://allmende.example",
            "SECURITY_CONTACT": "mailto:sicherheit@allmende.example",
            "DATABASE_URL": os.environ.get(
                "DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'check.sqlite3'}"
            ),
        }
    )
    env.update(overrides)
    return env


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_passes_with_production_settings():
    result = deploy_check(production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_fails_with_debug_on():
    result = deploy_check(production_env(DEBUG="1"))
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


@pytest.mark.parametrize("dev", ["", "1"])
def test_deploy_check_fails_without_a_real_key(dev):
    """`check --deploy` used to pass without a key: manage.py stood in the committed
    development key for it (and ALLMENDE_DEV=1 did everywhere)."""
    env = production_env()
    del env["SECRET_KEY"]
    if dev:
        env["ALLMENDE_DEV"] = dev
    result = deploy_check(env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_deploy_check_fails_with_a_weak_key():
    result = deploy_check(production_env(SECRET_KEY="geheim"))
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_commands_that_only_read_the_code_need_no_key():
    env = production_env()
    del env["SECRET_KEY"]
    for command in (["check"], ["makemigrations", "--dry-run"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_without_a_security_contact():
    env = production_env()
    del env["SECURITY_CONTACT"]
    result = deploy_check(env)
    assert result.returncode != 0
    assert "allmende.W001" in result.stderr + result.stdout
    result = deploy_check(production_env(SECURITY_CONTACT="sicherheit@allmende.example"))
    assert "allmende.W001" in result.stderr + result.stdout  # not a URI: no usable contact
