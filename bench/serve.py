"""Fabula under a production server, measured with wrk against DESIGN.md §4's targets.

    .venv/bin/python bench/serve.py                                  # full size, 20 s a page
    .venv/bin/python bench/serve.py --stories 300 --duration 5s      # a quick run

For each database (SQLite, then PostgreSQL) it makes sure the benchmark corpus is there
(`corpus.py`, built once and kept: bench/out/corpus-<N>.sqlite3 and the PostgreSQL database
fabula_bench), asks `pages.py` for the addresses of each page and what one request of it costs
in SQL queries, starts Fabula under granian (or gunicorn) with DEBUG off, a real SECRET_KEY and
ALLOWED_HOSTS=127.0.0.1, and runs `wrk -t2 -c16 -d<duration> --latency` once per page. wrk
cycles through the page's addresses in a shuffled order (bench/wrk_urls.lua), so every story a
guest can read is asked for and the guest page cache holds what a busy archive's would, no more.
At the end it prints one table: page, requests per second, median and 99th-percentile latency,
the target, and whether it was met.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from pages import PAGES

from fabula.conf import webserver
from fabula.conf.webserver import free_port

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
PYTHON = sys.executable
# The full-size corpus lives in fabula_bench; a smaller one in fabula_bench_<stories>, so that a
# quick run does not make the next full run build its corpus again.
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"


@dataclass
class Result:
    database: str
    key: str
    label: str
    target: str
    urls: int
    queries: int | None
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    requests: int = 0
    errors: int = 0
    note: str = ""
    met: bool | None = None
    efiction: str = ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=5000, help="corpus size (default 5000)")
    parser.add_argument("--duration", default="20s", help="wrk -d per page (default 20s)")
    parser.add_argument(
        "--databases",
        default="sqlite,postgres",
        help="comma list of sqlite and postgres (default both)",
    )
    parser.add_argument(
        "--postgres-url",
        default="",
        help=f"default {POSTGRES_SERVER}/fabula_bench (_<stories> unless 5000)",
    )
    parser.add_argument("--server", choices=("granian", "gunicorn"), default="granian")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--warmup",
        default="3s",
        help="an uncounted wrk run before each page (default 3s; 0 for none)",
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk -t")
    parser.add_argument("--connections", type=int, default=16, help="wrk -c")
    parser.add_argument(
        "--pages",
        default="",
        help="comma list of pages to measure (default all: "
        f"{','.join(page.key for page in PAGES)})",
    )
    parser.add_argument(
        "--page-cache",
        choices=("on", "off"),
        default="on",
        help="the guest page cache: on as shipped, or off to measure rendering",
    )
    parser.add_argument(
        "--max-urls",
        type=int,
        default=0,
        help="at most this many addresses per page (default: all)",
    )
    parser.add_argument("--json", help="also write the figures to this file (for bench/report.py)")
    args = parser.parse_args(argv)

    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (Debian: apt-get install wrk)")
    server_bin = Path(PYTHON).with_name(args.server)
    if not server_bin.exists():
        parser.error(f"{server_bin} is missing: pip install {args.server}")
    wanted = [k for k in args.pages.split(",") if k]
    known = {page.key for page in PAGES}
    if set(wanted) - known:
        parser.error(f"unknown pages {sorted(set(wanted) - known)}; choose from {sorted(known)}")
    (OUT / "data" / "static").mkdir(parents=True, exist_ok=True)  # FABULA_DATA_DIR of the runs

    results: list[Result] = []
    corpus_line = ""
    busy = 0.0  # the most CPU other processes used while ours were idle, in cores
    for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
        url = database_url(database, args)
        env = {**os.environ, "DATABASE_URL": url, "FABULA_DATA_DIR": str(OUT / "data")}
        ensure_corpus(database, url, env, args.stories)
        info = probe(env, args.max_urls)
        corpus = info["corpus"]
        corpus_line = (
            f"{corpus['stories']:,} stories, {corpus['chapters']:,} chapters, "
            f"{corpus['words'] / 1e6:.1f} M words; {corpus['guest_readable']:,} stories readable "
            "by a guest without a gate are requested"
        )
        pages = [p for p in info["pages"] if not wanted or p["key"] in wanted]
        with running_server(args, env) as port:
            for page in pages:
                busy = max(busy, others_cpu())
                results.append(measure(database, page, info, port, args))
                print(format_row(results[-1]), flush=True)
    print()
    print_table(results, args, corpus_line, busy)
    if args.json:
        write_json(args.json, {"rows": [asdict(r) for r in results], "busy_cores": busy})
    return 0


def write_json(path: str, figures) -> None:
    """A bench's figures for `bench/report.py`, which gathers every bench into one table."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(figures, indent=1))


