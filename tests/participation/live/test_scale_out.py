"""Two real daphne processes sharing Redis: a comment posted through A reaches a reader on B."""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import websockets

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL); CI sets it"
)

# A new SQLite file is migrated in the same process as SETUP: one Django start-up fewer.
MIGRATE = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
"""
SETUP = """
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from cooperative.organisations.services import organisation_create
from participation.consultations.services import organisation_area_setup
from tests.factories import consultation
org = organisation_create(name="Stadt Zwei", slug="zwei", kind="municipality")
index = organisation_area_setup(organisation=org)
page = consultation(index, title="Skalierung", state="open")
user = get_user_model().objects.create_user(
    username="writer", email="writer@example.org", password="pw-for-the-test-1",
    display_name="Writer")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
print(page.pk, page.url)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def shared_database(tmp_path_factory, django_db_modify_db_settings, django_db_blocker):
    """The servers' database: on PostgreSQL a copy of the suite's migrated template (a
    second or two), else a SQLite file that SETUP migrates."""
    template = django_db_modify_db_settings
    if template is None:
        yield f"sqlite:///{tmp_path_factory.mktemp('scale') / 'shared.sqlite3'}", True
        return
    from django.db import connection

    name = f"{template.split('_migrated_')[0]}_scale_out_{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" WITH TEMPLATE "{template}"')
    try:
        url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
        yield urllib.parse.urlunsplit(url._replace(path=f"/{name}")), False
    finally:
        with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def two_servers(shared_database):
    database_url, migrate = shared_database
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
        },
        "DATABASE_URL": database_url,
        "REDIS_PREFIX": f"allmende-test-{uuid.uuid4().hex[:8]}",
        "DEBUG": "1",
        "TASKS_BACKEND": "immediate",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(REPO),
    }
    run = {"cwd": REPO, "env": env, "capture_output": True, "text": True, "timeout": 300}
    ports = [free_port(), free_port()]
    daphne = str(Path(sys.executable).with_name("daphne"))
    # The servers start while the database is set up: starting touches no database, and
    # nothing asks them for more than /healthz before it is ready.
    processes = [
        subprocess.Popen(
            [daphne, "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        setup = MIGRATE + SETUP if migrate else SETUP
        out = subprocess.run([sys.executable, "manage.py", "shell", "-c", setup], check=True, **run)
        page_id, page_url = out.stdout.split()[-2:]
        for port in ports:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
        yield {"ports": ports, "page_id": int(page_id), "page_url": page_url}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def signed_in(port: int):
    """An opener with the writer's session on that server (logging in hashes the password
    with the production hasher: not part of what is timed)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar), urllib.request.ProxyHandler({})
    )
    base = f"http://127.0.0.1:{port}"
    opener.open(f"{base}/konto/login/")
    token = next(c.value for c in jar if c.name == "csrftoken")
    login = urllib.parse.urlencode(
        {
            "login": "writer@example.org",
            "password": "pw-for-the-test-1",
            "csrfmiddlewaretoken": token,
        }
    ).encode()
    opener.open(
        urllib.request.Request(f"{base}/konto/login/", data=login, headers={"Referer": base})
    )
    return opener, jar


def post_comment(opener, jar, port: int, page_id: int, page_url: str, body: str) -> int:
    base = f"http://127.0.0.1:{port}"
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode({"body": body, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(
        f"{base}/beteiligungen/{page_id}/beitraege/neu/",
        data=data,
        headers={"Referer": f"{base}{page_url}"},
    )
    response = opener.open(request)
    assert response.status == 200 and "#comment-" in response.url, response.url
    return int(response.url.rsplit("#comment-", 1)[1])


def test_a_comment_posted_through_one_process_reaches_a_reader_on_the_other(two_servers):
    port_a, port_b = two_servers["ports"]
    page_id = two_servers["page_id"]
    body = f"Über zwei Prozesse {uuid.uuid4().hex[:6]}"

    async def scenario() -> tuple[dict, float]:
        url = f"ws://127.0.0.1:{port_b}/ws/consultations/{page_id}/"
        async with websockets.connect(url, origin=f"http://127.0.0.1:{port_b}") as reader:
            opener, jar = await asyncio.to_thread(signed_in, port_a)
            await asyncio.sleep(0.3)  # the hub's subscription on B is in place
            started = time.monotonic()  # from the post to its arrival on the other process
            comment_id = await asyncio.to_thread(
                post_comment, opener, jar, port_a, page_id, two_servers["page_url"], body
            )
            while True:
                message = json.loads(await asyncio.wait_for(reader.recv(), timeout=5))
                if message["type"] == "comment.created":
                    assert message["comment"] == comment_id
                    return message, time.monotonic() - started

    # Its own thread: an earlier async test may have left this thread's event loop set.
    with ThreadPoolExecutor(max_workers=1) as executor:
        message, elapsed = executor.submit(asyncio.run, scenario()).result(timeout=60)
    assert body in message["html"]["de"]
    assert elapsed < 2.0
