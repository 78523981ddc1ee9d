"""Storing read marks, which `stories.reads` gathers in memory and hands over in batches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from fabula.stories.models import ReadMark, Story


def read_marks_add(*, marks: Sequence[tuple[int, str, date]]) -> int:
    """Store (story id, reader key, day) marks, one statement per 200; each story's read count
    rises by its marks that were new. Returns how many were new. Marks older than yesterday go
    (they only stop a reader counting twice in a day)."""
    # A story deleted since it was read has nothing left to count.
    existing = set(Story.objects.filter(pk__in={m[0] for m in marks}).values_list("pk", flat=True))
    marks = [mark for mark in marks if mark[0] in existing]
    if not marks:
        return 0
    table = ReadMark._meta.db_table
    new: dict[int, int] = {}
    with transaction.atomic():
        with connection.cursor() as cursor:
            for start in range(0, len(marks), 200):
                chunk = marks[start : start + 200]
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
