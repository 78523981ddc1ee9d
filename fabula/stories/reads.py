"""Read counts: once per reader, story and day, written in batches.

eFiction wrote to the stories table on every chapter view (and, through a bug, counted every
view). Here a view only notes the read in this worker's memory; every READ_FLUSH_SECONDS (or
when the buffer grows large, or when the worker exits) one statement stores the new
(story, reader, day) marks, and each story's count rises by the marks that were really new.
"""

from __future__ import annotations

import atexit
import hashlib
import threading
import time
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from fabula.stories.models import ReadMark, Story

_MAX_BUFFER = 500
_lock = threading.Lock()
_pending: set[tuple[int, str, date]] = set()
_last_flush = time.monotonic()


def reader_key(request) -> str:
    """Who is reading: a member's id, or a hash of a guest's address and browser."""
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    ip = request.META.get("REMOTE_ADDR", "")
    agent = request.META.get("HTTP_USER_AGENT", "")
    return "g" + hashlib.blake2b(f"{ip}|{agent}".encode(), digest_size=12).hexdigest()


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
    # A story deleted since it was read has nothing left to count.
    existing = set(Story.objects.filter(pk__in={b[0] for b in batch}).values_list("pk", flat=True))
    batch = [item for item in batch if item[0] in existing]
    if not batch:
        return 0
    table = ReadMark._meta.db_table
    new: dict[int, int] = {}
    with transaction.atomic():
        with connection.cursor() as cursor:
            for start in range(0, len(batch), 200):
                chunk = batch[start : start + 200]
                values = ", ".join(["(%s, %s, %s)"] * len(chunk))
                params = [p for story_id, reader, day in chunk for p in (story_id, reader, day)]
                cursor.execute(
                    f"INSERT INTO {table} (story_id, reader, day) VALUES {values} "
                    "ON CONFLICT DO NOTHING RETURNING story_id",
                    params,
                )
                for (story_id,) in cursor.fetchall():
                    new[story_id] = new.get(story_id, 0) + 1
        for story_id, count in new.items():
            Story.objects.filter(pk=story_id).update(read_count=F("read_count") + count)
        ReadMark.objects.filter(day__lt=timezone.localdate() - timedelta(days=1)).delete()
    return sum(new.values())


def _flush_at_exit() -> None:
    try:
        flush_reads()
    except Exception:  # the database may already be gone at interpreter exit
        pass


atexit.register(_flush_at_exit)
