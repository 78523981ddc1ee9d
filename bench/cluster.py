"""A PostgreSQL primary and a streaming read replica on loopback, for tests and benchmarks.

    .venv/bin/python bench/cluster.py start     # or: make cluster
    .venv/bin/python bench/cluster.py status
    .venv/bin/python bench/cluster.py stop

Both are clusters of their own under var/cluster/ (Debian's PostgreSQL binaries, run as the
`postgres` user): the primary on port 5440, the replica on 5441, made from the primary with
`pg_basebackup` and kept up to date by streaming replication, exactly as a big site's replica
is. `stop` stops what `start` started (by the PID files PostgreSQL keeps) and nothing else.

Fabula then runs with
    DATABASE_URL=postgres://postgres@127.0.0.1:5440/fabula
    DATABASE_REPLICA_URLS=postgres://postgres@127.0.0.1:5441/fabula
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRIMARY_PORT = 5440
REPLICA_PORT = 5441


def _bin(name: str) -> Path:
    """A PostgreSQL server program (Debian keeps them out of PATH)."""
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"PostgreSQL's {name} is not installed (Debian: postgresql)")


def _as_postgres(*command: str | Path) -> list[str]:
    """The server refuses to run as root: run it as the `postgres` user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *map(str, command)]
    return [str(part) for part in command]


def _run(*command: str | Path) -> None:
    subprocess.run(_as_postgres(*command), check=True, capture_output=True, cwd="/")


@dataclass(frozen=True)
class Cluster:
    base: Path
    primary_port: int = PRIMARY_PORT
    replica_port: int = REPLICA_PORT

    @property
    def primary(self) -> Path:
        return self.base / "primary"

    @property
    def replica(self) -> Path:
        return self.base / "replica"

    def url(self, port: int, database: str = "fabula") -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    def psql(self, port: int, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database]
            + ["-Atc", sql],
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()

    def running(self, data: Path) -> bool:
        return (data / "postmaster.pid").exists()


def start(cluster: Cluster = Cluster(ROOT / "var" / "cluster")) -> Cluster:
    """Start the primary and its replica (making them the first time); returns the cluster."""
    base = cluster.base
    base.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    if not (cluster.primary / "PG_VERSION").exists():
        _run(_bin("initdb"), "-D", cluster.primary, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        with open(cluster.primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {cluster.primary_port}\nlisten_addresses = '127.0.0.1'\n"
                "unix_socket_directories = ''\nwal_level = replica\nmax_wal_senders = 5\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            )
        with open(cluster.primary / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
    if not cluster.running(cluster.primary):
        _run(
            _bin("pg_ctl"), "-D", cluster.primary, "-l", cluster.base / "primary.log", "-w", "start"
        )
    if not (cluster.replica / "PG_VERSION").exists():
        # -R writes the standby signal and the primary's address: a streaming replica.
        _run(
            _bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(cluster.primary_port),
            "-U", "postgres", "-D", cluster.replica, "-R", "-X", "stream",
        )  # fmt: skip
        with open(cluster.replica / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {cluster.replica_port}\nhot_standby = on\n")
    if not cluster.running(cluster.replica):
        _run(
            _bin("pg_ctl"), "-D", cluster.replica, "-l", cluster.base / "replica.log", "-w", "start"
        )
    return cluster


def stop(cluster: Cluster = Cluster(ROOT / "var" / "cluster")) -> None:
    """Stop the replica, then the primary, if they run."""
    for data in (cluster.replica, cluster.primary):
        if cluster.running(data):
            _run(_bin("pg_ctl"), "-D", data, "-m", "fast", "-w", "stop")


def wait_for_replay(cluster: Cluster, timeout: float = 30.0) -> None:
    """Wait until the replica has replayed everything the primary wrote so far."""
    target = cluster.psql(cluster.primary_port, "select pg_current_wal_lsn()")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = cluster.psql(
            cluster.replica_port, f"select pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"
        )
        if done == "t":
            return
        time.sleep(0.05)
    raise TimeoutError("the replica did not catch up")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["start", "stop", "status"])
    action = parser.parse_args(argv).action
    if action == "start":
        cluster = start()
        print(f"primary {cluster.url(cluster.primary_port)}")
        print(f"replica {cluster.url(cluster.replica_port)}")
    elif action == "stop":
        stop()
    else:
        cluster = Cluster(ROOT / "var" / "cluster")
        for name, data in (("primary", cluster.primary), ("replica", cluster.replica)):
            print(f"{name}: {'running' if cluster.running(data) else 'stopped'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
