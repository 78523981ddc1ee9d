"""Fabula as a big site runs it, on loopback: for tests and benchmarks.

    .venv/bin/python bench/cluster.py start     # or: make cluster
    .venv/bin/python bench/cluster.py status
    .venv/bin/python bench/cluster.py bench     # one node vs two behind the balancer (wrk)
    .venv/bin/python bench/cluster.py stop

`start` starts, each listening on 127.0.0.1 only, with its state under var/cluster/:

- a PostgreSQL primary (port 5440) and a streaming read replica (5441), two clusters of their
  own (Debian's PostgreSQL binaries, run as the `postgres` user), the replica made from the
  primary with `pg_basebackup -R`, exactly as a big site's replica is;
- PgBouncer in transaction mode in front of the primary;
- a Redis of its own (no disk: `--save ""`, no append-only file);
- two Fabula web nodes under granian (DEBUG off), writing through PgBouncer, reading from the
  replica, sharing the Redis cache, sessions and read buffer and one data folder;
- `fabula worker` (background jobs on RQ, scheduled chapters, read counts);
- HAProxy balancing the two nodes, retrying on the other node a request whose node failed.

Ports other than PostgreSQL's are free ones taken at start and kept in var/cluster/site.json;
`start` prints the addresses. `stop` stops what `start` started, by the PIDs it wrote (each
service's process group, so granian's worker processes too) and PostgreSQL's own PID files, and
nothing else.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from fabula.conf.webserver import free_port, granian_command

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
    """Wait until the replica has replayed everything the primary wrote so far (its insert
    position: with synchronous_commit off, the last commits may not be written out yet)."""
    target = cluster.psql(cluster.primary_port, "select pg_current_wal_insert_lsn()")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = cluster.psql(
            cluster.replica_port, f"select pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"
        )
        if done == "t":
            return
        time.sleep(0.05)
    raise TimeoutError("the replica did not catch up")


SERVICES = ("pgbouncer", "redis", "web_a", "web_b", "worker", "balancer")
WEB_NODES = ("web_a", "web_b")
# Started before the web nodes (they need them), stopped after them.
BACKING = ("pgbouncer", "redis")
SECRET_KEY = "fabula-cluster-on-loopback-" + "k" * 40


@dataclass(frozen=True)
class Site:
    """The whole site around a database `Cluster`: each service's port, PIDs under run/."""

    cluster: Cluster
    ports: dict[str, int]
    database: str = "fabula"
    overrides: tuple[tuple[str, str], ...] = ()  # settings of a test's own, on every node

    @property
    def base(self) -> Path:
        return self.cluster.base

    def address(self, service: str = "balancer") -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.ports['redis']}/0"

    def env(self, **extra: str) -> dict[str, str]:
        """Every node's environment (docs/deploy.md): the same on each web node and worker."""
        return {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.ports['pgbouncer']}/"
            + self.database,
            "FABULA_PGBOUNCER": "1",
            "DATABASE_CONN_MAX_AGE": "0",  # PgBouncer keeps the server connections
            "DATABASE_REPLICA_URLS": self.cluster.url(self.cluster.replica_port, self.database),
            "REDIS_URL": self.redis_url,
            "FABULA_JOBS": "queue",
            "FABULA_DATA_DIR": str(self.base / "data"),
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            # Load tests and wrk ask for many pages a second from one address: what the scraper
            # budget and the rate limits are there to stop. The cluster measures the pages.
            "FABULA_SCRAPER_PAGES_PER_MINUTE": "0",
            "FABULA_LIMITS_SCALE": "1000",
            "FABULA_PROXY_COUNT": "1",  # HAProxy in front (option forwardfor)
            **dict(self.overrides),
            **extra,
        }

    def pid_file(self, service: str) -> Path:
        return self.base / "run" / f"{service}.pid"

    def pid(self, service: str) -> int | None:
        try:
            return int(self.pid_file(service).read_text())
        except (FileNotFoundError, ValueError):
            return None

    def running(self, service: str) -> bool:
        pid = self.pid(service)
        return pid is not None and _group_alive(pid)

    def command(self, service: str) -> list[str]:
        python_bin = Path(sys.executable).parent
        if service == "pgbouncer":
            return ["pgbouncer", str(self.base / "pgbouncer.ini")]
        if service == "redis":
            return [
                "redis-server", "--bind", "127.0.0.1", "--port", str(self.ports["redis"]),
                "--save", "", "--appendonly", "no", "--dir", str(self.base),
            ]  # fmt: skip
        if service in WEB_NODES:  # as `fabula serve` runs one, with a worker for each node
            return granian_command("127.0.0.1", self.ports[service], workers=1)
        if service == "worker":
            return [str(python_bin / "fabula"), "worker", "--interval", "1"]
        if service == "balancer":
            return ["haproxy", "-db", "-f", str(self.base / "haproxy.cfg")]
        raise ValueError(f"no such service: {service}")

    def start_service(self, service: str) -> None:
        """Start one service (again), wait until it answers, and write its PID."""
        if self.running(service):
            return
        self.pid_file(service).parent.mkdir(exist_ok=True)
        log = open(self.base / f"{service}.log", "ab")
        process = subprocess.Popen(
            self.command(service),
            env=self.env(),
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives `start`; a Ctrl-C there does not reach it
            # PgBouncer refuses to run as root.
            **({"user": "postgres", "group": "postgres"} if service == "pgbouncer" else {}),
        )
        log.close()
        self.pid_file(service).write_text(str(process.pid))
        if service in self.ports:
            _wait_for_port(self.ports[service], process, service)

    def kill(self, service: str, signal_number: int = signal.SIGTERM) -> None:
        """Send `signal_number` to one service and every process it started (its own process
        group: granian's workers too; SIGKILL is a machine that dies), wait until all are gone
        and forget its PID."""
        pid = self.pid(service)
        if pid is None:
            return
        _signal_group(pid, signal_number)
        deadline = time.monotonic() + 15
        while _group_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _group_alive(pid):
            _signal_group(pid, signal.SIGKILL)
            while _group_alive(pid):
                time.sleep(0.05)
        self.pid_file(service).unlink()


