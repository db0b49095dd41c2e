"""Live results: coalesced to a few updates per poll and second, and only where public."""

import itertools
import json
import threading

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from participation.polls.live import ResultsCoalescer, SharedWindow
from participation.polls.models import Poll
from participation.polls.services import poll_close, poll_vote_cast
from tests.factories import UserFactory


class NoWindow(SharedWindow):
    def claim(self, poll_id, seconds):
        return 0.0


class Clock:
    """The coalescer's time and timers, moved on by the test: no real sleeps."""

    def __init__(self):
        self.now = 100.0
        self.due: list[list] = []  # [at, action, cancelled]

    def __call__(self):
        return self.now

    def schedule(self, seconds, action):
        entry = [self.now + seconds, action, False]
        self.due.append(entry)

        class Timer:
            def cancel(self):
                entry[2] = True

        return Timer()

    def sleep(self, seconds):
        """Move on by `seconds`, running what falls due on the way, in order."""
        end = self.now + seconds
        while True:
            waiting = [entry for entry in self.due if not entry[2] and entry[0] <= end]
            if not waiting:
                break
            entry = min(waiting, key=lambda e: e[0])
            self.due.remove(entry)
            self.now = max(self.now, entry[0])
            entry[1]()
        self.now = end


class Recorder:
    def __init__(self, clock):
        self.calls = []
        self.clock = clock

    def __call__(self, poll_id, final):
        self.calls.append((self.clock(), poll_id, final))


def coalescer_on(clock, publish, **kwargs):
    return ResultsCoalescer(publish, clock=clock, schedule=clock.schedule, **kwargs)


def test_a_burst_of_votes_gives_one_update_now_and_one_at_the_end_of_the_window():
    clock = Clock()
    publish = Recorder(clock)
    coalescer = coalescer_on(clock, publish, rate=lambda: 10, window=NoWindow())

    for _ in range(200):
        coalescer.changed(7)
    clock.sleep(0.25)

    assert [call[1] for call in publish.calls] == [7, 7]
    assert 0.08 <= publish.calls[1][0] - publish.calls[0][0] <= 0.2
    coalescer.cancel_all()


def test_sustained_voting_is_capped_at_the_configured_rate():
    clock = Clock()
    publish = Recorder(clock)
    coalescer = coalescer_on(clock, publish, rate=lambda: 4, window=NoWindow())

    started = clock()
    while clock() - started < 1.6:
        coalescer.changed(1)
        coalescer.changed(2)
        clock.sleep(0.002)
    clock.sleep(0.3)

    for poll_id in (1, 2):
        times = [t for t, p, _f in publish.calls if p == poll_id]
        # 1.6 s at 4/s: the first at once, then one per 250 ms, and a trailing one
        assert 6 <= len(times) <= 9
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert min(gaps) >= 0.2
    coalescer.cancel_all()


def test_rate_zero_publishes_every_change_and_closing_is_never_held_back():
    clock = Clock()
    publish = Recorder(clock)
    immediate = coalescer_on(clock, publish, rate=lambda: 0, window=NoWindow())
    for _ in range(3):
        immediate.changed(5)
    assert len(publish.calls) == 3

    capped = coalescer_on(clock, publish, rate=lambda: 1, window=NoWindow())
    capped.changed(6)
    capped.changed(6, final=True)
    assert [(p, f) for _t, p, f in publish.calls[3:]] == [(6, False), (6, True)]
    capped.cancel_all()


def test_another_process_holding_the_window_defers_the_update():
    class Busy(SharedWindow):
        def __init__(self):
            super().__init__()
            self.asked = 0

        def claim(self, poll_id, seconds):
            self.asked += 1
            return 0.05 if self.asked == 1 else 0.0

    clock = Clock()
    publish = Recorder(clock)
    coalescer = coalescer_on(clock, publish, rate=lambda: 10, window=Busy())
    coalescer.changed(3)
    assert publish.calls == []
    clock.sleep(0.15)
    assert [p for _t, p, _f in publish.calls] == [3]


def test_the_default_timer_runs_the_trailing_update_in_a_thread_of_its_own():
    done = threading.Event()
    ran_in = []

    def publish(poll_id, final):
        ran_in.append(threading.current_thread())
        if len(ran_in) == 2:
            done.set()

    coalescer = ResultsCoalescer(publish, rate=lambda: 100, window=NoWindow())
    coalescer.changed(9)
    coalescer.changed(9)  # within the 10 ms window: a trailing update on a real timer
    assert done.wait(5)
    assert ran_in[0] is threading.current_thread()
    assert ran_in[1] is not threading.current_thread() and ran_in[1].daemon


pytestmark_db = pytest.mark.django_db(transaction=True)


async def _receive_poll_frames(communicator, count, timeout=3):
    frames = []
    while len(frames) < count:
        message = json.loads(await communicator.receive_from(timeout=timeout))
        if message["type"].startswith("poll."):
            frames.append(message)
    return frames


@pytestmark_db
@pytest.mark.asyncio
async def test_readers_see_live_results_and_nothing_of_polls_that_hide_them(make_consultation):
    from asgiref.sync import sync_to_async

    from tests.participation.polls.conftest import add_poll

    page = await sync_to_async(make_consultation)("open")
    live = await sync_to_async(add_poll)(page, results_visibility=Poll.Visibility.LIVE)
    hidden = await sync_to_async(add_poll)(page, results_visibility=Poll.Visibility.AFTER_CLOSE)
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    communicator = WebsocketCommunicator(application, f"/ws/consultations/{page.pk}/", headers)
    connected, _code = await communicator.connect()
    assert connected

    def vote(poll):
        choice = poll.choices.first().pk
        poll_vote_cast(user=UserFactory(), poll=poll, choices=[choice])

    await sync_to_async(vote)(hidden)
    await sync_to_async(vote)(live)
    (frame,) = await _receive_poll_frames(communicator, 1)
    assert frame["type"] == "poll.results"
    assert frame["poll"] == live.pk
    assert "1 (100 %)" in frame["html"]["de"]
    assert "Ergebnisse: 1 teilnehmende Person" in frame["html"]["de"]
    assert "Results: 1 participant" in frame["html"]["en"]

    # the hidden poll announces its result only when it closes
    await sync_to_async(poll_close)(poll=hidden)
    (closing,) = await _receive_poll_frames(communicator, 1)
    assert closing["poll"] == hidden.pk and closing["closed"] is True
    await communicator.disconnect()
