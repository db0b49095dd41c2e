"""API reads: requests per second for the consultation list and a page of a 1,000-comment
thread, against a minimal Django JSON view in the same run.

    .venv/bin/python -m bench.api_read --quick   # < 1 min
    .venv/bin/python -m bench.api_read           # more requests

It makes a temporary PostgreSQL database (tables from the models via bench/schema.py,
demo content, 1,000 published contributions on one consultation), then measures one
daphne process at a time on the same database, with keep-alive clients on loopback:

- baseline: GET /json/<id>/ on a Django view that reads one row and answers JSON
  (Allmende's settings and middleware, bench/baselines/json_view.py);
- list: GET /api/v1/consultations/ (the first page: state, organisation, tags, phases);
- thread: GET /api/v1/consultations/<id>/comments/ (the first page, 50 contributions with
  their authors) of the consultation with 1,000 contributions.

Every answer must be a 200 with the expected number of objects. The last line is one
JSON object: list_rps, thread_rps, baseline_rps and their ratios (target >= 0.25).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.live_fanout import PYTHON, Server, daphne_argv, django_env, free_port, log, pg_admin, run
from bench.loadgen import HttpConnection, raise_nofile

CONCURRENCY = 16
THREAD_SIZE = 1000
TARGET = 0.25


def load_thread(out: str) -> int:
    """In the bench database: 1,000 published contributions by 50 people on one demo
    consultation. Writes {"consultation_id": ...} to `out`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from bench.setup_db import DEMO_PATH
    from participation.comments.models import Comment
    from participation.consultations.models import ConsultationPage
    from participation.contributions.markup import render_markdown

    page = next(p for p in ConsultationPage.objects.live() if p.url.endswith(DEMO_PATH))
    User = get_user_model()
    password = make_password(None)
    people = User.objects.bulk_create(
        [
            User(
                username=f"api-{n}",
                email=f"api-{n}@bench.invalid",
                display_name=f"Leserin {n}",
                password=password,
            )
            for n in range(50)
        ]
    )
    body = "Ein Beitrag mit **etwas** Text, damit die Seite nicht leer ist. " * 3
    html = render_markdown(body)
    Comment.objects.bulk_create(
        [
            Comment(
                consultation=page,
                author=people[n % len(people)],
                body=f"{n}: {body}",
                body_html=html,
                origin="api" if n % 5 == 0 else "web",
            )
            for n in range(THREAD_SIZE)
        ],
        batch_size=500,
    )
    Path(out).write_text(json.dumps({"consultation_id": page.pk}))
    return 0


async def get_all(port: int, path: str, count: int, concurrency: int, check) -> tuple[int, float]:
    """`count` GETs of `path` over keep-alive connections; returns (good answers, seconds)."""
    head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    remaining = [count]
    good = [0]

    async def client() -> None:
        conn = await HttpConnection.open("127.0.0.1", port, None)
        try:
            while remaining[0] > 0:
                remaining[0] -= 1
                conn.send(head, b"")
                status, _headers, body, keep = await conn.response()
                if status == 200 and check(body):
                    good[0] += 1
                if not keep:
                    conn.close()
                    conn = await HttpConnection.open("127.0.0.1", port, None)
        finally:
            conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return good[0], time.perf_counter() - started


def _results(n: int):
    return lambda body: len(json.loads(body)["results"]) == n


async def measure_server(name, env, port, workdir, path, count, check, warm) -> float:
    server = Server(name, daphne_argv("config.asgi:application", port, 4096), env, port, workdir)
    server.start()
    try:
        await server.ready()
        await get_all(port, path, warm, 4, lambda body: True)
        good, seconds = await get_all(port, path, count, CONCURRENCY, check)
    finally:
        server.stop()
    if good != count:
        raise RuntimeError(f"{name}: only {good} of {count} answers were right\n{server.tail()}")
    rate = good / seconds
    log(f"  {name}: {good} GET {path} in {seconds:.2f} s -> {rate:.0f}/s")
    return rate


async def measure(args, workdir: Path) -> dict:
    pg_url = args.pg_url
    name = f"allmende_bench_api_{os.getpid()}"
    pg_admin(f'DROP DATABASE IF EXISTS "{name}"', pg_url)
    pg_admin(f'CREATE DATABASE "{name}"', pg_url)
    base = pg_url.rsplit("/", 1)[0]
    env = django_env(
        DATABASE_URL=f"{base}/{name}",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        DATABASE_POOL="1",
    )
    try:
        started = time.perf_counter()
        run([PYTHON, "-m", "bench.schema", "--demo"], env, 300)
        info_path = workdir / "thread.json"
        run([PYTHON, "-m", "bench.api_read", "--load-thread", str(info_path)], env, 300)
        cid = json.loads(info_path.read_text())["consultation_id"]
        log(
            f"  database: PostgreSQL {name}, demo content and {THREAD_SIZE} contributions, "
            f"in {time.perf_counter() - started:.1f} s"
        )
        count, warm = args.requests, min(100, args.requests // 5)
        baseline_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.baselines.json_view"}
        baseline = await measure_server(
            "baseline (minimal JSON view)",
            baseline_env,
            free_port(),
            workdir,
            f"/json/{cid}/",
            count,
            lambda body: json.loads(body).get("id") == cid,
            warm,
        )
        consultations = await measure_server(
            "consultation list",
            env,
            free_port(),
            workdir,
            "/api/v1/consultations/",
            count,
            lambda body: len(json.loads(body)["results"]) >= 1,
            warm,
        )
        thread = await measure_server(
            "thread page (1,000 contributions)",
            env,
            free_port(),
            workdir,
            f"/api/v1/consultations/{cid}/comments/",
            count,
            _results(50),
            warm,
        )
    finally:
        with contextlib.suppress(Exception):
            pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', pg_url)
    list_ratio, thread_ratio = consultations / baseline, thread / baseline
    log(
        f"  ratios to the baseline: list {list_ratio:.0%}, thread {thread_ratio:.0%} "
        f"(target {TARGET:.0%})"
    )
    return {
        "list_rps": round(consultations, 1),
        "thread_rps": round(thread, 1),
        "baseline_rps": round(baseline, 1),
        "list_ratio": round(list_ratio, 3),
        "thread_ratio": round(thread_ratio, 3),
        "target_ratio": TARGET,
        "meets_target": list_ratio >= TARGET and thread_ratio >= TARGET,
        "requests": count,
        "concurrency": CONCURRENCY,
        "thread_size": THREAD_SIZE,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests, < 1 minute")
    parser.add_argument("--requests", type=int, default=None)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--load-thread", metavar="OUT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.load_thread:
        return load_thread(args.load_thread)
    args.requests = args.requests or (300 if args.quick else 3000)
    raise_nofile()
    workdir = Path(tempfile.mkdtemp(prefix="allmende-api-"))
    started = time.perf_counter()
    try:
        summary = asyncio.run(asyncio.wait_for(measure(args, workdir), 120 if args.quick else 900))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    log(f"\ntotal {time.perf_counter() - started:.1f} s")
    print(json.dumps(summary, separators=(",", ":")), flush=True)
    return 0 if summary["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
