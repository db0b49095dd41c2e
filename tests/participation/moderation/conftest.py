import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _fresh_cache_and_english():
    """Rate-limit counters live in the cache; the services' messages are read as written
    (the msgids)."""
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


@pytest.fixture
def w(db):
    from tests.participation.moderation.helpers import world

    return world()
