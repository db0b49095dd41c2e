"""Load generator for bench/live_fanout.py: reader processes and posters.

Readers: each worker process runs one asyncio loop holding many WebSocket connections.
They use the `websockets` client protocol (its Sans-I/O `ClientProtocol`, the same
protocol code its asyncio client runs) driven straight from an asyncio Protocol, so that
there is no task, queue and future per connection and message: on two cores every
microsecond the client spends is taken from the server.

Posters: a small HTTP/1.1 client (keep-alive, several loopback source addresses) for
Allmende's comment form and the HTTP baselines, and a WebSocket publisher for the plain
`websockets` baseline. Posts follow a fixed schedule (open loop): a slow server does not
slow the offered rate down, it builds up latency.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import resource
import signal
import time
from array import array
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from websockets.client import ClientProtocol
from websockets.frames import Opcode
from websockets.http11 import Response
from websockets.protocol import State
from websockets.uri import parse_uri

PRESENCE_PREFIX = b'{"type":"presence"'


def raise_nofile() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# --------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------


class Reader(asyncio.Protocol):
    """One WebSocket reader: handshake, then text frames handed to the worker."""

    __slots__ = ("base", "closed", "last_id", "opened", "path", "transport", "worker", "ws")

    def __init__(self, worker: Worker, base: str, path: str) -> None:
        self.worker = worker
        self.base = base
        self.path = path
        self.transport: asyncio.Transport | None = None
        self.ws: ClientProtocol | None = None
        self.opened: asyncio.Future = asyncio.get_running_loop().create_future()
        self.last_id = 0
        self.closed = False

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.ws = ClientProtocol(
            parse_uri(self.base + self.path),
            origin=self.worker.origin_for(self.base),
            max_size=None,
        )
        self.ws.send_request(self.ws.connect())
        self._flush()

    def data_received(self, data: bytes) -> None:
        ws = self.ws
        ws.receive_data(data)
        events = ws.events_received()
        if events:
            now = time.time()
            worker = self.worker
            for event in events:
                if isinstance(event, Response):
                    if ws.handshake_exc is not None or ws.state is not State.OPEN:
                        if not self.opened.done():
                            self.opened.set_exception(
                                ConnectionError(f"handshake refused: {event.status_code}")
                            )
                    elif not self.opened.done():
                        self.opened.set_result(True)
                elif event.opcode is Opcode.TEXT:
                    worker.on_frame(self, event.data, now)
                elif event.opcode is Opcode.CLOSE:
                    worker.on_closed(self, "closed by server")
        self._flush()

    def _flush(self) -> None:
        ws, transport = self.ws, self.transport
        for chunk in ws.data_to_send():
            if chunk:
                transport.write(chunk)
            else:
                transport.close()

    def connection_lost(self, exc) -> None:
        if not self.opened.done():
            self.opened.set_exception(ConnectionError(f"connection lost: {exc}"))
        self.worker.on_closed(self, f"connection lost: {exc}")

    def abort(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()


@dataclass
class Recording:
    times: dict[int, array] = field(default_factory=dict)  # comment -> receive times
    at: dict[int, float] = field(default_factory=dict)  # comment -> server "at" stamp
    lost: int = 0  # readers that closed during the recording
    frames: int = 0


class Worker:
    """Runs in a child process; obeys commands from the orchestrator over a Pipe."""

    def __init__(self, conn, index: int) -> None:
        self.conn = conn
        self.index = index
        self.readers: list[Reader] = []
        self.rec: Recording | None = None
        self.unexpected_closes = 0
        self.frames_total = 0
        self.sample_frame: bytes | None = None

    @staticmethod
    def origin_for(base: str) -> str:
        return "http://" + base.split("://", 1)[1]

    # -- frames ---------------------------------------------------------------------
    def on_frame(self, reader: Reader, data: bytes, now: float) -> None:
        self.frames_total += 1
        if data.startswith(PRESENCE_PREFIX):
            return
        if not data.startswith(b'{"id":'):
            return
        end = data.find(b",", 6)
        reader.last_id = int(data[6:end])
        rec = self.rec
        if self.sample_frame is None:
            self.sample_frame = bytes(data)
        if rec is None:
            return
        start = data.find(b'"comment":', end)
        if start < 0:
            return
        stop = data.find(b",", start + 10)
        comment = int(data[start + 10 : stop])
        times = rec.times.get(comment)
        if times is None:
            times = rec.times[comment] = array("d")
            at = data.rfind(b',"at":')
            if at > 0:
                rec.at[comment] = float(data[at + 6 : -1])
        times.append(now)
        rec.frames += 1

    def on_closed(self, reader: Reader, why: str) -> None:
        if reader.closed:
            return
        reader.closed = True
        self.unexpected_closes += 1
        if self.rec is not None:
            self.rec.lost += 1

    # -- connections ----------------------------------------------------------------
    async def open_reader(self, base: str, path: str, local_ip: str | None, timeout: float):
        loop = asyncio.get_running_loop()
        host, port = base.split("://", 1)[1].split(":")
        reader = Reader(self, base, path)
        try:
            async with asyncio.timeout(timeout):
                await loop.create_connection(
                    lambda: reader,
                    host,
                    int(port),
                    local_addr=(local_ip, 0) if local_ip else None,
                )
                await reader.opened
        except BaseException:
            reader.abort()
            raise
        return reader

    async def connect(
        self, targets: list[str], path: str, count: int, concurrency: int, timeout: float
    ) -> dict:
        started = time.perf_counter()
        errors = 0
        sem = asyncio.Semaphore(concurrency)
        made: list[Reader] = []

        async def one(n: int) -> None:
            nonlocal errors
            base = targets[n % len(targets)]
            for _attempt in range(5):
                async with sem:
                    try:
                        made.append(await self.open_reader(base, path, self._ip(n), timeout))
                        return
                    except (OSError, ConnectionError, TimeoutError):
                        errors += 1
                await asyncio.sleep(0.2 + random.random() * 0.3)

        first = len(self.readers)
        await asyncio.gather(*(one(first + n) for n in range(count)))
        self.readers.extend(made)
        return {
            "connected": len(made),
            "errors": errors,
            "seconds": time.perf_counter() - started,
            "open": self.open_count(),
        }

    def _ip(self, n: int) -> str:
        # Spread connections over loopback source addresses (127.0.<w+1>.<k>), so that
        # ephemeral ports never run short during storms.
        return f"127.1.{self.index + 1}.{(n % 200) + 1}"

    def open_count(self) -> int:
        return sum(1 for r in self.readers if not r.closed)

    async def close_all(self) -> dict:
        for reader in self.readers:
            reader.abort()
        self.readers.clear()
        await asyncio.sleep(0.05)
        return {"open": 0}

    async def storm(
        self,
        targets: list[str],
        path_for_since: str,
        deadline: float,
        since_override: int | None,
        first_delay: tuple[float, float] = (0, 0),
    ) -> dict:
        """Drop every reader at once and reconnect them all as the page does.

        The page (frontend/static/allmende/js/live-socket.js) waits 500 ms x (0.5..1)
        before its first attempt and doubles that after each failure; it asks for what it
        missed with ?since=<last id>. `first_delay=(0, 0)` reconnects at once instead.
        """
        old = [r for r in self.readers if not r.closed]
        for reader in old:
            reader.abort()
        dropped_at = time.time()
        self.readers = []
        errors = 0
        error_kinds: dict[str, int] = {}
        back_times: list[float] = []

        async def one(n: int, previous: Reader) -> None:
            nonlocal errors
            attempt = 0
            since = previous.last_id if since_override is None else since_override
            path = path_for_since.format(since=since)
            if first_delay[1] > 0:
                await asyncio.sleep(random.uniform(*first_delay))
            while time.time() < dropped_at + deadline:
                try:
                    reader = await self.open_reader(
                        previous.base,
                        path,
                        self._ip(n + attempt * 7),
                        max(0.1, dropped_at + deadline - time.time()),
                    )
                except (OSError, ConnectionError, TimeoutError) as exc:
                    errors += 1
                    kind = type(exc).__name__ + ": " + str(exc)[:60]
                    error_kinds[kind] = error_kinds.get(kind, 0) + 1
                    attempt += 1
                    # the page's own back-off: 0.5 s * 2^n with jitter
                    await asyncio.sleep(min(30, 0.5 * 2**attempt) * (0.5 + random.random() / 2))
                    continue
                reader.last_id = previous.last_id
                self.readers.append(reader)
                back_times.append(time.time())
                return

        await asyncio.gather(*(one(n, r) for n, r in enumerate(old)))
        return {
            "dropped": len(old),
            "dropped_at": dropped_at,
            "back": len(back_times),
            "last_back_at": max(back_times) if back_times else None,
            "errors": errors,
            "error_kinds": error_kinds,
        }

    # -- recording ------------------------------------------------------------------
    def record_start(self) -> dict:
        self.rec = Recording()
        return {"open": self.open_count()}

    def record_progress(self) -> dict:
        rec = self.rec
        return {"frames": rec.frames if rec else 0, "open": self.open_count()}

    def record_stop(self, sent_at: dict[int, float]) -> dict:
        rec, self.rec = self.rec, None
        e2e = array("f")
        commit = array("f")
        counts: dict[int, int] = {}
        for comment, times in rec.times.items():
            counts[comment] = len(times)
            t0 = sent_at.get(comment)
            if t0 is not None:
                e2e.extend((t - t0) * 1000.0 for t in times)
            at = rec.at.get(comment)
            if at is not None:
                commit.extend((t - at) * 1000.0 for t in times)
        return {
            "counts": counts,
            "e2e_ms": e2e.tobytes(),
            "commit_ms": commit.tobytes(),
            "lost": rec.lost,
            "open": self.open_count(),
        }

    def sample(self) -> dict:
        return {"size": len(self.sample_frame) if self.sample_frame else 0}

    def cpu(self) -> dict:
        t = os.times()
        return {"cpu": t.user + t.system, "open": self.open_count(), "frames": self.frames_total}

    # -- command loop ---------------------------------------------------------------
    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        commands: asyncio.Queue = asyncio.Queue()
        loop.add_reader(self.conn.fileno(), lambda: commands.put_nowait(self.conn.recv()))
        while True:
            name, kwargs = await commands.get()
            if name == "quit":
                await self.close_all()
                self.conn.send({"ok": True})
                return
            try:
                handler = getattr(self, name)
                result = handler(**kwargs)
                if asyncio.iscoroutine(result):
                    result = await result
            except Exception as exc:  # report, do not die
                result = {"error": f"{type(exc).__name__}: {exc}"}
            self.conn.send(result)


def worker_main(conn, index: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the orchestrator decides when to stop
    raise_nofile()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(Worker(conn, index).run())


# --------------------------------------------------------------------------------------
# HTTP posting
# --------------------------------------------------------------------------------------


class HttpConnection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, host: str, port: int, local_ip: str | None) -> HttpConnection:
        reader, writer = await asyncio.open_connection(
            host, port, local_addr=(local_ip, 0) if local_ip else None, limit=2**20
        )
        return cls(reader, writer)

    def send(self, head: bytes, body: bytes) -> None:
        self.writer.write(head + body)

    async def response(self) -> tuple[int, dict[str, str], bytes, bool]:
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if status in (204, 304) or status < 200:
            body = b""
        elif "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            body = b"".join(parts)
        else:
            body = await self.reader.read()
            return status, headers, body, False
        keep = headers.get("connection", "").lower() != "close"
        return status, headers, body, keep

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.transport.abort()


@dataclass
class PostResult:
    seq: int
    sent_at: float
    status: int = 0
    comment: int | None = None
    done_at: float = 0.0
    error: str | None = None


class Author:
    """One posting identity (a bench user's session) bound to a source address."""

    __slots__ = ("cookie", "hour", "ip", "minute")

    def __init__(self, cookie: str, ip: str) -> None:
        self.cookie = cookie
        self.ip = ip
        self.minute: deque[float] = deque()
        self.hour: deque[float] = deque()


class PostTarget:
    """What one post is: Allmende's comment form, or a frame to a baseline."""

    def request(self, seq: int, now: float) -> tuple[bytes, bytes, str | None, Author | None]:
        raise NotImplementedError

    def comment_of(self, seq: int, status: int, headers: dict[str, str]) -> int | None:
        raise NotImplementedError

    def ok(self, status: int) -> bool:
        raise NotImplementedError


LOCATION_COMMENT = re.compile(r"#comment-(\d+)")


class AllmendeTarget(PostTarget):
    """POST /beteiligungen/<id>/beitraege/neu/ as logged-in bench people.

    Allmende's limits (5/min and 60/h per person, 30/min per address) are kept: posts go
    round-robin over people that still have budget in the current fixed windows, five
    people share one loopback source address.
    """

    PER_MINUTE = 5
    PER_HOUR = 60
    PER_IP = 5  # people per address: 5 x 5/min = 25/min < 30/min

    def __init__(
        self,
        host: str,
        port: int,
        consultation_id: int,
        sessions: list[str],
        session_cookie: str,
        csrf_cookie: str,
    ) -> None:
        self.host = f"{host}:{port}"
        self.path = f"/beteiligungen/{consultation_id}/beitraege/neu/"
        token = "".join(random.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32))
        self.token = token
        self.authors = [
            Author(
                f"{session_cookie}={key}; {csrf_cookie}={token}",
                f"127.2.{(n // self.PER_IP) // 250}.{(n // self.PER_IP) % 250 + 1}",
            )
            for n, key in enumerate(sessions)
        ]
        self._next = 0
        self.marker = f"{os.getpid()}-{int(time.time())}"

    def _author(self, now: float) -> Author | None:
        minute_window = now // 60
        hour_window = now // 3600
        for _ in range(len(self.authors)):
            author = self.authors[self._next]
            self._next = (self._next + 1) % len(self.authors)
            while author.minute and author.minute[0] // 60 != minute_window:
                author.minute.popleft()
            while author.hour and author.hour[0] // 3600 != hour_window:
                author.hour.popleft()
            if len(author.minute) < self.PER_MINUTE and len(author.hour) < self.PER_HOUR:
                author.minute.append(now)
                author.hour.append(now)
                return author
        return None

    def capacity_per_s(self) -> float:
        return len(self.authors) * self.PER_MINUTE / 60.0

    def request(self, seq, now):
        author = self._author(now)
        if author is None:
            return b"", b"", None, None
        body = f"body={quote_plus(f'Bench {self.marker} #{seq}: sent {now:.6f}')}".encode()
        head = (
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host}\r\nCookie: {author.cookie}\r\n"
            f"X-CSRFToken: {self.token}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        return head, body, author.ip, author

    def comment_of(self, seq, status, headers):
        match = LOCATION_COMMENT.search(headers.get("location", ""))
        return int(match.group(1)) if match else None

    def ok(self, status):
        return status == 302


