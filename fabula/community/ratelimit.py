"""Counting attempts in the cache: at most `limit` per `seconds` for one key.

The cache is shared by all workers when it is Redis; with the default local-memory cache each
worker counts on its own, which still stops a single flood.
"""

from django.core.cache import cache


def hit(key: str, *, limit: int, seconds: int) -> bool:
    """Count one attempt; False when the key has already used its `limit` in this window."""
    full_key = f"fabula:rate:{key}"
    if cache.add(full_key, 1, seconds):
        return True
    try:
        count = cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.add(full_key, 1, seconds)
        return True
    return count <= limit
