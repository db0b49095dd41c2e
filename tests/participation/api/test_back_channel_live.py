"""A contribution through the API reaches a connected WebSocket reader, like one from the
form (the same service publishes it after commit)."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse

from config.asgi import application
from participation.api.tokens import token_create
from tests.factories import UserFactory, consultation, organisation_with_area
from tests.participation.api.conftest import ALL_SCOPES

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def _setup():
    _org, index = organisation_with_area(name="Stadt Live API", slug="live-api")
    page = consultation(index, title="Offen", state="open")
    user = UserFactory(display_name="Lena Live")
    secret = token_create(user=user, name="t", scopes=ALL_SCOPES).secret
    return page, user, secret


def _post(path: str, page, user, secret: str, body: str) -> int:
    client = Client()
    if path == "web":
        client.force_login(user)
        return client.post(reverse("comment_create", args=[page.pk]), {"body": body}).status_code
    return client.post(
        f"/api/v1/consultations/{page.pk}/comments/",
        json.dumps({"body": body}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    ).status_code


@pytest.mark.parametrize("path", ["web", "api"])
async def test_reaches_a_connected_reader(path):
    page, user, secret = await sync_to_async(_setup)()
    reader = WebsocketCommunicator(
        application,
        f"/ws/consultations/{page.pk}/",
        headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")],
    )
    connected, _ = await reader.connect()
    assert connected
    status = await sync_to_async(_post)(path, page, user, secret, "Live über den Rückkanal.")
    assert status in (201, 302)
    while True:
        event = json.loads(await reader.receive_from(timeout=3))
        if event["type"] != "presence":
            break
    assert event["type"] == "comment.created"
    assert "Live über den Rückkanal." in event["html"]["de"]
    assert "Lena Live" in event["html"]["de"]
    await reader.disconnect()
