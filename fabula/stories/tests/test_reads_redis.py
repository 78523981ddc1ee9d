"""Read counts with Redis (REDIS_URL): every web process adds its marks to one Redis set, so a
process killed with SIGKILL loses none; any process or `fabula worker` stores them; a Redis
that fails leaves them in the process until it is back."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.utils import timezone

from fabula.lib import resilient_redis
from fabula.stories import reads
from fabula.stories.models import Story
from fabula.test import chapter_url, command_output, empty_redis

TEST_REDIS = "redis://127.0.0.1:6379/14"


@pytest.fixture
def shared_reads(settings):
    """Reads buffered in a Redis database of the tests' own, emptied before and after."""
    store = empty_redis(TEST_REDIS)
    settings.REDIS_URL = TEST_REDIS
    settings.READ_FLUSH_SECONDS = 3600  # nothing flushes by itself during the test
    yield store
    store.flushdb()


def reads_of(story) -> int:
    return Story.objects.get(pk=story.pk).read_count


def test_reads_wait_in_redis_not_in_the_process(client, make_story, author, shared_reads):
    story = make_story(author, chapters=2)
    client.get(chapter_url(story.pk, 1), REMOTE_ADDR="10.0.0.1")
    client.get(chapter_url(story.pk, 2), REMOTE_ADDR="10.0.0.2")
    assert reads._pending == set()  # nothing this process would lose if killed
    assert shared_reads.scard(reads.PENDING_KEY) == 2
    out = command_output("worker", "--once")  # one worker stores everyone's reads
    assert "2 new read(s) counted" in out and reads_of(story) == 2
    assert shared_reads.keys("fabula:reads:*") == []


def test_reads_noted_by_a_process_that_was_killed_are_counted(make_story, author, shared_reads):
    story = make_story(author)
    today = timezone.localdate().isoformat()
    # Another web process noted reads and died with SIGKILL before any flush.
    script = (
        "import redis, sys; redis.Redis.from_url(sys.argv[1]).sadd("
        f"'{reads.PENDING_KEY}', '{story.pk}|g1|{today}', '{story.pk}|g2|{today}');"
        "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"
    )
    killed = subprocess.run([sys.executable, "-c", script, TEST_REDIS])
    assert killed.returncode == -9
    assert reads.flush_reads() == 2 and reads_of(story) == 2


def test_a_flusher_killed_after_taking_the_marks_leaves_them_for_the_next(
    make_story, author, shared_reads
):
    story = make_story(author)
    # Today's: marks older than yesterday are dropped once stored (they only keep a reader from
    # counting twice in a day), so an older one would count again.
    today = timezone.localdate().isoformat()
    shared_reads.sadd(f"{reads.TAKEN_PREFIX}dead", f"{story.pk}|g1|{today}")
    assert reads.flush_reads() == 1 and reads_of(story) == 1
    shared_reads.sadd(f"{reads.TAKEN_PREFIX}dead2", f"{story.pk}|g1|{today}")  # stored already
    assert reads.flush_reads() == 0 and reads_of(story) == 1  # counted once


def test_without_redis_reads_wait_in_the_process_and_pages_answer(
    client, make_story, author, settings, caplog
):
    story = make_story(author)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.READ_FLUSH_SECONDS = 3600
    resilient_redis._last_complaint = -1e9  # let it speak in this test
    assert client.get(chapter_url(story.pk, 1)).status_code == 200
    assert len(reads._pending) == 1
    assert "Redis is unavailable" in caplog.text
    assert reads.flush_reads() == 1 and reads_of(story) == 1
