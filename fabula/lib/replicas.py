"""Reads on PostgreSQL read replicas; writes, and the reads that must see them, on the primary.

With `DATABASE_REPLICA_URLS` set, the settings name each replica as a database alias
(`replica1`, `replica2`, …) and install `ReplicaRouter` and `ReplicaMiddleware`:

- A request that may change something (POST, PUT, PATCH, DELETE) reads and writes only the
  primary, and its response pins the browser to the primary for `PIN_SECONDS` (a signed
  cookie), so a member who just posted reads their own writes even while the replicas lag.
- Other requests (a guest's pages, listings, feeds, search, and a member's pages when they
  have not written lately) read from one replica, chosen at random for the whole request.
- Everything outside a request (`fabula worker`, commands, migrations) uses the primary;
  migrations run only there.

Replicas are streaming copies of the primary (PostgreSQL's own replication), so a replica is
never written and never migrated; `docs/deploy.md` says how to make one.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.signing import BadSignature
from django.db import connections
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
PIN_COOKIE = "fabula_primary"
PIN_SALT = "fabula.lib.replicas"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The database cache's rows (the rate limiter's counts, lib/ratelimit.py) are read on the
# primary, where they are written: a lagging replica would hand back an old count, and a search
# counted on a GET would never reach its limit.
CACHE_APP = "django_cache"

# The replica this request reads from; outside a request, and by default inside one, None:
# reads go to the primary.
_replica: ContextVar[str | None] = ContextVar("fabula_replica", default=None)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class ReplicaRouter:
    """Django's database router: reads where the current request allows, writes on the
    primary."""

    def db_for_read(self, model, **hints) -> str:
        replica = _replica.get()
        if replica is None or model._meta.app_label == CACHE_APP:
            return PRIMARY
        return replica

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # every alias holds the same data

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == PRIMARY


def reading_replica() -> str | None:
    """The replica this request reads from, or None when it reads the primary."""
    return _replica.get()


def primary_position() -> str:
    """Where the primary's write-ahead log is now: a replica that has replayed up to here has
    every change committed so far. The insert position, not the write position: with
    `synchronous_commit = off` a commit may still wait in the WAL buffers, behind the latter."""
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("select pg_current_wal_insert_lsn()::text")
        return cursor.fetchone()[0]


def replica_has_replayed(alias: str, position: str) -> bool:
    """Whether the replica `alias` has replayed the primary's log up to `position`."""
    with connections[alias].cursor() as cursor:
        cursor.execute("select coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, true)", [position])
        return cursor.fetchone()[0]


def is_pinned(request: HttpRequest) -> bool:
    """Whether this browser wrote something less than PIN_SECONDS ago."""
    try:
        request.get_signed_cookie(PIN_COOKIE, salt=PIN_SALT, max_age=settings.REPLICA_PIN_SECONDS)
    except (KeyError, BadSignature):
        return False
    return True


class ReplicaMiddleware:
    """Decides, once per request, whether its reads may go to a replica (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        writes = request.method in WRITE_METHODS
        replicas = replica_aliases()
        allowed = replicas and not writes and not is_pinned(request)
        token = _replica.set(random.choice(replicas) if allowed else None)
        try:
            response = self.get_response(request)
        finally:
            _replica.reset(token)
        if writes:
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
