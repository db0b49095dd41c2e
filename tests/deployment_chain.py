"""A request's way into Allmende in the production set-up that docs/deployment.md
documents: nginx (its `X-Forwarded-For` directive in each location) in front of daphne
(the flags of the documented command line). Tests of client addresses send their attacks
through it, so that the documentation is tested together with the code: a set-up that
lets the client choose its address fails them, whichever of the two allows it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from daphne.utils import parse_x_forwarded_for

DEPLOYMENT_DOC = Path(__file__).resolve().parent.parent / "docs" / "deployment.md"
# The documented nginx runs on the daphne host (`upstream allmende { server 127.0.0.1:...`).
PROXY = "127.0.0.1"
PROXY_PORT = 51234


def _block(text: str, language: str) -> str:
    """Every ```language block of the page, one after the other."""
    found = re.findall(rf"```{language}\n(.*?)```", text, re.S)
    assert found, f"docs/deployment.md has no ```{language} block"
    return "\n".join(found)


@dataclass(frozen=True)
class DocumentedChain:
    # nginx location -> the value nginx sets X-Forwarded-For to (None: not set, the
    # client's header passes on unchanged)
    forwarded_for: dict[str, str | None]
    proxy_headers: bool  # daphne --proxy-headers

    @classmethod
    def read(cls) -> DocumentedChain:
        text = DEPLOYMENT_DOC.read_text(encoding="utf-8")
        daphne_lines = [
            line.strip()
            for line in _block(text, "sh").splitlines()
            if line.strip().startswith("daphne ")
        ]
        assert daphne_lines, "docs/deployment.md shows no daphne command line"
        nginx = _block(text, "nginx")
        assert re.search(rf"server {re.escape(PROXY)}:\d+", nginx), "daphne is not on the host"
        locations = {}
        for match in re.finditer(r"location\s+(\S+)\s*\{([^}]*)\}", nginx):
            body = match.group(2)
            if "proxy_pass" not in body:
                continue  # served by nginx itself (static files)
            header = re.search(r"proxy_set_header\s+X-Forwarded-For\s+([^;]+);", body, re.I)
            locations[match.group(1)] = header.group(1).strip() if header else None
        assert {"/", "/ws/"} <= set(locations), locations
        return cls(
            forwarded_for=locations,
            proxy_headers=any("--proxy-headers" in line for line in daphne_lines),
        )

    def arrive(
        self, *, client: str, sent: str | None = None, location: str = "/"
    ) -> tuple[str, str | None]:
        """What daphne hands the application when `client` connects to nginx and sends
        `X-Forwarded-For: sent`: the peer's address and the X-Forwarded-For header."""
        directive = self.forwarded_for[location]
        if directive is None:
            header = sent
        elif directive == "$remote_addr":
            header = client
        elif directive == "$proxy_add_x_forwarded_for":
            header = f"{sent}, {client}" if sent else client
        else:
            raise AssertionError(f"unknown X-Forwarded-For directive {directive!r}")
        peer = [PROXY, PROXY_PORT]
        if self.proxy_headers and header:
            peer, _scheme = parse_x_forwarded_for(
                {b"x-forwarded-for": [header.encode()]}, original_addr=peer
            )
        return peer[0], header

    def meta(self, *, client: str, sent: str | None = None) -> dict[str, str]:
        """The request's WSGI environment entries, for Django's test client."""
        peer, header = self.arrive(client=client, sent=sent, location="/")
        meta = {"REMOTE_ADDR": peer}
        if header is not None:
            meta["HTTP_X_FORWARDED_FOR"] = header
        return meta

    def websocket(self, *, client: str, sent: str | None = None) -> dict:
        """The parts of a WebSocket's ASGI scope that name the client."""
        peer, header = self.arrive(client=client, sent=sent, location="/ws/")
        headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
        if header is not None:
            headers.append((b"x-forwarded-for", header.encode()))
        return {"client": [peer, PROXY_PORT], "headers": headers}
