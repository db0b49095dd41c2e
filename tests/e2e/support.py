"""Helpers for the browser tests: traffic recording, axe-core, the mail directory."""

from __future__ import annotations

import email
import email.policy
import json
import re
import sqlite3
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from cooperative.accounts.totp import TOTP_PERIOD, totp_code

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page, WebSocket

AXE_SOURCE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# URLs with these schemes never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about"}
# Chromium reports a blocked resource as a console error; the listener below names the
# directive too, which the console text does not always do.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@dataclass
class Traffic:
    """Every URL the pages of a test asked for (WebSockets included) and every error
    they logged."""

    netloc: str
    urls: list[str] = field(default_factory=list)
    websocket_urls: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        def on_request(request) -> None:
            self.urls.append(request.url)

        def on_websocket(websocket: WebSocket) -> None:
            self.urls.append(websocket.url)
            self.websocket_urls.append(websocket.url)

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.console_errors.append(f"{page.url}: {message.text}")

        def on_page_error(error) -> None:
            self.console_errors.append(f"{page.url}: uncaught {error}")

        page.on("request", on_request)
        page.on("websocket", on_websocket)
        page.on("console", on_console)
        page.on("pageerror", on_page_error)

    def foreign_urls(self) -> list[str]:
        foreign = []
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES:
                continue
            if parts.netloc != self.netloc:
                foreign.append(url)
        return foreign


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core with the WCAG 2.1 A and AA rules on the page as it is now.

    The page must come from a context created with bypass_csp=True: the site's
    policy (script-src 'self') rightly refuses the injected script otherwise.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE_SOURCE_PATH.read_text(encoding="utf-8"))
    result = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_TAGS,
    )
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f"\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(str(part) for part in node['target'])}")
            lines.append(f"       {node['html'][:300]}")
            for summary_line in (node.get("failureSummary") or "").splitlines():
                lines.append(f"       {summary_line}")
    return "\n".join(lines)


# The database of each running server, by its host:port: the staff logins read their
# account's TOTP secret from it, as the person's authenticator app holds it.
SERVER_DATABASES: dict[str, Path] = {}
_codes_used: dict[tuple[str, str], int] = {}


def totp_secret(database: Path, email: str) -> str:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        row = connection.execute(
            "SELECT a.data FROM mfa_authenticator a JOIN cooperative_accounts_user u"
            " ON u.id = a.user_id WHERE u.email = ? AND a.type = 'totp'",
            [email],
        ).fetchone()
    finally:
        connection.close()
    assert row, f"{email} has no TOTP authenticator in {database}"
    return json.loads(row[0])["secret"]


def fresh_totp_code(netloc: str, email: str) -> str:
    """The code of the moment for the account's authenticator. A code counts once: if this
    account already used the one of this 30-second step on this server, wait for the next."""
    step = int(time.time()) // TOTP_PERIOD
    if _codes_used.get((netloc, email)) == step:
        time.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 0.1)
        step = int(time.time()) // TOTP_PERIOD
    _codes_used[(netloc, email)] = step
    return totp_code(totp_secret(SERVER_DATABASES[netloc], email), step * TOTP_PERIOD)


def mails_to(mail_dir: Path, address: str) -> list[EmailMessage]:
    """The messages Django's file-based backend wrote for one recipient, oldest first."""
    separator = "\n" + "-" * 79 + "\n"
    messages: list[EmailMessage] = []
    for path in sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
        for chunk in path.read_text(encoding="utf-8").split(separator):
            if not chunk.strip():
                continue
            message = email.message_from_string(chunk.lstrip("\n"), policy=email.policy.default)
            if address in str(message.get("To", "")):
                messages.append(message)  # type: ignore[arg-type]
    return messages


def plain_body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, f"no text part in {message['Subject']!r}"
    return part.get_content()


def first_link(text: str, path_pattern: str) -> str:
    match = re.search(rf"https?://\S+?{path_pattern}", text)
    assert match, f"no link matching {path_pattern!r} in:\n{text}"
    return match.group(0)
