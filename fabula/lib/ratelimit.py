"""The one rate limiter: counts of attempts per key, and back-off after failures.

Two shapes, both counted in the "limits" cache (settings.CACHES), which no guest page ever
enters: on PostgreSQL a database table every worker and node shares, on SQLite each worker's own
memory (docs/decisions.md):

- `Limit`: at most `attempts` per `seconds` for one key (an address, a member) in fixed windows;
  past it the caller is refused until the window ends, and told when that is.
- `Backoff`: after `free` failures, each further try must wait twice as long as the last since
  the latest failure, never longer than `longest`: a guesser slows to a crawl while the owner of
  a name someone is guessing at waits seconds, not a quarter of an hour (no lockout).

Which limits the site enforces, and how tight, is the one table in `lib/limits.py`.
"""

from __future__ import annotations

import hashlib
import math
import time
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext

from fabula.lib.refusals import RateLimited

STORE = "limits"


def _store():
    return caches[STORE]


def _hashed(name: str, key: str) -> str:
    # Hashed: pen names hold spaces and any character, which some caches refuse in keys, and a
    # 100 KB name makes a key as short as any other.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"fabula:ratelimit:{name}:{digest}"


def normalise_name(name: str) -> str:
    """A pen name as the login reads it (NFKC, as Django's username field does) and without
    case: `ＮＩＧＨＴ Swept` and `night swept` are one account and share one count."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


@dataclass(frozen=True)
class Limit:
    name: str
    attempts: int
    seconds: int
    message: str = "Too many of these in a short time"

    def _window(self) -> tuple[int, int]:
        """This window's number and the whole seconds left in it."""
        now = time.time()
        return int(now // self.seconds), max(1, math.ceil(self.seconds - now % self.seconds))

    def _key(self, key: str) -> str:
        return _hashed(self.name, f"{self._window()[0]}|{key.lower()}")

    def count(self, key: str) -> int:
        return _store().get(self._key(key)) or 0

    @property
    def allowed(self) -> int:
        """The attempts per window, times FABULA_LIMITS_SCALE (a load test, or an archive whose
        readers share a few addresses, raises every limit at once)."""
        return max(1, round(self.attempts * settings.FABULA_LIMITS_SCALE))

    def exceeded(self, *keys: str) -> bool:
        """Whether any of these keys has used up its attempts (counting nothing)."""
        return any(self.count(k) >= self.allowed for k in keys if k)

    def retry_after(self) -> int:
        """Seconds until this window ends and the counts start again."""
        return self._window()[1]

    def take(self, key: str) -> bool:
        """Count one attempt; False when the key had already used its attempts.

        A read and a write: the database cache's own `incr` is a read and a write too, after a
        failed insert. Not atomic: requests at the same instant may count once (decisions.md).
        """
        store, full = _store(), self._key(key)
        count = (store.get(full) or 0) + 1
        store.set(full, count, self.retry_after() + 1)  # the window's counts die with it
        return count <= self.allowed

    def check(self, *keys: str) -> None:
        """Count one attempt for each key; RateLimited (with when to retry) if any is over."""
        over = [k for k in keys if k and not self.take(k)]
        if over:
            raise self.refusal()

    def refusal(self) -> RateLimited:
        wait = self.retry_after()
        # The message is marked with gettext_noop where the limit is named (lib/limits.py).
        message = gettext("%(what)s: please try again %(when)s.") % {
            "what": gettext(self.message),
            "when": in_words(wait),
        }
        return RateLimited(message, wait)

    def hit(self, *keys: str) -> None:
        """Count one attempt for each key (a failed login counts for the name and the address)."""
        for key in keys:
            if key:
                self.take(key)

    def reset(self, *keys: str) -> None:
        _store().delete_many([self._key(k) for k in keys if k])


@dataclass(frozen=True)
class Backoff:
    """Failures of one key: the first `free` cost nothing, then each one doubles the wait before
    the next try (1 s, 2 s, 4 s, ... at most `longest`). Forgotten `forget` seconds after the
    latest failure, or at a success (`reset`)."""

    name: str
    free: int
    longest: int
    forget: int

    def _key(self, key: str) -> str:
        return _hashed(self.name, key)

    def wait(self, key: str) -> int:
        """Whole seconds this key must still wait before trying (0: try now)."""
        failures, latest = _store().get(self._key(key)) or (0, 0.0)
        if failures < self.free:
            return 0
        delay = min(self.longest, 2 ** (failures - self.free))
        return max(0, math.ceil(latest + delay - time.time()))

    def fail(self, key: str) -> None:
        full = self._key(key)
        failures, _ = _store().get(full) or (0, 0.0)
        _store().set(full, (failures + 1, time.time()), self.forget)

    def reset(self, key: str) -> None:
        _store().delete(self._key(key))


def in_words(seconds: int) -> str:
    """'in 40 seconds', 'in 3 minutes': when to come back, as a person says it."""
    if seconds < 90:
        return ngettext("in %(count)d second", "in %(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("in %(count)d minute", "in %(count)d minutes", minutes) % {"count": minutes}


def client_address(request) -> str:
    """The client's address. Behind PROXY_COUNT proxies of the site's own (a balancer, a proxy
    cache), the web server sees only the nearest proxy: the client is then the address the
    outermost proxy wrote into X-Forwarded-For, counted from the right (each proxy appends the
    address it was called from; anything further left came from the client and may be forged).
    """
    proxies = settings.PROXY_COUNT
    if proxies:
        hops = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(hops) >= proxies and hops[-proxies]:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@dataclass(frozen=True)
class Rate:
    """One kind of write: a member is counted as the member, wherever they are; a guest by
    address (a changed browser or User-Agent is the same guest)."""

    member: Limit
    guest: Limit

    def check(self, user, address: str) -> None:
        """Count this one; RateLimited when it is one too many."""
        if user is not None and user.is_authenticated:
            self.member.check(f"member:{user.pk}")
        else:
            self.guest.check(address)


def too_many(request, refusal: RateLimited) -> HttpResponse:
    """The 429 page: what was refused and when to come back, in words and in Retry-After."""
    return with_retry_after(
        render(request, "429.html", {"message": str(refusal)}, status=429), refusal
    )


def with_retry_after(response: HttpResponse, refusal: RateLimited) -> HttpResponse:
    """A refusal's page with the Retry-After header a client (or a crawler) can act on."""
    response["Retry-After"] = str(refusal.retry_after)
    return response
