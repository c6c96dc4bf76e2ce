"""Django's Redis cache backend, with one Redis client per connection pool instead of one built per command.

Django's client builds a redis.Redis object for every get and set, and redis-py fills a table of some 250
response callbacks for each: about a quarter of a cached page's Redis time. A redis.Redis object is thread-safe
(it borrows a connection from its pool for each command), so one per pool serves every thread of a process.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    """Django's RedisCacheClient, reusing the client of each connection pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        """The Redis client of the pool that serves `key` (the first server for writes), built once."""
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]  # private, not in django-stubs
        client = self._clients.get(id(pool))
        if client is None:
            # Two threads may both build one; either serves, as both use the same pool.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(django_redis.RedisCache):
    """Django's Redis cache (CACHE_URL=redis://...) with the client above."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
