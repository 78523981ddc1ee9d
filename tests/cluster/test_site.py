"""The whole site on loopback (bench/cluster.py): two web nodes behind HAProxy, sharing PgBouncer
in front of the primary, a streaming replica, Redis and `fabula worker`. What one node writes
the other shows; reads buffered in Redis survive a node killed with SIGKILL; a job runs once; a
node killed under load, or Redis stopped under load, costs no request and no write.

The load tests print their figures (run with -s to see them): requests, failures, kudos
acknowledged and counted in the database before and after."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import redis

from tests.cluster.conftest import BIN, MEMBERS, Browser

pytestmark = pytest.mark.cluster

# Stories 0-29 are read by the load tests' guests; 38 and 39 only by the read-count test.
LOAD_READ_STORIES = range(30)
COUNTED_STORIES = (38, 39)


def test_a_chapter_posted_through_node_a_is_on_node_b_at_once(site):
    script, made, world = site
    author = Browser(made.address("web_a")).log_in("Cluster Author")
    guest_on_b = Browser(made.address("web_b"))
    assert "Posted On Node A" not in guest_on_b.get(world.story(3))  # and cached on B
    code = author.post_form(
        f"/manage/stories/{world.stories[3]}/chapters/new/",
        {"title": "Posted On Node A", "text_format": "html", "body": "<p>From A.</p>"},
    )
    assert code == 302
    script.wait_for_replay(made.cluster)  # streaming on loopback: milliseconds
    assert "Posted On Node A" in guest_on_b.get(world.story(3))


def test_a_guest_page_cached_on_node_b_is_refreshed_after_an_edit_on_node_a(site):
    script, made, world = site
    store = redis.Redis.from_url(made.redis_url)
    guest_on_b = Browser(made.address("web_b"))
    pages_before = len(store.keys("*fabula:page:*"))
    assert "Words of story 2." in guest_on_b.get(world.chapter(2))
    assert len(store.keys("*fabula:page:*")) == pages_before + 1  # kept in the shared cache
    assert "Words of story 2." in guest_on_b.get(world.chapter(2))  # served from it
    author = Browser(made.address("web_a")).log_in("Cluster Author")
    code = author.post_form(
        f"/manage/stories/{world.stories[2]}/chapters/{world.chapters[2]}/edit/",
        {"title": "One", "text_format": "html", "body": "<p>Edited on node A.</p>"},
    )
    assert code == 302
    script.wait_for_replay(made.cluster)
    page = guest_on_b.get(world.chapter(2))
    assert "Edited on node A." in page and "Words of story 2." not in page


ANNOUNCEMENTS = """
import json
import django_rq
from django_tasks import task_backends
from django_tasks_db.models import DBTaskResult
from fabula.stories.models import Chapter
chapter = Chapter.objects.get(story_id=%(story)d, title="Announced Once")
queue = django_rq.get_queue("default")
registries = {
    "finished": queue.finished_job_registry.get_job_ids(),
    "failed": queue.failed_job_registry.get_job_ids(),
    "scheduled": queue.scheduled_job_registry.get_job_ids(),
    "started": queue.started_job_registry.get_job_ids(),
    "queued": queue.get_job_ids(),
}
def ours(kwargs):
    return kwargs["name"] == "announce-chapter" and kwargs["arguments"]["chapter_id"] == chapter.pk
