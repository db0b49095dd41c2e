"""The hub's group subscription survives readers leaving and arriving at the same time."""

import asyncio

import pytest

from participation.live.hub import Frame, Hub

pytestmark = pytest.mark.asyncio


class SlowLayer:
    """A cross-process layer whose membership changes take a while, as over the network."""

    def __init__(self) -> None:
        self.groups: dict[str, set[str]] = {}
        self.calls: list[tuple[str, str]] = []

    async def new_channel(self, prefix: str = "") -> str:
        return f"{prefix}test"

    async def receive(self, channel: str) -> dict:
        await asyncio.Event().wait()  # nothing arrives; the test cancels the reader
        return {}

    async def group_add(self, group: str, channel: str) -> None:
        self.calls.append(("add", group))
        await asyncio.sleep(0.01)
        self.groups.setdefault(group, set()).add(channel)

    async def group_discard(self, group: str, channel: str) -> None:
        self.calls.append(("discard", group))
        await asyncio.sleep(0.02)  # slower than an add: lands after a quick re-join
        self.groups.get(group, set()).discard(channel)


class DistributedHub(Hub):
    def __init__(self, layer: SlowLayer) -> None:
        super().__init__()
        self._test_layer = layer

    @property
    def layer(self):
        return self._test_layer

    @property
    def distributed(self) -> bool:
        return True


class Reader:
    def __init__(self) -> None:
        self.frames: list[str] = []

    def offer(self, event_id, frame: Frame):
        self.frames.append(frame.text)
        return None


@pytest.fixture
def layer_and_hub(monkeypatch):
    layer = SlowLayer()
    hub = DistributedHub(layer)

    class NoPresence:
        async def report(self, *args):
            return None

        async def count(self, room):
            return 0

    monkeypatch.setattr("participation.live.hub.presence_store", lambda: NoPresence())
    yield layer, hub
    for task in (hub._reader_task, hub._ticker_task):
        if task is not None:
            task.cancel()


async def test_a_reader_who_arrives_while_the_last_one_leaves_stays_subscribed(layer_and_hub):
    layer, hub = layer_and_hub
    old, new = Reader(), Reader()
    await hub.join("consultation.1", old)

    # The last reader leaves (its discard is slow) and a new one joins meanwhile.
    await asyncio.gather(hub.leave("consultation.1", old), hub.join("consultation.1", new))

    assert layer.groups["consultation.1"] == {"hub.test"}
    assert "consultation.1" in hub._subscribed
    assert hub._sub_locks == {}
    await hub.deliver("consultation.1", 7, '{"type":"comment"}')
    assert new.frames[-1] == '{"type":"comment"}'


async def test_many_readers_dropping_and_returning_at_once_end_subscribed(layer_and_hub):
    layer, hub = layer_and_hub
    readers = [Reader() for _ in range(50)]
    for reader in readers:
        await hub.join("consultation.2", reader)
    returning = [Reader() for _ in range(50)]

    async def leave_then(reader):
        await hub.leave("consultation.2", reader)

    await asyncio.gather(
        *(leave_then(r) for r in readers), *(hub.join("consultation.2", r) for r in returning)
    )

    assert layer.groups["consultation.2"] == {"hub.test"}
    assert hub.reader_count("consultation.2") == 50


async def test_the_last_reader_leaving_unsubscribes(layer_and_hub):
    layer, hub = layer_and_hub
    reader = Reader()
    await hub.join("user.5", reader)
    await hub.leave("user.5", reader)

    assert layer.groups["user.5"] == set()
    assert hub._subscribed == set()
    assert hub._sub_locks == {}
    assert layer.calls == [("add", "user.5"), ("discard", "user.5")]