def baseline_frame(seq: int, at: float, size: int) -> bytes:
    """A frame shaped like Allmende's (id, type, comment, html in two languages, at)."""
    head = f'{{"id":{seq},"type":"comment.created","comment":{seq},"parent":null,"root":null,'
    tail = f',"at":{at:.6f}}}'
    pad = max(0, size - len(head) - len(tail) - len('"html":{"de":"","en":""}'))
    html = "x" * (pad // 2)
    return f'{head}"html":{{"de":"{html}","en":"{html}"}}{tail}'.encode()


class BaselineHttpTarget(PostTarget):
    def __init__(self, host: str, port: int, frame_size: int) -> None:
        self.host = f"{host}:{port}"
        self.frame_size = frame_size

    def request(self, seq, now):
        body = baseline_frame(seq, now, self.frame_size)
        head = (
            f"POST /publish HTTP/1.1\r\nHost: {self.host}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        return head, body, "127.0.0.1", None

    def comment_of(self, seq, status, headers):
        return seq

    def ok(self, status):
        return 200 <= status < 300


class HttpPoster:
    """Posts at a fixed rate; with several ports, round-robin over them as a load balancer
    in front of several server processes would."""

    def __init__(
        self, host: str, port: int | list[int], target: PostTarget, max_inflight: int = 64
    ) -> None:
        self.host = host
        self.ports = [port] if isinstance(port, int) else list(port)
        self.target = target
        self.max_inflight = max_inflight
        self.idle: dict[tuple[int, str | None], list[HttpConnection]] = {}
        self.inflight = 0
        self.seq = 0

    async def _post(
        self, seq: int, result: PostResult, head: bytes, body: bytes, ip: str | None
    ) -> None:
        self.inflight += 1
        conn = None
        port = self.ports[seq % len(self.ports)]
        try:
            pool = self.idle.setdefault((port, ip), [])
            conn = pool.pop() if pool else await HttpConnection.open(self.host, port, ip)
            result.sent_at = time.time()
            conn.send(head, body)
            status, headers, _body, keep = await asyncio.wait_for(conn.response(), 30)
            result.done_at = time.time()
            result.status = status
            if self.target.ok(status):
                result.comment = self.target.comment_of(seq, status, headers)
            else:
                result.error = f"HTTP {status}"
            if keep:
                pool.append(conn)
                conn = None
        except Exception as exc:
            result.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.inflight -= 1
            if conn is not None:
                conn.close()

    async def run(self, rate: float, duration: float) -> tuple[list[PostResult], int]:
        """Post at `rate` per second for `duration` seconds; returns results and skips."""
        tasks = []
        results: list[PostResult] = []
        skipped = 0
        async for _k in paced(rate, duration):
            if self.inflight >= self.max_inflight:
                skipped += 1
                continue
            self.seq += 1
            now = time.time()
            head, body, ip, _author = self.target.request(self.seq, now)
            if not head:
                skipped += 1
                continue
            result = PostResult(self.seq, now)
            results.append(result)
            tasks.append(asyncio.create_task(self._post(self.seq, result, head, body, ip)))
        if tasks:
            await asyncio.wait(tasks, timeout=30)
        return results, skipped

    def close(self) -> None:
        for pool in self.idle.values():
            for conn in pool:
                conn.close()
        self.idle.clear()


async def paced(rate: float, duration: float):
    """Yield 0, 1, ... at `rate` per second for `duration` seconds (at least once), on a
    fixed schedule: a late turn does not push the later ones back."""
    count = max(1, round(rate * duration))
    start = time.perf_counter() + 0.01
    for k in range(count):
        delay = start + k / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        yield k


class WebSocketPoster:
    """Publisher for the plain `websockets` baseline: frames over one WebSocket."""

    def __init__(self, host: str, port: int, frame_size: int) -> None:
        self.url = f"ws://{host}:{port}/publish"
        self.frame_size = frame_size
        self.ws = None
        self.seq = 0

    async def run(self, rate: float, duration: float) -> tuple[list[PostResult], int]:
        from websockets.asyncio.client import connect

        if self.ws is None:
            self.ws = await connect(self.url, compression=None, max_size=None)
        results = []
        async for _k in paced(rate, duration):
            self.seq += 1
            now = time.time()
            frame = baseline_frame(self.seq, now, self.frame_size).decode()
            result = PostResult(self.seq, now)
            try:
                await self.ws.send(frame)
                result.status = 200
                result.comment = self.seq
            except Exception as exc:
                result.error = f"{type(exc).__name__}: {exc}"
            result.done_at = time.time()
            results.append(result)
        return results, 0

    def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                self.ws.transport.abort()
            self.ws = None