def _signal_group(pid: int, signal_number: int) -> None:
    try:
        os.killpg(pid, signal_number)  # started with start_new_session: the group is `pid`
    except ProcessLookupError:
        pass


def _group_alive(pid: int) -> bool:
    """Whether the service `pid` or any process of its group still runs."""
    _alive(pid)  # reaps it when it is a dead child of this process
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a dead child of this process not yet waited for is gone too)."""
    try:
        if os.waitpid(pid, os.WNOHANG) != (0, 0):
            return False
    except ChildProcessError:  # not our child: ask /proc
        pass
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


def _wait_for_port(port: int, process: subprocess.Popen, name: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited at start (its log is under var/cluster*/)")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"{name} did not listen on port {port}")


PGBOUNCER_INI = """[databases]
* = host=127.0.0.1 port={primary}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {base}/pgbouncer-users.txt
pool_mode = transaction
; Transaction mode: a server connection serves another client after each transaction, so
; nothing may outlive one (Fabula: FABULA_PGBOUNCER=1, docs/deploy.md).
server_reset_query =
max_client_conn = 500
default_pool_size = 20
ignore_startup_parameters = extra_float_digits,options
log_connections = 0
log_disconnections = 0
"""

HAPROXY_CFG = """global
    maxconn 2000

defaults
    mode http
    timeout connect 1s
    timeout client 60s
    timeout server 60s
    # A request whose node refused the connection, closed it or answered nothing is sent again
    # to the other node (redispatch at every retry), POSTs too: Fabula's writes tested through
    # here (kudos) are idempotent, so a write the dead node made before dying is not doubled.
    retries 3
    option redispatch 1
    retry-on all-retryable-errors
    option http-server-close
    # The reader's address for the rate limits and counts: nodes run with FABULA_PROXY_COUNT=1.
    option forwardfor

