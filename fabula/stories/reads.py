"""Read counts: once per reader, story and day, written in batches.

eFiction wrote to the stories table on every chapter view (and, through a bug, counted every
view). Here a view only notes the read in this worker's memory; every READ_FLUSH_SECONDS (or
when the buffer grows large, or when the worker exits) the action `read_marks_add` stores the
new (story, reader, day) marks in one statement, and each story's count rises by the marks that
were really new.
"""

from __future__ import annotations

import atexit
import hashlib
import threading
import time
from datetime import date

from django.conf import settings
from django.utils import timezone

from fabula.lib.ratelimit import client_address
from fabula.stories.actions.reads import read_marks_add

_MAX_BUFFER = 500
_lock = threading.Lock()
_pending: set[tuple[int, str, date]] = set()
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
    with _lock:
        _pending.add((story_id, reader_key(request), timezone.localdate()))
        due = (
            len(_pending) >= _MAX_BUFFER
            or time.monotonic() - _last_flush >= settings.READ_FLUSH_SECONDS
        )
    if due:
        flush_reads()


def flush_reads() -> int:
    """Store the buffered reads; returns how many were new."""
    global _last_flush
    with _lock:
        batch = list(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    return read_marks_add(marks=batch)


def _flush_at_exit() -> None:
    try:
        flush_reads()
    except Exception:  # the database may already be gone at interpreter exit
        pass


atexit.register(_flush_at_exit)