def database_url(database: str, args) -> str:
    if database == "sqlite":
        return f"sqlite:///{OUT / f'corpus-{args.stories}.sqlite3'}"
    if database == "postgres":
        name = "fabula_bench" if args.stories == 5000 else f"fabula_bench_{args.stories}"
        url = args.postgres_url or f"{POSTGRES_SERVER}/{name}"
        create_postgres_database(url)
        return url
    raise SystemExit(f"unknown database {database!r}: use sqlite or postgres")


def create_postgres_database(url: str) -> None:
    """Create the benchmark database if the server does not have it yet."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    try:
        with psycopg.connect(
            host=config["HOST"] or "127.0.0.1",
            port=config["PORT"] or 5432,
            user=config["USER"],
            password=config["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
            connect_timeout=5,
        ) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{config["NAME"]}"')
    except psycopg.OperationalError as error:
        raise SystemExit(f"PostgreSQL does not answer at {url}: {error}") from error


def ensure_corpus(database: str, url: str, env: dict, stories: int) -> None:
    """Build the corpus unless the database already holds one of this size."""
    import corpus  # bench/ is on sys.path when run as a script

    expected = corpus.signature(
        stories, corpus.corpus_shape(stories)[0], corpus.DEFAULT_WORDS, corpus.SEED
    )
    if corpus_signature(env) == expected:
        print(f"{database}: corpus of {stories:,} stories already there ({url})", flush=True)
        # The code may have gained a migration since the corpus was built.
        subprocess.run(
            [PYTHON, "-m", "fabula.cli", "migrate", "--noinput", "-v0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        return
    print(f"{database}: building a corpus of {stories:,} stories ({url})", flush=True)
    subprocess.run(
        [PYTHON, str(BENCH / "corpus.py"), "--stories", str(stories), "--reset"],
        env=env,
        cwd=ROOT,
        check=True,
    )


def corpus_signature(env: dict) -> str | None:
    """What the database's corpus was built from (corpus.py keeps it as the slogan)."""
    script = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'fabula.settings'); "
        "django.setup(); from fabula.conf.models import SiteSettings; "
        "print(SiteSettings.objects.get(pk=1).slogan)"
    )
    done = subprocess.run([PYTHON, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:  # no tables yet, or no settings row
        return None
    return done.stdout.strip()


def probe(env: dict, max_urls: int) -> dict:
    probe_env = {
        **env,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DEBUG": "0",
        "FABULA_BENCH_URL_LIMIT": str(max_urls),
    }
    done = subprocess.run(
        [PYTHON, str(BENCH / "pages.py")],
        env=probe_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench/pages.py failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


class running_server:
    """Fabula under granian or gunicorn on a free port, for the length of a `with` block."""

    def __init__(self, args, env: dict):
        self.args = args
        self.env = {
            **env,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "FABULA_PAGE_CACHE_SECONDS": "60" if args.page_cache == "on" else "0",
            "LOG_LEVEL": "ERROR",
            # wrk asks for thousands of pages a second from one address: exactly what the
            # scraper budget challenges (lib/scrapers.py). The bench measures pages, not that.
            "FABULA_SCRAPER_PAGES_PER_MINUTE": "0",
            # Every wrk connection is 127.0.0.1, one guest to the rate limits (60 searches a
            # minute): raised, so that the figures are pages served, not 429s.
            "FABULA_LIMITS_SCALE": env.get("FABULA_LIMITS_SCALE", "1000"),
        }

    def __enter__(self) -> int:
        self.port = free_port()
        binary = str(Path(PYTHON).with_name(self.args.server))
        if self.args.server == "granian":
            # The production node's own command line (`fabula serve`): same workers and threads.
            threads = getattr(self.args, "web_threads", None) or webserver.DEFAULT_THREADS
            command = webserver.granian_command("127.0.0.1", self.port, self.args.workers, threads)
        else:
            command = [
                binary,
                "fabula.wsgi:application",
                "--workers",
                str(self.args.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ]
        self.log = open(OUT / "server.log", "w")
        self.process = subprocess.Popen(
            command,
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server stopped at once; see {OUT / 'server.log'}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2)
                break
            except urllib.error.HTTPError:
                break  # it answers, even if with an error page
            except OSError:
                time.sleep(0.2)
        else:
            self.__exit__(None, None, None)
            raise SystemExit(f"the server did not answer in 60 s; see {OUT / 'server.log'}")
        return self.port

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def worker_rss_mb(server_pid: int) -> list[float]:
    """VmRSS (MB) of every process under the server's (granian's workers), by pid order."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], list(children.get(server_pid, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    sizes = []
    for pid in sorted(found):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        if match:
            sizes.append(int(match.group(1)) / 1024)
    return sizes


def others_cpu(seconds: float = 1.0) -> float:
    """Cores kept busy over `seconds`, taken while the server and wrk are idle: someone else's."""

    def sample() -> tuple[int, int]:
        with open("/proc/stat") as stat:
            fields = [int(n) for n in stat.readline().split()[1:]]
        return sum(fields), fields[3] + fields[4]  # all, idle + iowait

    try:
        total, idle = sample()
        time.sleep(seconds)
        total2, idle2 = sample()
    except OSError:  # not Linux
        return 0.0
    spent = total2 - total
    return (1 - (idle2 - idle) / spent) * (os.cpu_count() or 1) if spent else 0.0


def measure(database: str, page: dict, info: dict, port: int, args) -> Result:
    key = page["key"]
    urls = info["urls"][key]
    probed = info["probe"][key]
    reference = not page["min_rps"]  # a row to read the others by, not a target
    target = (
        "reference"
        if reference
        else f">= {page['min_rps']:,} req/s"
        + (f", p99 <= {page['max_p99_ms']:g} ms" if page["max_p99_ms"] else "")
    )
    result = Result(
        database=database,
        key=key,
        label=page["label"],
        target=target,
        efiction=page.get("efiction", ""),
        urls=len(urls),
        queries=probed["queries"],
    )
    if not urls:
        result.note = "no address to request"
        return result
    if set(probed["statuses"]) != {"200"}:
        result.note = f"not measured: sample answered {probed['statuses']}"
        return result
    url_file = OUT / f"urls-{database}-{key}.txt"
    url_file.write_text("\n".join(urls) + "\n")
    warm_up(port, urls[:3])

    def wrk(duration: str) -> subprocess.CompletedProcess:
        return run_wrk(port, url_file, duration, args.threads, args.connections)

    if args.warmup not in ("", "0", "0s"):
        wrk(args.warmup)  # not counted: every worker thread opens its connection, loads templates
    done = wrk(args.duration)
    (OUT / f"wrk-{database}-{key}.txt").write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        result.note = f"wrk failed: {done.stderr.strip()[:200]}"
        return result
    parse_wrk(done.stdout, result)
    if reference:
        return result  # met stays None
    result.met = (
        result.errors == 0
        and result.rps is not None
        and result.rps >= page["min_rps"]
        and (page["max_p99_ms"] is None or (result.p99_ms or 0) <= page["max_p99_ms"])
    )
    return result


def run_wrk(
    port: int,
    url_file: Path,
    duration: str,
    threads: int = 2,
    connections: int = 16,
    headers: Sequence[str] = (),
    timeout: str = "2s",
) -> subprocess.CompletedProcess:
    """wrk against the server on `port`, each request taking the next address of `url_file`
    and sending `headers` ("Name: value"); a request slower than `timeout` counts as failed."""
    return subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}",
            f"--timeout={timeout}",
            "--latency",
            *(flag for header in headers for flag in ("-H", header)),
            "-s",
            str(BENCH / "wrk_urls.lua"),
            f"http://127.0.0.1:{port}",
            "--",
            str(url_file),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def warm_up(port: int, urls: list[str]) -> None:
    """One request each: the workers import templates and open their database connection."""
    for url in urls:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=10).read()
        except OSError:
            pass


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNITS_MS[unit]


def parse_wrk(output: str, result: Result) -> None:
    """Requests per second, p50 and p99, and failures, from wrk's --latency report."""
    if found := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result.rps = float(found.group(1))
    if found := re.search(r"^\s+50%\s+(\S+)", output, re.M):
        result.p50_ms = _ms(found.group(1))
    if found := re.search(r"^\s+99%\s+(\S+)", output, re.M):
        result.p99_ms = _ms(found.group(1))
    if found := re.search(r"(\d+) requests in", output):
        result.requests = int(found.group(1))
    if found := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result.errors += int(found.group(1))
    if found := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        result.errors += sum(int(n) for n in found.groups())
        result.note = f"socket errors {found.group(0).split(': ', 1)[1]}"
    if result.errors and not result.note:
        result.note = f"{result.errors} requests failed"


def format_row(r: Result) -> str:
    def number(value, fmt):
        return format(value, fmt) if value is not None else "-"

    met = {True: "yes", False: "NO", None: "-"}[r.met]
    return (
        f"{r.database:<9} {r.label:<22} {r.urls:>7,} {number(r.queries, 'd'):>7} "
        f"{number(r.rps, ',.0f'):>8} {number(r.p50_ms, '.1f'):>7} {number(r.p99_ms, '.1f'):>7}  "
        f"{r.target:<30} {met:<4} {r.note}"
    ).rstrip()


def print_table(results: list[Result], args, corpus_line: str, busy: float) -> None:
    cache = (
        "on, as shipped (FABULA_PAGE_CACHE_SECONDS=60, one cache per worker)"
        if args.page_cache == "on"
        else "off (every request builds its page)"
    )
    print(
        f"Fabula under {args.server} ({args.workers} workers, DEBUG off); "
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration} --latency on this machine "
        f"({os.cpu_count()} cores)."
    )
    print(f"Corpus: {corpus_line}.")
    print(
        f"Guest page cache {cache}; wrk cycles through every address of a page in a shuffled "
        f"order, as a guest, after an uncounted {args.warmup} warm-up on the same list."
    )
    print(
        "queries = SQL queries of one request built without the page cache "
        "(test client, CaptureQueriesContext)."
    )
    if busy > 0.2:
        print(
            f"WARNING: other processes kept {busy:.1f} of the {os.cpu_count()} cores busy "
            "between runs (measured while the server was idle): they took CPU from the server "
            "and from wrk, so these figures are low. Run again on a quiet machine."
        )
    print()
    header = (
        f"{'database':<9} {'page':<22} {'URLs':>7} {'queries':>7} {'req/s':>8} "
        f"{'p50 ms':>7} {'p99 ms':>7}  {'target':<30} met"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        print(format_row(result))


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH))
    sys.exit(main())


CSRF_SECRET = "benchbenchbenchbenchbenchbench12"  # Django takes an unmasked 32-character secret


def guest_post(port: int, path: str, source: str = "127.0.0.1") -> int:
    """POST a guest's form (a fixed CSRF cookie and the same token in the form) from a loopback
    address of its own (`source`, any of 127.0.0.0/8), so the site counts a new guest; the
    answer's status."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(source, 0)
    )
    try:
        connection.request(
            "POST",
            path,
            body=f"csrfmiddlewaretoken={CSRF_SECRET}",
            headers={
                "Cookie": f"csrftoken={CSRF_SECRET}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        return connection.getresponse().status
    finally:
        connection.close()


def random_loopback(draw: random.Random) -> str:
    return f"127.{draw.randrange(1, 255)}.{draw.randrange(0, 256)}.{draw.randrange(1, 255)}"
