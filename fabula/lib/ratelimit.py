"""Counting attempts in the cache: at most `attempts` per `seconds` for one key.

One limiter for the whole site: sign-ups and password guesses (accounts), reviews and kudos
(community). The counts live in the cache: with the default per-process cache each worker
counts on its own, which still slows a guesser or a flood down; with Redis the count is shared.
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
        """Whether any of these keys has used up its attempts (counting nothing)."""
        return any((cache.get(self._key(k)) or 0) >= self.attempts for k in keys if k)

    def take(self, key: str) -> bool:
        """Count one attempt; False when the key had already used its attempts."""
        full = self._key(key)
        if cache.add(full, 1, self.seconds):
            return True
        try:
            count = cache.incr(full)
        except ValueError:  # expired between add and incr
            cache.set(full, 1, self.seconds)
            return True
        return count <= self.attempts

    def hit(self, *keys: str) -> None:
        """Count one attempt for each key (a failed login counts for the name and the address)."""
        for key in keys:
            if key:
                self.take(key)

    def reset(self, *keys: str) -> None:
        cache.delete_many([self._key(k) for k in keys if k])


def client_address(request) -> str:
    """The client's address as the server saw it (a proxy must set REMOTE_ADDR right)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