counts = {
    name: sum(ours(task_backends["default"].get_result(i).kwargs) for i in ids)
    for name, ids in registries.items()
}
counts["database"] = sum(ours(r.args_kwargs["kwargs"]) for r in DBTaskResult.objects.all())
print(json.dumps(counts))
"""


def test_a_task_enqueued_on_node_a_runs_once_on_the_worker(site):
    _, made, world = site
    author = Browser(made.address("web_a")).log_in("Cluster Author")
    code = author.post_form(
        f"/manage/stories/{world.stories[4]}/chapters/new/",
        {"title": "Announced Once", "text_format": "html", "body": "<p>Tell them.</p>"},
    )
    assert code == 302  # the action enqueued "announce-chapter" (in Redis: RQ)

    def counts() -> dict[str, int]:
        shell = subprocess.run(
            [BIN / "fabula", "shell", "-c", ANNOUNCEMENTS % {"story": world.stories[4]}],
            env=made.env(),
            capture_output=True,
            text=True,
        )
        assert shell.returncode == 0, shell.stderr
        return json.loads(shell.stdout.strip().splitlines()[-1])

    deadline = time.monotonic() + 30
    while (found := counts())["finished"] == 0:
        assert time.monotonic() < deadline, f"the worker never ran it: {found}"
        time.sleep(1)
    time.sleep(3)  # three more worker rounds: nothing runs it again
    assert counts() == {
        "finished": 1,
        "failed": 0,
        "scheduled": 0,
        "started": 0,
        "queued": 0,
        "database": 0,
    }


def read_counts(made, world, stories) -> list[int]:
    ids = ",".join(str(world.stories[n]) for n in stories)
    rows = made.cluster.psql(
        made.cluster.primary_port,
        f"select read_count from stories_story where id in ({ids}) order by id",
        made.database,
    )
    return [int(row) for row in rows.split()]


def test_read_counts_from_both_nodes_add_up_after_one_node_is_killed(site):
    script, made, world = site
    node_a, node_b = made.address("web_a"), made.address("web_b")
    first, second = COUNTED_STORIES
    before = read_counts(made, world, COUNTED_STORIES)
    worker = made.pid("worker")
    os.kill(worker, signal.SIGSTOP)  # the worker stores the reads: it waits, they are buffered
    try:
        reader = Browser(node_a).log_in("Cluster Member 4")
        reader.get(world.chapter(first))  # on A
        reader.on(node_b).get(world.chapter(second))  # on B
        Browser(node_b).log_in("Cluster Member 5").get(world.chapter(first))  # on B
        store = redis.Redis.from_url(made.redis_url)
        assert store.scard("fabula:reads:pending") == 3  # in Redis, none in a node
        made.kill("web_a", signal.SIGKILL)
        assert store.scard("fabula:reads:pending") == 3
    finally:
        os.kill(worker, signal.SIGCONT)
    try:
        expected = [before[0] + 2, before[1] + 1]
        deadline = time.monotonic() + 20
        while (now := read_counts(made, world, COUNTED_STORIES)) != expected:
            assert time.monotonic() < deadline, f"read counts {now}, not {expected}"
            time.sleep(0.5)
    finally:
        made.start_service("web_a")


@dataclass
class Tally:
    """What a load run saw at the balancer."""

    requests: int = 0
    failures: list[str] = field(default_factory=list)
    acknowledged: set[tuple[int, int]] = field(default_factory=set)  # (member, story) kudos
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, what: str, code: int | None, expected: int, error: str = "") -> bool:
        with self.lock:
            self.requests += 1
            if code != expected:
                self.failures.append(f"{what}: {code or error}")
        return code == expected


def kudos_counted(made, world, stories) -> int:
    members = ",".join(map(str, world.members))
    ids = ",".join(str(world.stories[n]) for n in stories)
    return int(
        made.cluster.psql(
            made.cluster.primary_port,
            f"select count(*) from community_kudos where user_id in ({members})"
            f" and story_id in ({ids})",
            made.database,
        )
    )


def run_load(
    made, world, kudos_on: range, seconds: float, event: Callable[[], None], at: float
) -> Tally:
    """Guests reading chapters and members leaving kudos (once per member and story: a retried
    POST does not leave two) through the balancer for `seconds`; `event` happens `at` seconds
    in."""
    tally = Tally()
    balancer = made.address()
    members = [Browser(balancer).log_in(f"Cluster Member {n}") for n in range(MEMBERS)]
    stop = time.monotonic() + seconds

    def guest() -> None:
        browser = Browser(balancer)
        while time.monotonic() < stop:
            path = world.chapter(random.choice(LOAD_READ_STORIES))
            try:
                code, _ = browser.status(path)
                tally.note(f"GET {path}", code, 200)
            except OSError as error:
                tally.note(f"GET {path}", None, 200, repr(error))

    def writer(number: int, browser: Browser) -> None:
        pause = seconds / len(kudos_on)  # spread over the whole run
        for n in kudos_on:
            if time.monotonic() >= stop:
                return
            path = f"/stories/{world.stories[n]}/kudos/"
            try:
                code, _ = browser.status(path, {})
            except OSError as error:
                code = None
                tally.note(f"POST {path}", None, 302, repr(error))
            else:
                if tally.note(f"POST {path}", code, 302):
                    with tally.lock:
                        tally.acknowledged.add((number, n))
            time.sleep(pause)

    threads = [threading.Thread(target=guest) for _ in range(3)]
    threads += [threading.Thread(target=writer, args=pair) for pair in enumerate(members)]
    for thread in threads:
        thread.start()
    time.sleep(at)
    event()
    for thread in threads:
        thread.join()
    return tally


def assert_nothing_lost(what: str, tally: Tally, before: int, after: int) -> None:
    """Print the run's figures; no request failed at the balancer, every write answered is kept
    (and none counted twice)."""
    print(
        f"\n{what}: {tally.requests} requests, {len(tally.failures)} failed;"
        f" kudos acknowledged {len(tally.acknowledged)}, in the database {before} before,"
        f" {after} after"
    )
    assert tally.failures == []
    assert after - before == len(tally.acknowledged) > 0


def test_killing_a_web_node_under_load_loses_no_request_and_no_write(site):
    _, made, world = site
    stories = range(0, 20)
    before = kudos_counted(made, world, stories)
    try:
        tally = run_load(
            made, world, stories, 30, lambda: made.kill("web_a", signal.SIGKILL), at=10
        )
    finally:
        made.start_service("web_a")
    assert_nothing_lost(
        "node killed under load", tally, before, after=kudos_counted(made, world, stories)
    )


def test_redis_stopped_under_load_gives_no_server_error(site):
    _, made, world = site
    stories = range(20, 38)
    before = kudos_counted(made, world, stories)
    try:
        tally = run_load(made, world, stories, 20, lambda: made.kill("redis"), at=5)
        # A review while Redis is away: its author's notification job waits in the database.
        member = Browser(made.address()).log_in("Cluster Member 0")
        code = member.post_form(
            f"/stories/{world.stories[5]}/reviews/new/",
            {"body": "Posted while Redis was away", "chapter": str(world.chapters[5])},
        )
        assert code == 302
    finally:
        made.start_service("redis")
    assert_nothing_lost(
        "Redis stopped under load", tally, before, after=kudos_counted(made, world, stories)
    )
