import pytest

from participation.live.hub import hub_reset
from participation.live.presence import presence_store_reset


@pytest.fixture(autouse=True)
def fresh_hub():
    """Each test gets its own event loop, so the hub must not keep the last loop's tasks."""
    hub_reset()
    presence_store_reset()
    yield
    hub_reset()
    presence_store_reset()
