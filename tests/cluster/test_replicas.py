"""Fabula on a PostgreSQL primary and a streaming replica (bench/cluster.py), through a real
web server: guests read the replica, a member who just wrote reads the primary, even while the
replica lags (its replay paused with pg_wal_replay_pause())."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from fabula.test import free_port, require

pytestmark = pytest.mark.cluster

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DATABASE = "fabula_cluster_test"


def _load_cluster_script():
    spec = importlib.util.spec_from_file_location("bench_cluster", ROOT / "bench" / "cluster.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cluster():
    require(shutil.which("psql") is not None, "psql (Debian: postgresql-client) is not installed")
    require(
        any(Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup")),
        "PostgreSQL's server programs (Debian: postgresql) are not installed",
    )
    require(os.geteuid() == 0 or os.environ.get("USER") == "postgres", "needs root or postgres")
    script = _load_cluster_script()
    # A cluster of this run's own, on free ports, so that checkouts side by side never meet.
    base = ROOT / "var" / f"cluster-test-{os.getpid()}"
    made = script.start(script.Cluster(base, free_port(), free_port()))
    made.psql(made.primary_port, f"create database {DATABASE}")
    env = {
        **os.environ,
        "DATABASE_URL": made.url(made.primary_port, DATABASE),
        "DATABASE_REPLICA_URLS": made.url(made.replica_port, DATABASE),
        "FABULA_PAGE_CACHE_SECONDS": "0",  # every page read from a database
        "SECRET_KEY": "cluster-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "0",
        "FABULA_JOBS": "inline",
    }
    subprocess.run([BIN / "fabula", "migrate", "--noinput", "-v0"], env=env, check=True)
    setup = subprocess.run(
        [BIN / "fabula", "shell", "-c", SETUP], env=env, capture_output=True, text=True
    )
    assert setup.returncode == 0, setup.stderr
    world = json.loads(setup.stdout.strip().splitlines()[-1])
    script.wait_for_replay(made)
    port = free_port()
    server = subprocess.Popen(
        [BIN / "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)]
        + ["--workers", "1", "fabula.wsgi:application"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    site = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(site + "/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield script, made, site, world
    finally:
        server.terminate()
        server.wait(timeout=10)
        script.stop(made)
        shutil.rmtree(base)


SETUP = """
import json
from django.urls import reverse
from fabula.accounts.models import User
from fabula.stories import actions
from fabula.taxonomy.models import Rating
password = "a long pass phrase"
User.objects.create_user(pen_name="Cluster Member", email="m@example.org", password=password)
author = User.objects.create_user(pen_name="Cluster Author", email="a@example.org", trusted=True)
rating = Rating.objects.order_by("order").first() or Rating.objects.create(name="G", order=1)
story = actions.story_post(
    by=author, title="On Two Machines", rating=rating, chapter_title="One", body="<p>Words.</p>",
    publish=True,
)
print(json.dumps({
    "story": reverse("story", args=[story.pk]),
    "review": reverse("community:review-new", args=[story.pk]),
    "login": reverse("accounts:login"),
}))
"""


class Browser:
    """A browser's cookies and forms, enough for a log-in and a review."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post_form(self, path: str, fields: dict[str, str]) -> str:
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"no form on {path}"
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Referer": self.base}
        )
        with self.opener.open(request, timeout=30) as response:
            return response.read().decode()


def test_a_member_reads_their_own_review_while_guests_read_the_lagging_replica(cluster):
    script, made, base, world = cluster
    member, guest = Browser(base), Browser(base)
    assert "On Two Machines" in guest.get(world["story"])  # served from the replica
    made.psql(made.replica_port, "select pg_wal_replay_pause()")  # the replica lags from here
    member.post_form(
        world["login"], {"username": "Cluster Member", "password": "a long pass phrase"}
    )
    member.post_form(world["review"], {"body": "Read on the primary", "chapter": "1"})
    assert "Read on the primary" in member.get(world["story"])  # read-your-writes
    assert "Read on the primary" not in guest.get(world["story"])  # the replica has not it yet
    made.psql(made.replica_port, "select pg_wal_replay_resume()")
    script.wait_for_replay(made)
    # Replayed: the guest's next pages show it (a page built while the replica lagged may be
    # served for up to a second more from the node's cache).
    deadline = time.monotonic() + 10
    while "Read on the primary" not in guest.get(world["story"]):
        assert time.monotonic() < deadline, "the guest never saw the replayed review"
        time.sleep(0.25)


def test_the_replica_is_never_written_nor_migrated(cluster):
    _, made, _, _ = cluster
    assert made.psql(made.replica_port, "select pg_is_in_recovery()") == "t"
    migrations = "select count(*) from django_migrations"
    assert made.psql(made.replica_port, migrations, DATABASE) == made.psql(
        made.primary_port, migrations, DATABASE
    )
