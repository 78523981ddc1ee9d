"""A worker's own memory cache that holds at most so many bytes, not so many entries.

Django's LocMemCache counts entries: 20,000 guest pages of 60 KB are more than a gigabyte, and a
flood of distinct addresses fills it with pages nobody asks for twice (issue 17, High 3). This
cache keeps the same least-recently-used order and, before storing, forgets the least recently
used entries until the new one fits under MAX_BYTES. What an entry costs is its pickled value,
its key and a fixed allowance for the dictionaries that hold them.

    CACHES = {"default": {"BACKEND": "fabula.lib.boundedcache.BoundedMemoryCache",
                          "OPTIONS": {"MAX_BYTES": 24 * 2**20, "MAX_ENTRIES": 10**6}}}
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

# Python's dictionary slots, the key's str object and the expiry float, roughly, per entry.
ENTRY_OVERHEAD = 200
DEFAULT_MAX_BYTES = 24 * 2**20


class _Ledger:
    """What each entry of one cache costs, and the total (kept, not summed at every store)."""

    def __init__(self) -> None:
        self.sizes: dict[str, int] = {}
        self.total = 0

    def add(self, key: str, cost: int) -> None:
        self.sizes[key] = cost
        self.total += cost

    def drop(self, key: str) -> None:
        self.total -= self.sizes.pop(key, 0)


# Per cache name, like LocMemCache's own stores: every instance of one alias shares them.
_ledgers: dict[str, _Ledger] = {}


class BoundedMemoryCache(LocMemCache):
    # LocMemCache's own store, which django-stubs does not declare (nor its _set, _cull and
    # _delete, reached through `_parent()`).
    _cache: OrderedDict[str, bytes]
    _expire_info: dict[str, float | None]
    _lock: Lock

    def _parent(self) -> Any:
        return super()

    def __init__(self, name: str, params: dict):
        super().__init__(name, params)
        options = params.get("OPTIONS", {})
        self.max_bytes = int(options.get("MAX_BYTES", DEFAULT_MAX_BYTES))
        self._ledger = _ledgers.setdefault(name, _Ledger())

    @property
    def size_in_bytes(self) -> int:
        """What the entries cost now, as this cache counts it."""
        return self._ledger.total

    @property
    def entry_count(self) -> int:
        return len(self._cache)

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        cost = len(key) + len(value) + ENTRY_OVERHEAD
        self._delete(key)
        if cost > self.max_bytes:
            return  # bigger than the whole cache: served, never kept
        while self._cache and self._ledger.total + cost > self.max_bytes:
            oldest, _ = self._cache.popitem()  # the least recently used is at the end
            del self._expire_info[oldest]
            self._ledger.drop(oldest)
        self._parent()._set(key, value, timeout)
        self._ledger.add(key, cost)

    def _cull(self):  # MAX_ENTRIES reached: LocMemCache forgets a third of the entries
        self._parent()._cull()
        for key in [k for k in self._ledger.sizes if k not in self._cache]:
            self._ledger.drop(key)

    def _delete(self, key):
        self._ledger.drop(key)
        return self._parent()._delete(key)

    def clear(self):
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._ledger.sizes.clear()
            self._ledger.total = 0
