import pytest
import redis

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


def test_a_round_trip_when_redis_answers():
    cache = RedisCache("redis://127.0.0.1:6379/6", {})
    try:
        cache.set("core-redis-test", (1, b"x" * 100), 5)
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    assert cache.get("core-redis-test") == (1, b"x" * 100)
    cache.delete("core-redis-test")
