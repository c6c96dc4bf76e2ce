import os
import subprocess
import sys

import pytest
import redis
from django.conf import settings

from core.redis import RedisCache, RedisCacheClient


def test_the_client_of_a_pool_is_built_once():
    # Building a client connects to nothing, so no Redis server is needed.
    client = RedisCacheClient(["redis://127.0.0.1:6379/6"])
    first = client.get_client("a")
    assert isinstance(first, redis.Redis)
    assert client.get_client("b") is first
    assert client.get_client(None, write=True) is first  # one server: the same pool for reads and writes


def test_the_backend_uses_the_client_above():
    assert isinstance(RedisCache("redis://127.0.0.1:6379/6", {})._cache, RedisCacheClient)


def test_settings_swap_djangos_redis_backend_for_it():
    environment = {**os.environ, "CACHE_URL": "redis://127.0.0.1:6379/6", "DJANGO_SECRET_KEY": "x"}
    printed = subprocess.run(
        [sys.executable, "-c", "from config import settings; print(settings.CACHES['default']['BACKEND'])"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert printed.stdout.strip() == "core.redis.RedisCache"


def test_a_round_trip_when_redis_answers():
    cache = RedisCache("redis://127.0.0.1:6379/6", {})
    try:
        cache.set("core-redis-test", (1, b"x" * 100), 5)
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    assert cache.get("core-redis-test") == (1, b"x" * 100)
    cache.delete("core-redis-test")
