"""Redis, when the site has one (REDIS_URL), used so that pages never depend on it.

Redis holds what every web process must share: the cache (guest pages, site settings, rate
limit counters), sessions' cached copies and the read-count buffer. If it goes away mid-run,
Fabula carries on degraded: a cache miss instead of a hit, no limit instead of a 500, reads
kept in the process until Redis is back. `unavailable()` logs one clear line a minute, not one
per request.

The client library is imported by `client()` and by Django's Redis cache, that is only on a site
with REDIS_URL: a site without Redis does not carry it in every worker (some 8 MB). So code
catches `errors()`, which names Redis's errors once the client is loaded and nothing before: no
Redis call can have failed then.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

if TYPE_CHECKING:
    import redis

log = logging.getLogger("fabula.redis")

# Fail fast: a page waits at most this long for a Redis that does not answer.
TIMEOUT_SECONDS = 0.25
CONNECTION_OPTIONS = {"socket_timeout": TIMEOUT_SECONDS, "socket_connect_timeout": TIMEOUT_SECONDS}
_last_complaint = 0.0
_clients: dict[str, redis.Redis] = {}


def unavailable(error: Exception, doing: str) -> None:
    """Say, at most once a minute, that Redis failed and what Fabula does instead."""
    global _last_complaint
    now = time.monotonic()
    if now - _last_complaint >= 60:
        _last_complaint = now
        log.warning("Redis is unavailable (%s): %s", error, doing)


def errors() -> tuple[type[Exception], ...]:
    """The exceptions a failing Redis raises, for an `except` around a Redis call: empty until
    the client library is loaded (see the module)."""
    library = sys.modules.get("redis")
    return (library.RedisError,) if library else ()


def client() -> redis.Redis:
    """The process's connection pool to REDIS_URL."""
    import redis  # only a site with Redis loads the library (see the module)

    url = settings.REDIS_URL
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, **CONNECTION_OPTIONS)
    return _clients[url]


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, where a Redis that fails answers like an empty cache."""

    def __init__(self, server: str, params: dict[str, Any]):
        params = {**params, "OPTIONS": {**CONNECTION_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)

    def _quietly(self, default: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(super(), method)(*args, **kwargs)
        except errors() as error:
            unavailable(error, "serving without the shared cache")
            return default

    def get(self, key, default=None, version=None):
        return self._quietly(default, "get", key, default, version)

    def get_many(self, keys, version=None):
        return self._quietly({}, "get_many", keys, version)

    def has_key(self, key, version=None):
        return self._quietly(False, "has_key", key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._quietly(None, "set", key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._quietly(list(data), "set_many", data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._quietly(False, "add", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._quietly(False, "touch", key, timeout, version)

    def incr(self, key, delta=1, version=None):
        # A missing key still raises ValueError, as Django's caches do; a lost Redis counts 0.
        return self._quietly(0, "incr", key, delta, version)

    def delete(self, key, version=None):
        return self._quietly(False, "delete", key, version)

    def delete_many(self, keys, version=None):
        self._quietly(None, "delete_many", keys, version)

    def clear(self):
        self._quietly(None, "clear")
