"""The reviewer's attack on the public audit log, as an anonymous visitor runs it.

It reads only what the page publishes (every 64-digit hex string and every machine time
of each row) and tries candidate private parts, small integers as member numbers, user ids
and choices are, against it:

- the old scheme: the hash covered the private part as it was, so a candidate that gives
  a published hash is the private part;
- the salted scheme: the commitment covers salt and private part; without the salt the
  attacker can only guess it.

It does not import the application's hashing code (an attacker writes their own), so it
runs unchanged against the code before the fix, where it recovers the private parts.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from bs4 import BeautifulSoup

HEX64 = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
GENESIS = "0" * 64
# What someone who does not know the salt can try for it.
GUESSED_SALTS = (b"", bytes(32), b"allmende", b"\xff" * 32)


@dataclass(frozen=True)
class PublishedRow:
    seq: int
    times: tuple[str, ...]
    hexes: frozenset[str]
    text: str


def published_rows(html: bytes | str) -> dict[int, PublishedRow]:
    """Every row of the log's table, keyed by its number."""
    soup = BeautifulSoup(html, "html.parser")
    rows = {}
    for tr in soup.select("table tbody tr"):
        first = tr.find(["td", "th"])
        if first is None or not first.get_text(strip=True).isdigit():
            continue
        seq = int(first.get_text(strip=True))
        rows[seq] = PublishedRow(
            seq=seq,
            times=tuple(t["datetime"] for t in tr.select("time[datetime]")),
            hexes=frozenset(HEX64.findall(str(tr))),
            text=tr.get_text(" ", strip=True),
        )
    return rows


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def crack(
    rows: dict[int, PublishedRow],
    *,
    seq: int,
    kind: str,
    object_type: str,
    object_id: str,
    public: dict,
    candidates: Iterable[dict],
    salts: Iterable[bytes] = GUESSED_SALTS,
) -> dict | None:
    """The first candidate private part that the published row gives away, or None.

    The attacker is granted everything public about the event (kind, object, public part:
    the page shows them); only the private part and its salt are unknown."""
    row = rows[seq]
    previous = rows[seq - 1].hexes if seq - 1 in rows else frozenset({GENESIS})
    moments = [_moment(t) for t in row.times]
    salts = tuple(salts)
    for private in candidates:
        text = _canonical(private)
        # The old scheme: hash over the private part itself.
        for moment in moments:
            for prev_hash in previous:
                payload = _canonical(
                    {
                        "seq": seq,
                        "occurred_at": moment.isoformat(timespec="microseconds"),
                        "kind": kind,
                        "object_type": object_type,
                        "object_id": object_id,
                        "public": public,
                        "private": private,
                        "prev_hash": prev_hash,
                    }
                )
                if _sha(payload) in row.hexes:
                    return private
        # The salted scheme: a commitment is checkable only with the right salt.
        for salt in salts:
            if _sha(salt + text.encode()) in row.hexes:
                return private
    return None
