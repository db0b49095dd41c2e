"""Vote throughput: poll votes accepted over HTTP against a bare Django insert, same run.

    .venv/bin/python -m bench.vote_throughput --quick   # < 1 min
    .venv/bin/python -m bench.vote_throughput           # more voters, longer

It makes a temporary PostgreSQL database (tables from the models, demo content, voters
with sessions, one poll with live results), then measures one daphne process at a time
on the same database:

- bare insert: POST /insert/ on a Django view that inserts one row (Allmende's settings
  and middleware, bench/baselines/bare_insert.py), as fast as the clients can, as many
  requests as there are voters, half before the votes and half after them;
- votes: every voter POSTs one vote through the real form endpoint (session, CSRF,
  permission, ballot check, advisory lock, insert, live results), as fast as they can,
  from many loopback source addresses (the per-address limit stays as it is);
- meanwhile a WebSocket reader on the consultation counts the poll's live result updates.

Then it checks that the stored votes equal the accepted responses, that the last live
update's counts equal a recount of the raw answer rows, and that the live updates stayed
within the cap (POLL_LIVE_UPDATES_PER_SECOND, default 4). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.live_fanout import (
    PYTHON,
    Server,
    daphne_argv,
    django_env,
    free_port,
    log,
    pg_admin,
    redis_cleanup,
    run,
)
from bench.loadgen import HttpConnection, raise_nofile

CONCURRENCY = 32


async def post_all(port: int, requests: list[tuple[bytes, bytes, str]], concurrency: int):
    """Send every request (head, body, source address) over keep-alive connections, at most
    `concurrency` at a time; returns (statuses, seconds)."""
    queue: asyncio.Queue = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)
    statuses: list[int] = []

    async def client(index: int) -> None:
        conns: dict[str, HttpConnection] = {}
        while not queue.empty():
            head, body, ip = queue.get_nowait()
            for _attempt in range(3):
                conn = conns.get(ip)
                try:
                    if conn is None:
                        conn = conns[ip] = await HttpConnection.open("127.0.0.1", port, ip)
                    conn.send(head, body)
                    status, _headers, _body, keep = await conn.response()
                    if not keep:
                        conn.close()
                        conns.pop(ip, None)
                    statuses.append(status)
                    break
                except (OSError, asyncio.IncompleteReadError, ConnectionError):
                    if conn is not None:
                        conn.close()
                    conns.pop(ip, None)
            else:
                statuses.append(0)
        for conn in conns.values():
            conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(concurrency)))
    return statuses, time.perf_counter() - started


def source_ip(n: int) -> str:
    return f"127.3.{(n // 250) % 250}.{n % 250 + 1}"


async def count_updates(
    port: int,
    consultation_id: int,
    poll_id: int,
    stop: asyncio.Event,
    frames: list[tuple[float, dict]],
):
    from websockets.asyncio.client import connect

    async with connect(
        f"ws://127.0.0.1:{port}/ws/consultations/{consultation_id}/",
        origin="http://localhost",
        max_size=None,
    ) as ws:
        while not stop.is_set():
            try:
                text = await asyncio.wait_for(ws.recv(), 0.2)
            except TimeoutError:
                continue
            message = json.loads(text)
            if message.get("type") == "poll.results" and message.get("poll") == poll_id:
                frames.append((time.perf_counter(), message))
    return frames


def recount(env: dict[str, str], poll_id: int) -> tuple[int, dict[str, int]]:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        votes = conn.execute(
            "SELECT count(*) FROM participation_polls_pollvote WHERE poll_id = %s", [poll_id]
        ).fetchone()[0]
        rows = conn.execute(
            "SELECT choice_id, count(*) FROM participation_polls_pollanswer WHERE poll_id = %s "
            "GROUP BY choice_id",
            [poll_id],
        ).fetchall()
    return votes, {str(choice): count for choice, count in rows}


async def measure(args, workdir: Path) -> dict:
    pg_url = args.pg_url
    name = f"allmende_bench_votes_{os.getpid()}"
    pg_admin(f'DROP DATABASE IF EXISTS "{name}"', pg_url)
    pg_admin(f'CREATE DATABASE "{name}"', pg_url)
    base = pg_url.rsplit("/", 1)[0]
    env = django_env(
        DATABASE_URL=f"{base}/{name}",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback; TLS ends at the proxy in production
        DATABASE_POOL="1",  # as docs/deployment.md recommends for production
    )
    env["POLL_LIVE_UPDATES_PER_SECOND"] = str(args.cap)
    if args.redis_url:
        # As in production: sessions read through the Redis cache (a voter's session is
        # there from logging in: bench.setup_db writes it through the session store),
        # live results through the Redis channel layer.
        env["REDIS_URL"] = args.redis_url
        env["REDIS_PREFIX"] = f"allmende-bench-votes-{os.getpid()}"
    servers: list[Server] = []
    try:
        started = time.perf_counter()
        run([PYTHON, "-m", "bench.schema", "--demo"], env, 300)
        info_path = workdir / "voters.json"
        run(
            [
                PYTHON,
                "-m",
                "bench.setup_db",
                "--users",
                str(args.voters),
                "--poll",
                "--out",
                str(info_path),
            ],
            env,
            300,
        )
        info = json.loads(info_path.read_text())
        log(
            f"  database: PostgreSQL {name}, {args.voters} voters, "
            f"in {time.perf_counter() - started:.1f} s"
        )

        # ---- baseline: a bare Django view doing one insert, half before the votes and
        # half after them, so that a machine that gets busier or quieter during the run
        # weighs on both figures alike
        bare_port = free_port()
        bare_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.baselines.bare_insert"}
        bare = Server(
            "bare-insert",
            daphne_argv("config.asgi:application", bare_port, 4096),
            bare_env,
            bare_port,
            workdir,
        )
        servers.append(bare)
        bare.start()
        await bare.ready()
        bare_head = (
            f"POST /insert/ HTTP/1.1\r\nHost: 127.0.0.1:{bare_port}\r\nContent-Length: 0\r\n\r\n"
        ).encode()
        await post_all(bare_port, [(bare_head, b"", source_ip(n)) for n in range(50)], 8)
        bare_statuses: list[int] = []
        bare_seconds = 0.0
        bare_cpu = 0.0

        async def bare_round(count: int) -> None:
            nonlocal bare_seconds, bare_cpu
            requests = [(bare_head, b"", source_ip(n)) for n in range(count)]
            cpu = bare.cpu()
            statuses, seconds = await post_all(bare_port, requests, CONCURRENCY)
            bare_cpu += bare.cpu() - cpu
            bare_statuses.extend(statuses)
            bare_seconds += seconds

        await bare_round(args.voters // 2)
        if not any(s == 204 for s in bare_statuses):
            raise RuntimeError(f"the bare insert view answered no request:\n{bare.tail()}")

        # ---- Allmende: one vote per voter through the form endpoint
        port = free_port()
        server = Server(
            "allmende", daphne_argv("config.asgi:application", port, 4096), env, port, workdir
        )
        servers.append(server)
        server.start()
        await server.ready()
        cid, pid, choices = info["consultation_id"], info["poll_id"], info["choice_ids"]
        token = "".join(random.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32))
        path = f"/beteiligungen/{cid}/umfragen/{pid}/abstimmen/"
        rng = random.Random(5)

        def vote_request(n: int, key: str):
            body = f"choice={rng.choice(choices)}".encode()
            head = (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Cookie: {info['session_cookie']}={key}; {info['csrf_cookie']}={token}\r\n"
                f"X-CSRFToken: {token}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            return head, body, source_ip(n)

        sessions = info["sessions"]
        warm_n = min(50, len(sessions) // 10)
        await post_all(port, [vote_request(n, k) for n, k in enumerate(sessions[:warm_n])], 8)
        stop = asyncio.Event()
        frames: list[tuple[float, dict]] = []
        reader = asyncio.create_task(count_updates(port, cid, pid, stop, frames))
        profiler = None
        if args.profile:
            # py-spy (not a dependency) samples the server while the votes come in
            profiler = subprocess.Popen(
                [
                    args.py_spy,
                    "record",
                    *(["--gil"] if args.profile_gil else []),
                    "--pid",
                    str(server.pid),
                    "-r",
                    "200",
                    "-f",
                    "raw",
                    "-o",
                    args.profile,
                    "--nonblocking",
                    "-d",
                    str(args.profile_seconds),
                ]
            )
        await asyncio.sleep(0.5)
        requests = [vote_request(n, k) for n, k in enumerate(sessions[warm_n:], start=warm_n)]
        cpu = server.cpu()
        statuses, seconds = await post_all(port, requests, CONCURRENCY)
        vote_cpu = server.cpu() - cpu
        # The trailing update: due one interval after the last vote; on a busy machine it
        # can take longer to arrive, so wait for the one that counts every accepted vote
        # (bounded: if it never comes, `exact` below is false).
        counted = sum(1 for s in statuses if s == 302) + warm_n
        deadline = time.perf_counter() + 1.5 / max(args.cap, 0.5) + 10
        await asyncio.sleep(1.5 / max(args.cap, 0.5) + 0.5)
        while time.perf_counter() < deadline and not (
            frames and frames[-1][1].get("participants") == counted
        ):
            await asyncio.sleep(0.1)
        stop.set()
        await reader
        if profiler is not None:
            profiler.wait(args.profile_seconds + 10)
        server.stop()
        await bare_round(args.voters - args.voters // 2)
        bare.stop()
        bare_ok = sum(1 for s in bare_statuses if s == 204)
        bare_rate = bare_ok / bare_seconds
        log(
            f"  bare insert (half before, half after the votes): {bare_ok}/{len(bare_statuses)} "
            f"in {bare_seconds:.2f} s -> {bare_rate:.0f}/s (responses {sorted(set(bare_statuses))})"
        )
        stored, counts = recount(env, pid)
    finally:
        for running in servers:
            running.stop()
        with contextlib.suppress(Exception):
            pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', pg_url)
        if args.redis_url:
            with contextlib.suppress(Exception):
                redis_cleanup(args.redis_url, env["REDIS_PREFIX"])

    accepted = sum(1 for s in statuses if s == 302)
    codes: dict[str, int] = {}
    for s in statuses:
        codes[str(s)] = codes.get(str(s), 0) + 1
    vote_rate = accepted / seconds
    last = frames[-1][1] if frames else {}
    exact = (
        stored == accepted + warm_n
        and last.get("participants") == stored
        and {k: v for k, v in (last.get("counts") or {}).items() if v} == counts
    )
    span = (frames[-1][0] - frames[0][0]) if len(frames) > 1 else 0.0
    # updates per second over the time they were sent: n updates at least one interval
    # apart span n - 1 intervals (the trailing one after the last vote included)
    updates_per_s = (len(frames) - 1) / span if span else 0.0
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(frames)]
    log(
        f"  votes: {accepted}/{len(requests)} accepted in {seconds:.2f} s -> {vote_rate:.0f}/s "
        f"(responses {codes}); ratio to the bare insert {vote_rate / bare_rate:.0%}"
    )
    log(
        f"  live result updates: {len(frames)} in {span:.2f} s of updates, "
        f"{updates_per_s:.2f}/s over the voting; shortest gap "
        f"{(min(gaps) * 1000 if gaps else 0):.0f} ms (cap {args.cap:g}/s)"
    )
    log(
        f"  exact: stored votes {stored} = accepted {accepted + warm_n}; "
        f"last update {last.get('participants')} participants, counts = recount: {exact}"
    )
    return {
        "votes_per_s": round(vote_rate, 1),
        "bare_insert_per_s": round(bare_rate, 1),
        "ratio": round(vote_rate / bare_rate, 3) if bare_rate else None,
        "exact": exact,
        "live_updates_per_s_per_poll": round(updates_per_s, 2),
        "live_update_cap_per_s": args.cap,
        "min_update_gap_ms": round(min(gaps) * 1000, 1) if gaps else None,
        # the server process's CPU time (all its threads) per request, in the same windows
        "server_cpu_ms_per_vote": round(1000 * vote_cpu / max(len(requests), 1), 2),
        "server_cpu_ms_per_bare_insert": round(1000 * bare_cpu / max(len(bare_statuses), 1), 2),
        "voters": args.voters,
        "accepted": accepted + warm_n,
        "stored": stored,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer voters, < 1 minute")
    parser.add_argument("--voters", type=int, default=None)
    parser.add_argument("--cap", type=float, default=4.0, help="live updates per poll and second")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--redis-url",
        default="",
        help="Redis for cache and channel layer, as in production (default: embedded mode)",
    )
    parser.add_argument("--profile", help="write py-spy's raw samples of the server here")
    parser.add_argument("--profile-seconds", type=int, default=10)
    parser.add_argument(
        "--profile-gil", action="store_true", help="sample only threads holding the GIL"
    )
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or "py-spy")
    args = parser.parse_args(argv)
    args.voters = args.voters or (600 if args.quick else 4000)
    raise_nofile()
    workdir = Path(tempfile.mkdtemp(prefix="allmende-votes-"))
    started = time.perf_counter()
    try:
        summary = asyncio.run(asyncio.wait_for(measure(args, workdir), 75 if args.quick else 900))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    log(f"\ntotal {time.perf_counter() - started:.1f} s")
    print(json.dumps(summary, separators=(",", ":")), flush=True)
    return 0 if summary["exact"] else 1


if __name__ == "__main__":
    sys.exit(main())
