"""`fabula serve`: this machine as a production web node (granian; fabula.conf.webserver)."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fabula.conf import webserver
from fabula.lib.numbers import positive_id, whole_number


def _positive(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if not value:
        return default
    number = positive_id(value)
    if number is None:
        raise CommandError(f"{name} must be a whole number of at least 1, not {value!r}.")
    return number


class Command(BaseCommand):
    help = (
        "Serve Fabula in production under granian (DEBUG off, SECRET_KEY set): "
        "FABULA_WEB_WORKERS processes (one per core) of FABULA_WEB_THREADS threads (4)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "address",
            nargs="?",
            default=os.environ.get("FABULA_BIND", "127.0.0.1:8000"),
            help="host:port to listen on (FABULA_BIND; default 127.0.0.1:8000)",
        )
        parser.add_argument("--workers", type=int, help="worker processes (FABULA_WEB_WORKERS)")
        parser.add_argument("--threads", type=int, help="threads per worker (FABULA_WEB_THREADS)")
        parser.add_argument("--access-log", action="store_true", help="log every request")

    def handle(self, *args, **options) -> None:
        host, _, port = options["address"].rpartition(":")
        if not host or not whole_number(port, largest=65535):
            raise CommandError(f"Give the address as host:port, not {options['address']!r}.")
        workers = options["workers"] or _positive("FABULA_WEB_WORKERS", webserver.default_workers())
        threads = options["threads"] or _positive("FABULA_WEB_THREADS", webserver.DEFAULT_THREADS)
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        command = webserver.granian_command(
            host.strip("[]"), int(port), workers, threads, options["access_log"]
        )
        self.stdout.write(f"Serving on http://{options['address']}/ ({workers} x {threads})")
        self.stdout.flush()
        # granian takes this process's place: signals from a supervisor reach it directly.
        os.execv(command[0], command)
