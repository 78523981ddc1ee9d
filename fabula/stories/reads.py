"""Read counts: once per reader, story and day, written in batches.

eFiction wrote to the stories table on every chapter view (and, through a bug, counted every
view). Here a view only notes the read; every READ_FLUSH_SECONDS (or when the buffer grows
large, or when the process exits) the action `read_marks_add` stores the new (story, reader,
day) marks in one statement, and each story's count rises by the marks that were really new.

Where the marks wait: in this process's memory on a one-machine site; with REDIS_URL, in one
Redis set every web process adds to, so a web process killed with SIGKILL loses none. A flush
(by any web process when due, and by `fabula worker` on every round) first renames the set, so
each mark is taken by one flusher; a flusher killed half-way leaves its renamed set for the
next one, and storing a mark twice counts it once. If Redis fails, marks wait in memory until
it is back.
"""

from __future__ import annotations

import atexit
import hashlib
import threading
import time
import uuid
from datetime import date

from django.conf import settings
from django.utils import timezone

from fabula.lib.ratelimit import client_address
from fabula.lib.resilient_redis import client, errors, unavailable
from fabula.stories.actions.reads import read_marks_add

Mark = tuple[int, str, date]  # story, reader, day
_MAX_BUFFER = 500
_lock = threading.Lock()
_pending: set[Mark] = set()
_last_flush = time.monotonic()


def reader_key(request) -> str:
    """Who is reading (or leaving kudos): a member's id, or a hash of a guest's address.

    Not of the browser too: a User-Agent is whatever the client says, and counting one per
    agent let a script raise a story's reads and kudos at will by changing it (issue 17). Guests
    behind one address count as one reader a day; that undercounts, it never inflates."""
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    return "g" + hashlib.blake2b(client_address(request).encode(), digest_size=12).hexdigest()


def record_read(request, story_id: int) -> None:
    mark = (story_id, reader_key(request), timezone.localdate())
    shared = bool(settings.REDIS_URL) and _to_redis([mark])
    with _lock:
        if not shared:
            _pending.add(mark)
        due = (
            len(_pending) >= _MAX_BUFFER
            or time.monotonic() - _last_flush >= settings.READ_FLUSH_SECONDS
        )
    if due:
        flush_reads()


def flush_reads() -> int:
    """Store the buffered reads (this process's, and Redis's); returns how many were new."""
    global _last_flush
    with _lock:
        batch = list(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    if not settings.REDIS_URL:
        return read_marks_add(marks=batch)
    marks, taken_keys = _take_from_redis()
    new = read_marks_add(marks=batch + marks)
    _forget(taken_keys)  # only once they are stored: a flusher killed before keeps them
    return new


PENDING_KEY = "fabula:reads:pending"
TAKEN_PREFIX = "fabula:reads:taken:"
# Renames the pending set if there is one, in one step on the server (RENAME of a missing key is
# an error, and between a test and a RENAME another flusher could take the set).
_TAKE = "if redis.call('exists', KEYS[1]) == 1 then redis.call('rename', KEYS[1], KEYS[2]) end"


def _to_redis(marks: list[Mark]) -> bool:
    members = [f"{story}|{reader}|{day.isoformat()}" for story, reader, day in marks]
    try:
        client().sadd(PENDING_KEY, *members)
    except errors() as error:
        unavailable(error, "keeping read counts in this process until it is back")
        return False
    return True


def _take_from_redis() -> tuple[list[Mark], list[bytes]]:
    """The marks waiting in Redis, and the keys they were taken under (see the module)."""
    store = client()
    try:
        store.eval(_TAKE, 2, PENDING_KEY, f"{TAKEN_PREFIX}{uuid.uuid4().hex}")
        keys = list(store.scan_iter(f"{TAKEN_PREFIX}*"))  # ours, and any a killed flusher left
        marks = []
        for key in keys:
            for member in store.smembers(key):
                text = member.decode() if isinstance(member, bytes) else member
                story, reader, day = text.split("|")
                marks.append((int(story), reader, date.fromisoformat(day)))
    except errors() as error:
        unavailable(error, "read counts wait in Redis for the next flush")
        return [], []
    return marks, keys


def _forget(keys: list[bytes]) -> None:
    if keys:
        try:
            client().delete(*keys)
        except errors() as error:  # stored already: storing them again counts nothing
            unavailable(error, "read counts already stored will be offered again")


def _flush_at_exit() -> None:
    try:
        flush_reads()
    except Exception:  # the database may already be gone at interpreter exit
        pass


atexit.register(_flush_at_exit)