frontend site
    bind 127.0.0.1:{balancer}
    default_backend web

backend web
    balance roundrobin
    server web_a 127.0.0.1:{web_a} check inter 500ms fall 1 rise 2
    server web_b 127.0.0.1:{web_b} check inter 500ms fall 1 rise 2
"""


def start_site(
    cluster: Cluster = Cluster(ROOT / "var" / "cluster"),
    database: str = "fabula",
    services: tuple[str, ...] = SERVICES,
    overrides: dict[str, str] | None = None,
) -> Site:
    """Start the database cluster, then each of `services` (all by default) on free ports (kept
    in site.json, so `stop` and a second `start` find them); returns the site."""
    start(cluster)
    state = cluster.base / "site.json"
    ports = json.loads(state.read_text()) if state.exists() else {}
    for service in ("pgbouncer", "redis", "balancer", *WEB_NODES):
        ports.setdefault(service, free_port())
    state.write_text(json.dumps(ports))
    site = Site(cluster, ports, database, tuple((overrides or {}).items()))
    (site.base / "data").mkdir(exist_ok=True)
    (site.base / "pgbouncer.ini").write_text(
        PGBOUNCER_INI.format(primary=cluster.primary_port, port=ports["pgbouncer"], base=site.base)
    )
    (site.base / "pgbouncer-users.txt").write_text('"postgres" ""\n')
    (site.base / "haproxy.cfg").write_text(HAPROXY_CFG.format(**ports))
    exists = f"select 1 from pg_database where datname = '{database}'"
    if cluster.psql(cluster.primary_port, exists) != "1":
        cluster.psql(cluster.primary_port, f"create database {database}")
    for service in BACKING:
        if service in services:
            site.start_service(service)
    # Migrations straight on the primary (not through PgBouncer), as docs/deploy.md says; the
    # static files once into the shared data folder, where every node's WhiteNoise finds them.
    fabula = Path(sys.executable).parent / "fabula"
    primary = site.env(DATABASE_URL=cluster.url(cluster.primary_port, database))
    subprocess.run([fabula, "migrate", "--noinput", "-v0"], env=primary, cwd=ROOT, check=True)
    subprocess.run([fabula, "collectstatic", "--noinput", "-v0"], env=primary, cwd=ROOT, check=True)
    for service in SERVICES:
        if service in services and service not in BACKING:
            site.start_service(service)
    return site


def stop_site(cluster: Cluster = Cluster(ROOT / "var" / "cluster")) -> None:
    """Stop every service `start_site` started (balancer first), then the databases."""
    state = cluster.base / "site.json"
    if state.exists():
        site = Site(cluster, json.loads(state.read_text()))
        for service in reversed(SERVICES):
            site.kill(service)
    stop(cluster)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["start", "stop", "status", "bench"])
    parser.add_argument("--duration", default="20s", help="bench: how long wrk runs each time")
    args = parser.parse_args(argv)
    cluster = Cluster(ROOT / "var" / "cluster")
    if args.action == "start":
        site = start_site(cluster)
        print(
            f"site     {site.address()}  (HAProxy; nodes {site.address('web_a')}, "
            f"{site.address('web_b')})"
        )
        print(f"primary  {cluster.url(cluster.primary_port)}")
        print(f"replica  {cluster.url(cluster.replica_port)}")
        print(f"bouncer  postgres://postgres@127.0.0.1:{site.ports['pgbouncer']}/fabula")
        print(f"redis    {site.redis_url}")
    elif args.action == "stop":
        stop_site(cluster)
    elif args.action == "bench":
        from scale_out import bench  # bench/scale_out.py, beside this file

        return bench(start_site(cluster), args.duration)
    else:
        for name, data in (("primary", cluster.primary), ("replica", cluster.replica)):
            print(f"{name}: {'running' if cluster.running(data) else 'stopped'}")
        state = cluster.base / "site.json"
        if state.exists():
            site = Site(cluster, json.loads(state.read_text()))
            for service in SERVICES:
                print(f"{service}: {'running' if site.running(service) else 'stopped'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
