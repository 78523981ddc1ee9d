"""One whole site on loopback for every cluster test (bench/cluster.py): a PostgreSQL primary and
streaming replica, PgBouncer, Redis, two web nodes under granian, `fabula worker` and HAProxy,
each on a free port, with state under var/cluster-test-PID/ (removed at the end)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from fabula.test import free_port, require

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DATABASE = "fabula_cluster_test"
PASSWORD = "a long pass phrase"
MEMBERS = 6  # the load tests' writers, one member each
STORIES = 40  # each member may leave kudos once on each


def load_cluster_script():
    spec = importlib.util.spec_from_file_location("bench_cluster", ROOT / "bench" / "cluster.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


SETUP = """
import json
from django.urls import reverse
from fabula.accounts.models import User
from fabula.stories import actions
from fabula.taxonomy.models import Rating
password = "%(password)s"
members = [
    User.objects.create_user(pen_name=f"Cluster Member {n}", email=f"m{n}@example.org",
                             password=password)
    for n in range(%(members)d)
]
author = User.objects.create_user(pen_name="Cluster Author", email="a@example.org",
                                  password=password, trusted=True)
rating = Rating.objects.order_by("order").first() or Rating.objects.create(name="G", order=1)
stories = [
    actions.story_post(by=author, title=f"On Two Machines {n}", rating=rating,
                       chapter_title="One", body=f"<p>Words of story {n}.</p>", publish=True)
    for n in range(%(stories)d)
]
print(json.dumps({
    "members": [m.pk for m in members],
    "stories": [s.pk for s in stories],
    "chapters": [s.chapters.get().pk for s in stories],
}))
"""


@dataclass
class World:
    """What SETUP made: ids of the members (all with PASSWORD), stories and their chapters."""

    members: list[int]
    stories: list[int]
    chapters: list[int]

    def story(self, n: int = 0) -> str:
        return f"/stories/{self.stories[n]}/"

    def chapter(self, n: int = 0) -> str:
        return f"/stories/{self.stories[n]}/chapter/{self.chapters[n]}/"


@pytest.fixture(scope="package")  # stopped once this folder's tests are done
def site():
    require(shutil.which("psql") is not None, "psql (Debian: postgresql-client) is not installed")
    require(
        any(Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup")),
        "PostgreSQL's server programs (Debian: postgresql) are not installed",
    )
    for tool, package in (("pgbouncer", "pgbouncer"), ("haproxy", "haproxy")):
        require(shutil.which(tool) is not None, f"{tool} (Debian: {package}) is not installed")
    require(shutil.which("redis-server") is not None, "redis-server (Debian: redis) is missing")
    require(os.geteuid() == 0, "the cluster runs PostgreSQL and PgBouncer as `postgres`: root")
    script = load_cluster_script()
    base = ROOT / "var" / f"cluster-test-{os.getpid()}"
    cluster = script.Cluster(base, free_port(), free_port())
    try:
        made = script.start_site(
            cluster,
            DATABASE,
            # Only `fabula worker` stores the reads buffered in Redis (never a web node on its
            # own): the read-count test then knows where they wait.
            overrides={"FABULA_READ_FLUSH_SECONDS": "3600"},
        )
        setup = subprocess.run(
            [BIN / "fabula", "shell", "-c"]
            + [SETUP % {"password": PASSWORD, "members": MEMBERS, "stories": STORIES}],
            env=made.env(DATABASE_URL=cluster.url(cluster.primary_port, DATABASE)),
            capture_output=True,
            text=True,
        )
        assert setup.returncode == 0, setup.stderr
        world = World(**json.loads(setup.stdout.strip().splitlines()[-1]))
        script.wait_for_replay(cluster)
        yield script, made, world
    finally:
        script.stop_site(cluster)
        shutil.rmtree(base, ignore_errors=True)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer: the caller looks at its status


class Browser:
    """A browser's cookies and forms, enough to log in, post and leave kudos."""

    def __init__(self, base: str, cookies: CookieJar | None = None):
        self.base = base
        self.cookies = CookieJar() if cookies is None else cookies
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects
        )

    def status(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        """The status and body of a GET (or a POST of `data`, with the CSRF cookie's token)."""
        body = None
        headers = {}
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            token = next((c.value for c in self.cookies if c.name == "csrftoken"), "")
            headers = {"X-CSRFToken": token or "", "Referer": self.base}
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def on(self, base: str) -> Browser:
        """The same browser (its cookies: a member's session) talking to another node."""
        return Browser(base, self.cookies)

    def get(self, path: str) -> str:
        code, page = self.status(path)
        assert code == 200, f"{path} answered {code}"
        return page

    def post_form(self, path: str, fields: dict[str, str]) -> int:
        """Fill the form on `path` and send it; the status (302 when it was accepted)."""
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"no form on {path}"
        code, _ = self.status(path, {"csrfmiddlewaretoken": token.group(1), **fields})
        return code

    def log_in(self, pen_name: str) -> Browser:
        code = self.post_form("/accounts/login/", {"username": pen_name, "password": PASSWORD})
        assert code == 302, f"{pen_name} could not log in ({code})"
        return self
