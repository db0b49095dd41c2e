"""/.well-known/security.txt (RFC 9116): the operator's contact for vulnerability reports."""

from datetime import UTC, datetime, timedelta

import pytest


def fields(response) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in response.content.decode().splitlines():
        name, _, value = line.partition(": ")
        found.setdefault(name, []).append(value)
    return found


@pytest.mark.django_db
def test_it_names_the_contact_and_expires_within_a_year(client, settings):
    settings.SECURITY_CONTACT = ["mailto:sicherheit@beteiligung.example", "https://x.example/s"]
    settings.SECURITY_POLICY_URL = "https://beteiligung.example/sicherheit/"
    settings.WAGTAILADMIN_BASE_URL = "https://beteiligung.example"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    found = fields(response)
    assert found["Contact"] == ["mailto:sicherheit@beteiligung.example", "https://x.example/s"]
    expires = datetime.strptime(found["Expires"][0], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(days=30) < expires - datetime.now(UTC) < timedelta(days=365)
    assert found["Canonical"] == ["https://beteiligung.example/.well-known/security.txt"]
    assert found["Policy"] == ["https://beteiligung.example/sicherheit/"]
    assert found["Preferred-Languages"] == ["de, en"]


@pytest.mark.django_db
def test_without_a_usable_contact_there_is_no_file(client, settings):
    settings.SECURITY_CONTACT = []
    assert client.get("/.well-known/security.txt").status_code == 404
    settings.SECURITY_CONTACT = ["javascript:alert(1)"]
    assert client.get("/.well-known/security.txt").status_code == 404


@pytest.mark.django_db
def test_only_get(client, settings):
    settings.SECURITY_CONTACT = ["mailto:sicherheit@beteiligung.example"]
    assert client.post("/.well-known/security.txt").status_code == 405
