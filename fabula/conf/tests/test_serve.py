"""`fabula serve`: a production web node under granian with a few threads a worker, however many
requests arrive at once (fabula/conf/webserver.py says why)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fabula.conf import webserver
from fabula.test import free_port

FABULA = Path(sys.executable).with_name("fabula")


@pytest.mark.parametrize("address", ["8000", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:70000"])
def test_a_wrong_address_is_refused_with_a_clear_message(address):
    with pytest.raises(CommandError, match="host:port"):
        call_command("serve", address)


def test_a_wrong_thread_count_in_the_environment_is_refused(monkeypatch):
    monkeypatch.setenv("FABULA_WEB_THREADS", "²")
    with pytest.raises(CommandError, match="FABULA_WEB_THREADS must be a whole number"):
        call_command("serve", "127.0.0.1:8000")


def _threads_of_children(pid: int) -> int:
    """How many threads the processes started by `pid` (granian's workers) hold together."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat[1]) == pid:
            total += int(stat[17])  # num_threads
    return total


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_web_node_serves_pages_on_a_bounded_number_of_threads(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'node.sqlite3'}",
        "FABULA_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "serve-test-" + "x" * 40,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "FABULA_SCRAPER_PAGES_PER_MINUTE": "0",
    }
    subprocess.run([FABULA, "migrate", "--noinput", "-v0"], env=env, check=True)
    port = free_port()
    node = subprocess.Popen(
        [FABULA, "serve", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/robots.txt"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                assert node.poll() is None, node.stdout.read().decode()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "the web node never answered"
                time.sleep(0.2)

        def fetch(_: int) -> int:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
                return page.status

        # Sixty requests at once: granian's own default would start a thread for each.
        with ThreadPoolExecutor(60) as pool:
            statuses = list(pool.map(fetch, range(60)))
        assert statuses == [200] * 60
        # The worker: 2 request threads, plus granian's runtime and Python's own few.
        assert 0 < _threads_of_children(node.pid) <= 12
    finally:
        node.terminate()
        node.wait(timeout=20)


def test_the_bench_and_the_node_start_granian_alike():
    command = webserver.granian_command("127.0.0.1", 9, workers=3)
    assert command[command.index("--blocking-threads") + 1] == str(webserver.DEFAULT_THREADS)
    assert command[command.index("--workers") + 1] == "3"
