"""How a production web node runs Fabula: granian, a few worker processes, a few threads each.

Django under WSGI is a thread per request, and Python runs one thread of a process at a time. So
past a handful of threads a worker gets no faster, only bigger and more crowded: granian's own
default for WSGI is 256 threads a worker, and under a 64-connection soak each worker grew to about
a gigabyte (a database connection and a malloc arena per thread), SQLite writers queued behind
dozens of others until "database is locked", and PostgreSQL ran out of connections
(workers x threads of them). A few threads keep every request waiting in granian's queue instead,
at no cost in throughput (docs/decisions.md has the figures).
"""

from __future__ import annotations

import gc
import os
import shutil
import socket
import sys
from pathlib import Path

# Threads per worker: enough to overlap one request's database or disk wait with another's work.
DEFAULT_THREADS = 4


def default_workers() -> int:
    """One worker per core: the processes, not the threads, are what use more than one core."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def granian_binary() -> str:
    """granian beside this Python (the virtual environment's), else the one on PATH."""
    beside = Path(sys.executable).with_name("granian")
    return str(beside) if beside.exists() else (shutil.which("granian") or "granian")


def granian_command(
    host: str,
    port: int,
    workers: int | None = None,
    threads: int = DEFAULT_THREADS,
    access_log: bool = False,
) -> list[str]:
    """The command line of one web node serving fabula.wsgi on host:port."""
    command = [
        granian_binary(),
        "--interface",
        "wsgi",
        "fabula.wsgi:application",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers or default_workers()),
        "--blocking-threads",
        str(threads),
        "--log-level",
        "warning",
    ]
    if not access_log:
        command.append("--no-access-log")
    return command


def free_port() -> int:
    """A loopback port nothing listens on now, for a server a test or a bench starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def settle_worker() -> None:
    """What a web worker does once Django is set up, before its first request (`fabula.wsgi`,
    `fabula.asgi`): load the whole address tree, with the views and all they import, now
    rather than in the first request, then move every object loaded so far out of the garbage
    collector's sight (`gc.freeze`). A worker holds some 150,000 objects that live as long as
    it does (modules, models, views, the tree), and each full collection walked them all: a
    pause of tens of milliseconds in whichever request set it off. A broad search of the
    100,000-story archive, 20 in a row: mean 172 -> 150 ms, the slowest 250 -> 168 ms
    (docs/decisions.md). Objects made later are collected as before."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loading it is the point)
    gc.freeze()
