"""Scale-out: chapter pages from one web node, then from two behind HAProxy, on the loopback site
of bench/cluster.py; and the share of the database's work that went to the read replica.

    .venv/bin/python bench/cluster.py bench [--duration 20s]

Starts the site if it is not running and, when its database holds no stories, writes a 300-story
corpus into it (bench/corpus.py). Then `wrk -t2 -c16` asks for every guest-readable chapter in
a shuffled order (bench/wrk_urls.lua), first from web node A alone, then through the balancer
(nodes A and B), each run from an empty guest page cache (a request slower than 10 s counts as
failed). Each run prints requests a second, latency, failures, and the transactions
each PostgreSQL server counted meanwhile (pg_stat_database: Django runs in autocommit, so outside
the few atomic blocks one transaction is one query) with the replica's share.

On a 2-core machine two nodes cannot beat one (they share the cores with PostgreSQL, PgBouncer,
Redis, HAProxy and wrk): the point is that the same pages come out of two nodes through the
balancer with no failure, and that the reads went to the replica.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
STORIES = 300

URLS = """
import json, sys
sys.path.insert(0, "bench")
from pages import page_urls
print(json.dumps(page_urls()["chapter"]))
"""


RETIRE_PAGES = "from fabula.lib.pagecache import content_changed; content_changed()"


def transactions(site, port: int) -> int:
    """Transactions committed or rolled back in the site's database on the server at `port`."""
    return int(
        site.cluster.psql(
            port,
            "select xact_commit + xact_rollback from pg_stat_database"
            f" where datname = '{site.database}'",
        )
    )


def bench(site, duration: str) -> int:
    cluster = site.cluster
    primary = site.env(DATABASE_URL=cluster.url(cluster.primary_port, site.database))
    stories = cluster.psql(
        cluster.primary_port, "select count(*) from stories_story", site.database
    )
    if int(stories) == 0:
        print(f"Writing a {STORIES}-story corpus into the site's database (once)…", flush=True)
        subprocess.run(
            [sys.executable, BENCH / "corpus.py", "--stories", str(STORIES)],
            env=primary,
            cwd=ROOT,
            check=True,
        )
    wait_for_replay(site)
    listing = subprocess.run(
        [Path(sys.executable).parent / "fabula", "shell", "-c", URLS],
        env=primary,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    urls = json.loads(listing.stdout.strip().splitlines()[-1])
    OUT.mkdir(exist_ok=True)
    url_file = OUT / "scale-out-urls.txt"
    url_file.write_text("\n".join(urls) + "\n")
    print(f"{len(urls)} chapter addresses; wrk -t2 -c16 -d{duration} on each")
    print(
        f"{'':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'failed':>7}"
        f" {'primary tx':>11} {'replica tx':>11} {'replica share':>14}"
    )
    for label, service in (("one node (A)", "web_a"), ("two nodes behind HAProxy", "balancer")):
        # Each run starts from an empty guest page cache: the second would otherwise be served
        # what the first rendered.
        subprocess.run(
            [Path(sys.executable).parent / "fabula", "shell", "-c", RETIRE_PAGES],
            env=primary,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        for url in urls[:20]:  # each node imports its templates and connects first
            urllib.request.urlopen(site.address(service) + url, timeout=30).read()
        time.sleep(1.5)  # statistics reach pg_stat_database within a second of idleness
        before = transactions(site, cluster.primary_port), transactions(site, cluster.replica_port)
        output = run_wrk(site.address(service), url_file, duration)
        time.sleep(1.5)
        after = transactions(site, cluster.primary_port), transactions(site, cluster.replica_port)
        on_primary, on_replica = after[0] - before[0], after[1] - before[1]
        share = on_replica / max(1, on_primary + on_replica)
        rps = _number(r"Requests/sec:\s+([\d.]+)", output)
        print(
            f"{label:<28} {rps:>8}"
            f" {_latency(output, '50%'):>8} {_latency(output, '99%'):>8} {_failed(output):>7}"
            f" {on_primary:>11} {on_replica:>11} {share:>13.0%}"
        )
    return 0


def wait_for_replay(site) -> None:
    from cluster import wait_for_replay as replayed  # bench/cluster.py, beside this file

    replayed(site.cluster, timeout=120)


def run_wrk(address: str, url_file: Path, duration: str) -> str:
    result = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{duration}", "--timeout", "10s", "--latency"]
        + ["-s", BENCH / "wrk_urls.lua"]
        + [address, "--", url_file],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return result.stdout


def _number(pattern: str, output: str) -> str:
    found = re.search(pattern, output)
    return found.group(1) if found else "?"


def _latency(output: str, percentile: str) -> str:
    found = re.search(rf"^\s+{percentile}\s+([\d.]+)(us|ms|s)", output, re.M)
    if not found:
        return "?"
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]
    return f"{float(found.group(1)) * scale:.1f}"


def _failed(output: str) -> int:
    failed = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", output))
    if found := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        failed += sum(int(n) for n in found.groups())
    return failed
