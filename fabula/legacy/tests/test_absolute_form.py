"""Requests whose target is a whole URL (`GET http://host/fanfiction/viewstory.php?sid=1
HTTP/1.1`), as old proxies, feed readers and scrapers send them.

Through Django's test client (the WSGI server hands the URL over as the path: the middleware
makes a path of it again), and through a real gunicorn serving a migrated database, spoken to
over a raw socket.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fabula.lib.tests.markup import parse
from fabula.test import chapter_url, free_port, require

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# The middleware, through the test client


def absolute(client, url: str, query: str = "", **extra):
    """A request whose PATH_INFO is the whole URL, as a WSGI server passes an absolute target."""
    return client.get("/", PATH_INFO=url, QUERY_STRING=query, **extra)


@pytest.mark.parametrize(
    "form", ["http://testserver/", "/http://testserver/", "https://testserver/"]
)
def test_an_absolute_target_reaches_the_legacy_page(client, sid1, form):
    response = absolute(client, f"{form}viewstory.php", "sid=1&index=1")
    assert response.status_code == 200
    assert (
        parse(response.content).text(id="pagetitle")
        == "The Last Temptation of Jim Halpert by Night Swept"
    )
    moved = absolute(client, f"{form}viewstory.php", "sid=1&amp;chapter=2")
    assert moved.status_code == 301
    assert moved["Location"] == chapter_url(1, 2)


def test_the_query_may_come_inside_the_target(client, sid1):
    response = absolute(
        client, "http://testserver/viewstory.php?action=printable&sid=1&chapter=all"
    )
    assert response.status_code == 200
    assert len(parse(response.content).find_all(cls="chaptertitle")) == 4


def test_the_host_comes_from_the_target(client, sid1):
    """RFC 9112 §3.2.2: the target's host wins over the Host header, so it is checked too."""
    allowed = absolute(
        client, "http://testserver/viewstory.php", "sid=1&index=1", HTTP_HOST="elsewhere.invalid"
    )
    assert allowed.status_code == 200
    refused = absolute(client, "http://elsewhere.invalid/viewstory.php", "sid=1&index=1")
    assert refused.status_code == 400


def test_an_ordinary_path_is_left_alone(client, sid1):
    assert client.get("/viewstory.php?sid=1&index=1").status_code == 200
    assert client.get("/viewstory.php", {"sid": "http://x/"}).status_code == 404


# ---------------------------------------------------------------------------------------------
# A real server

SETUP = """
from datetime import UTC, datetime
from fabula.accounts.models import User
from fabula.stories import actions
from fabula.taxonomy.models import Rating
author = User.objects.create_user("Night Swept", "night@example.org", "correct horse battery")
story = actions.story_create(
    authors=[author], title="The Last Temptation of Jim Halpert",
    rating=Rating.objects.create(name="PG-13"),
    status="published", published_at=datetime(2007, 5, 29, tzinfo=UTC),
)
for title in ("Temptation", "Coals"):
    actions.chapter_add(story=story, title=title, body="<p>It started with a phone.</p>")
print(story.pk)
"""


@pytest.fixture(scope="module")
def gunicorn_port(tmp_path_factory):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    require(gunicorn.exists(), f"gunicorn is not installed next to {sys.executable}")
    data = tmp_path_factory.mktemp("gunicorn")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fabula.settings",
        "DATABASE_URL": f"sqlite:///{data / 'fabula.sqlite3'}",
        "FABULA_DATA_DIR": str(data),
        "SECRET_KEY": "legacy-absolute-form-test-" + "k" * 40,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    manage = [sys.executable, "-m", "fabula.cli"]
    subprocess.run(
        [*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True, timeout=180
    )
    made = subprocess.run(
        [*manage, "shell", "-c", SETUP],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.stdout.split()[-1] == "1"
    port = free_port()
    log = open(data / "gunicorn.log", "wb")  # closed in the finally below
    server = subprocess.Popen(
        [str(gunicorn), "fabula.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90  # a loaded CI machine starts it slowly
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"gunicorn did not start:\n{(data / 'gunicorn.log').read_text()}")
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def raw_get(port: int, target: str) -> tuple[int, dict[str, str], bytes]:
    """Send one request line as written, read the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
        )
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in header_lines)
    }
    return int(status_line.split()[1]), headers, body


def test_gunicorn_answers_an_absolute_form_request(gunicorn_port):
    root = f"http://127.0.0.1:{gunicorn_port}"
    status, headers, _ = raw_get(gunicorn_port, f"{root}/fanfiction/viewstory.php?sid=1")
    assert status == 301
    # The server's own database, not the test's: the imported chapters keep eFiction's ids,
    # and story 1's chapters are chapid 1 to 4, in that order.
    assert headers["location"] == "/stories/1/chapter/1/"
    status, _, body = raw_get(
        gunicorn_port,
        f"{root}/fanfiction/viewstory.php?action=printable&amp;textsize=0&amp;sid=1&amp;chapter=all",
    )
    assert status == 200
    page = parse(body)
    assert page.text(id="pagetitle") == "The Last Temptation of Jim Halpert by Night Swept"
    assert (
        page.text(id="archivedat")
        == "This story archived at http://127.0.0.1:8000/fanfiction/viewstory.php?sid=1"
    )
    status, _, body = raw_get(gunicorn_port, f"{root}/fanfiction/viewstory.php?sid=1&index=1")
    assert status == 200
    assert parse(body).find(cls="listbox")
    status, _, _ = raw_get(gunicorn_port, f"{root}/fanfiction/viewstory.php?sid=7")
    assert status == 404


def test_gunicorn_answers_the_same_request_in_origin_form(gunicorn_port):
    status, headers, _ = raw_get(gunicorn_port, "/fanfiction/viewstory.php?sid=1&chapter=2")
    assert status == 301
    assert headers["location"] == "/stories/1/chapter/2/"  # chapid 2, as above
