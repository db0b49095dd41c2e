"""Rate limits count the same way on the cache of development (locmem) and on Redis."""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

from participation.comments import ratelimit
from participation.comments.ratelimit import Limit

BACKENDS = ["locmem"]
if os.environ.get("REDIS_URL"):
    BACKENDS.append("redis")


@pytest.fixture(params=BACKENDS)
def backend(request):
    if request.param == "locmem":
        config = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"}
    else:
        config = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"test-rl-{uuid.uuid4().hex}",
        }
    with override_settings(CACHES={"default": config}):
        yield request.param
        if request.param == "redis":
            client = caches["default"]._cache.get_client(write=True)
            keys = client.keys(f"{config['KEY_PREFIX']}*")
            if keys:
                client.delete(*keys)
        else:
            caches["default"].clear()


def test_allows_up_to_the_limit_then_refuses_with_the_wait(backend):
    limits = (Limit(3, 60),)
    assert [ratelimit.hit("t", "user:1", limits) for _ in range(3)] == [None, None, None]
    refused = ratelimit.hit("t", "user:1", limits)
    assert refused is not None
    assert 0 < refused.retry_after <= 60
    # Another person is not affected.
    assert ratelimit.hit("t", "user:2", limits) is None


def test_a_refused_hit_counts_in_no_window(backend):
    # The long window is full; the short one must not be used up by the refused tries.
    limits = (Limit(5, 60), Limit(2, 3600))
    assert ratelimit.hit("t", "user:1", limits) is None
    assert ratelimit.hit("t", "user:1", limits) is None
    for _ in range(10):
        assert ratelimit.hit("t", "user:1", limits) is not None
    # Only the two accepted hits count in the short window.
    assert ratelimit.hit("t", "user:1", (Limit(5, 60),)) is None
    assert ratelimit.hit("t", "user:1", (Limit(5, 60),)) is None
    assert ratelimit.hit("t", "user:1", (Limit(5, 60),)) is None
    assert ratelimit.hit("t", "user:1", (Limit(5, 60),)) is not None


@pytest.mark.skipif("redis" not in BACKENDS, reason="needs REDIS_URL")
def test_redis_counters_expire_with_their_window():
    config = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": f"test-rl-{uuid.uuid4().hex}",
    }
    with override_settings(CACHES={"default": config}):
        ratelimit.hit("t", "user:1", (Limit(5, 60),))
        backend = caches["default"]
        client = backend._cache.get_client(write=False)
        keys = client.keys(f"{config['KEY_PREFIX']}*")
        assert len(keys) == 1
        assert 0 < client.ttl(keys[0]) <= 61
        # Django's cache API reads the same counter.
        key = keys[0].decode().split(":", 2)[2]
        assert backend.get(key) == 1
        client.delete(*keys)
