"""Browser tests against a real server: daphne on a free port, SQLite, demo content.

The server always runs in the embedded mode (SQLite, in-process channel layer), even
in CI, where DATABASE_URL and REDIS_URL are set for the rest of the suite. Without
Debian's Chromium the tests skip, unless REQUIRE_E2E=1 (CI) makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from tests.e2e.database import TEMPLATE_NAME, PreparationFailed, copy_into
from tests.e2e.support import CSP_LISTENER, SERVER_DATABASES, Traffic

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

REPO_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Everything stays on 127.0.0.1, whatever proxy the environment names.
    "--no-proxy-server",
]
SERVER_START_TIMEOUT = 60


@dataclass(frozen=True)
class Server:
    base_url: str
    mail_dir: Path
    log_path: Path

    @property
    def netloc(self) -> str:
        return urlsplit(self.base_url).netloc

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return "(no server log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("REQUIRE_E2E") == "1":
        pytest.fail(f"{reason}; REQUIRE_E2E=1 demands the browser tests run", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = shutil.which("chromium")
    if path is None:
        _skip_or_fail("Debian's Chromium is not installed (apt-get install chromium)")
    assert path is not None
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _daphne() -> str:
    beside_python = Path(sys.executable).with_name("daphne")
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("daphne")
    if found is None:
        pytest.fail("daphne is not installed next to the test interpreter", pytrace=False)
    return found


def _wait_until_healthy(server: Server, process: subprocess.Popen) -> None:
    # No proxy, whatever the environment says: the server is local.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"daphne exited with {process.returncode}:\n{server.log_tail()}", pytrace=False
            )
        try:
            with opener.open(f"{server.base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(
        f"daphne did not answer /healthz within {SERVER_START_TIMEOUT}s:\n{server.log_tail()}",
        pytrace=False,
    )


# pytest runs a failed session fixture again for every test; one failed start is enough.
_server_start_failure: list[str] = []


@pytest.fixture(scope="session")
def server(chromium_executable: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if _server_start_failure:
        pytest.fail(f"the server did not start (see the first error): {_server_start_failure[0]}")
    try:
        yield from _run_server(tmp_path_factory)
    except pytest.fail.Exception as failure:
        _server_start_failure.append(str(failure).splitlines()[0])
        raise


def _run_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("e2e-server")
    # One template per run, shared by the xdist workers (their base temps are siblings).
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "e2e-template"
    try:
        env = copy_into(tmp, shared)
    except PreparationFailed as failure:
        pytest.fail(str(failure), pytrace=False)

    port = _free_port()
    server = Server(
        base_url=f"http://127.0.0.1:{port}",
        mail_dir=tmp / "mail",
        log_path=tmp / "daphne.log",
    )
    SERVER_DATABASES[server.netloc] = tmp / TEMPLATE_NAME
    with server.log_path.open("wb") as log:
        process = subprocess.Popen(
            [_daphne(), "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
            cwd=REPO_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_healthy(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def traffic(server: Server) -> Traffic:
    return Traffic(netloc=server.netloc)


@pytest.fixture
def new_context(
    browser: Browser, server: Server, traffic: Traffic
) -> Iterator[Callable[..., BrowserContext]]:
    """Opens browser contexts (German, 1280 px wide unless told otherwise) whose pages
    are all recorded; after the test no page may have talked to another host or logged
    an error."""
    contexts: list[BrowserContext] = []

    def open_context(**options) -> BrowserContext:
        settings = {
            "base_url": server.base_url,
            "locale": "de-DE",
            "viewport": {"width": 1280, "height": 800},
            **options,
        }
        context = browser.new_context(**settings)
        context.set_default_timeout(10_000)
        context.add_init_script(script=CSP_LISTENER)
        context.on("page", traffic.watch)
        contexts.append(context)
        return context

    yield open_context

    for context in contexts:
        context.close()
    problems = []
    if foreign := traffic.foreign_urls():
        problems.append(f"requests to another host than {server.netloc}:\n" + "\n".join(foreign))
    if traffic.console_errors:
        problems.append("errors in the console:\n" + "\n".join(traffic.console_errors))
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()


@pytest.fixture
def axe_page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page whose context ignores the site's CSP, so that axe-core can be injected."""
    return new_context(bypass_csp=True).new_page()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR
