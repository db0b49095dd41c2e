"""The live path's shortcuts into daphne, Twisted and autobahn, against a real daphne of
the pinned versions (pyproject.toml): the wire is found, frames written straight to the
socket arrive whole and in order (also one too large for a single send), and autobahn's
debug formatting is deferred. If an upgrade breaks an assumption, this fails here."""

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from websockets.sync.client import connect

from tests.participation.live.daphne_probe import SIZES

REPO = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def daphne_server():
    daphne = Path(sys.executable).with_name("daphne")
    executable = str(daphne) if daphne.exists() else shutil.which("daphne")
    assert executable, "daphne is not installed next to the test interpreter"
    port = _free_port()
    process = subprocess.Popen(
        [
            executable,
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "tests.participation.live.daphne_probe:application",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"daphne did not start:\n{output}")
                time.sleep(0.1)
        yield f"ws://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_frames_go_straight_to_a_real_daphne_socket_whole_and_in_order(daphne_server):
    with connect(daphne_server, max_size=None, open_timeout=10) as websocket:
        frames = [websocket.recv(timeout=20) for _ in SIZES]
        report = json.loads(websocket.recv(timeout=20))

    assert report == {
        "found": True,
        "direct": True,
        "written": [True] * len(SIZES),
        "autobahn_deferred": True,
    }
    assert [frame.split(":", 1)[0] for frame in frames] == [str(n) for n in range(len(SIZES))]
    assert [len(frame.split(":", 1)[1]) for frame in frames] == list(SIZES)
    assert all(set(frame.split(":", 1)[1]) == {"x"} for frame in frames)
