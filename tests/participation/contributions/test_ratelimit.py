"""Rate limits count the same way in memory (development) and on Redis (production), and
every action's limits come from settings.RATE_LIMITS."""

from __future__ import annotations

import os
import uuid
from types import SimpleNamespace

import pytest
import redis
from django.test import RequestFactory, override_settings

from participation.contributions import ratelimit
from participation.contributions.ratelimit import limits_parse

BACKENDS = ["memory"]
if os.environ.get("REDIS_URL"):
    BACKENDS.append("redis")


def redis_cache(prefix: str) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": prefix,
    }


@pytest.fixture(params=BACKENDS)
def backend(request):
    if request.param == "memory":
        config = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"}
    else:
        config = redis_cache(f"test-rl-{uuid.uuid4().hex}")
    with override_settings(CACHES={"default": config}):
        ratelimit.counters_reset()
        yield request.param
        ratelimit.counters_reset()


def test_allows_up_to_the_limit_then_refuses_with_the_wait(backend):
    limits = limits_parse("3/minute")
    assert [ratelimit.hit("t", "user:1", limits) for _ in range(3)] == [None, None, None]
    refused = ratelimit.hit("t", "user:1", limits)
    assert refused is not None
    assert 0 < refused.retry_after <= 60
    # Another person is not affected.
    assert ratelimit.hit("t", "user:2", limits) is None


def test_a_refused_hit_counts_in_no_window(backend):
    # The long window is full; the short one must not be used up by the refused tries.
    limits = limits_parse("5/minute;2/hour")
    assert ratelimit.hit("t", "user:1", limits) is None
    assert ratelimit.hit("t", "user:1", limits) is None
    for _ in range(10):
        assert ratelimit.hit("t", "user:1", limits) is not None
    # Only the two accepted hits count in the short window.
    minute = limits_parse("5/minute")
    assert [ratelimit.hit("t", "user:1", minute) for _ in range(3)] == [None, None, None]
    assert ratelimit.hit("t", "user:1", minute) is not None


def test_the_wait_is_the_rest_of_the_window_that_refused(backend, monkeypatch):
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 3600 * 1000 + 15))
    limits = limits_parse("1/minute;10/hour")
    assert ratelimit.hit("t", "user:1", limits) is None
    refused = ratelimit.hit("t", "user:1", limits)
    assert refused is not None and refused.retry_after == 45


def test_an_empty_limit_never_refuses(backend):
    assert all(ratelimit.hit("t", "user:1", limits_parse("")) is None for _ in range(100))


@pytest.mark.parametrize("text", ["5/fortnight", "many", "5 per"])
def test_a_misconfigured_limit_fails_loudly(text):
    with pytest.raises(ValueError):
        limits_parse(text)


def test_every_action_has_a_per_person_limit_that_parses(settings):
    assert set(settings.RATE_LIMITS) == {
        "comment",
        "reaction",
        "proposal",
        "support",
        "vote",
        "notice",
        "accessibility_feedback",
    }
    for action in settings.RATE_LIMITS:
        assert ratelimit.action_limits(action).person, action


class Person:
    is_authenticated = True

    def __init__(self, pk):
        self.pk = pk


def test_an_action_counts_the_person_and_the_address(backend, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "vote": {"person": "2/minute", "address": "3/minute"},
    }
    factory = RequestFactory()

    def request(person, address="198.51.100.7"):
        made = factory.post("/", REMOTE_ADDR=address)
        made.user = person
        return made

    one, two = Person(1), Person(2)
    assert ratelimit.action_hit("vote", request(one)) is None
    assert ratelimit.action_hit("vote", request(one)) is None
    assert ratelimit.action_hit("vote", request(one)) is not None  # the person's limit
    assert ratelimit.action_hit("vote", request(two)) is None  # third from the address
    assert ratelimit.action_hit("vote", request(two)) is not None  # the address's limit
    assert ratelimit.action_hit("vote", request(two, "203.0.113.9")) is None


@pytest.mark.skipif("redis" not in BACKENDS, reason="needs REDIS_URL")
def test_redis_counters_live_under_the_cache_prefix_and_expire_with_their_window():
    prefix = f"test-rl-{uuid.uuid4().hex}"
    with override_settings(CACHES={"default": redis_cache(prefix)}):
        ratelimit.hit("t", "user:1", limits_parse("5/minute"))
        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        keys = client.keys(f"{prefix}*")
        assert len(keys) == 1
        assert 0 < client.ttl(keys[0]) <= 61
        ratelimit.counters_reset()
        assert client.keys(f"{prefix}*") == []
