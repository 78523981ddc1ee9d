"""Counting attempts in the cache, so nobody can guess passwords or make accounts in bulk.

A limit is a number of attempts per window for a key (an address, a pen name). The counts live
in the cache: with the default per-process cache each worker counts on its own, which still
slows a guesser down; with Redis the count is shared.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    attempts: int
    seconds: int

    def _key(self, key: str) -> str:
        # Hashed: pen names hold spaces and any character, which some caches refuse in keys.
        digest = hashlib.sha256(key.lower().encode()).hexdigest()[:32]
        return f"fabula:ratelimit:{self.name}:{digest}"

    def exceeded(self, *keys: str) -> bool:
        return any((cache.get(self._key(k)) or 0) >= self.attempts for k in keys if k)

    def hit(self, *keys: str) -> None:
        for key in keys:
            if not key:
                continue
            full = self._key(key)
            if cache.add(full, 1, self.seconds):
                continue
            try:
                cache.incr(full)
            except ValueError:  # expired between add and incr
                cache.set(full, 1, self.seconds)

    def reset(self, *keys: str) -> None:
        cache.delete_many([self._key(k) for k in keys if k])


LOGIN_FAILURES = Limit("login", attempts=5, seconds=15 * 60)
LOGIN_FAILURES_PER_ADDRESS = Limit("login-address", attempts=30, seconds=15 * 60)
REGISTRATIONS = Limit("register", attempts=5, seconds=60 * 60)


def client_address(request) -> str:
    """The client's address as the server saw it (a proxy must set REMOTE_ADDR right)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
