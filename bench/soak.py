"""The soak: Fabula under granian for minutes on end, reading, searching, logging in and writing
at once, printing each minute the requests, the errors and the web workers' memory.

    .venv/bin/python bench/soak.py                         # 10 minutes, 64 connections
    .venv/bin/python bench/soak.py --minutes 1 --stories 300

It uses `bench/serve.py`'s corpus (SQLite by default, `--database postgres`), its server and
its wrk, with `bench/wrk_mix.lua` for a list of requests that mixes, in shuffled order:

- reads (about 70%): chapters, story indexes, eFiction's printable pages and category lists, as
  `serve.py` requests them, half of them with a junk parameter (`?utm=N`, a new one each time)
  that once made a new page-cache entry each;
- searches (15%): a word of the corpus and a number, so most build their page;
- log-ins (5%): the right password of one of 8 soak members (argon2id, the throttle's counts);
- writes (10%): guest kudos and reports (the limiter's counts, a row each).

Every client is 127.0.0.1, one address, so the server runs with FABULA_LIMITS_SCALE (default
1000) raising every rate limit: the soak measures the site carrying the load, not the limiter
refusing it (the tests do that). 429 answers are counted apart from errors. An error is a 5xx
answer, or a socket error or timeout that wrk reports. wrk runs a minute at a time; between two
runs the script reads VmRSS of each granian worker from /proc.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import serve  # bench/serve.py: corpus, server, wrk; bench/ is on sys.path as a script
from serve import (
    OUT,
    PYTHON,
    ROOT,
    database_url,
    ensure_corpus,
    probe,
    running_server,
    worker_rss_mb,
)

from fabula.conf import webserver

SOAK_PASSWORD = "soak password for the bench"
SOAK_MEMBERS = 8
WORDS = (
    "night sea wind heart fire light storm shadow stone river dream blood silver winter "
    "garden letter crown ghost mirror secret".split()
)


def make_members(env: dict) -> None:
    """The soak's members, with a known password (made once; argon2 as the site hashes)."""
    script = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'fabula.settings'); "
        "django.setup(); from fabula.accounts.models import User\n"
        f"for n in range({SOAK_MEMBERS}):\n"
        f"    name = f'Soak Reader {{n}}'\n"
        "    if not User.objects.filter(pen_name=name).exists():\n"
        f"        User.objects.create_user(name, f'soak{{n}}@example.org', {SOAK_PASSWORD!r})\n"
    )
    subprocess.run([PYTHON, "-c", script], env=env, cwd=ROOT, check=True)


def request_lines(urls: dict[str, list[str]], total: int, seed: int = 7) -> list[str]:
    """`total` request lines for wrk_mix.lua, in the proportions of the module's docstring."""
    shuffle = random.Random(seed)
    reads = [u for key in ("chapter", "index", "print", "category") for u in urls.get(key, [])]
    stories = sorted(
        {int(m.group(1)) for u in urls.get("index", []) if (m := re.search(r"/(\d+)/", u))}
    )
    if not reads or not stories:
        raise SystemExit("the corpus has no page a guest can read")
    lines = []
    for n in range(total):
        roll = shuffle.random()
        if roll < 0.70:
            url = shuffle.choice(reads)
            if n % 2:
                url += ("&" if "?" in url else "?") + f"utm={n}"
            lines.append(f"GET {url}")
        elif roll < 0.85:
            query = urlencode({"q": f"{shuffle.choice(WORDS)} {n % 500}"})
            lines.append(f"GET /search/?{query}")
        elif roll < 0.90:
            body = urlencode(
                {
                    "username": f"Soak Reader {n % SOAK_MEMBERS}",
                    "password": SOAK_PASSWORD,
                }
            )
            lines.append(f"POST /accounts/login/ {body}")
        elif roll < 0.95:
            lines.append(f"POST /stories/{shuffle.choice(stories)}/kudos/ x=1")
        else:
            body = urlencode({"reason": f"Soak report {n}"})
            lines.append(f"POST /report/story/{shuffle.choice(stories)}/ {body}")
    return lines


def parse_minute(output: str) -> dict[str, int]:
    figures = {"requests": 0, "socket_errors": 0}
    match = re.search(r"(\d+) requests in", output)
    if match:
        figures["requests"] = int(match.group(1))
    match = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if match:
        figures["socket_errors"] = sum(int(n) for n in match.groups())
    for status, count in re.findall(r"^status (\w+) (\d+)$", output, re.M):
        figures[status] = int(count)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10, help="how long (default 10)")
    parser.add_argument("--connections", type=int, default=64, help="wrk -c (default 64)")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t (default 2)")
    parser.add_argument("--stories", type=int, default=300, help="corpus size (default 300)")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default="")
    parser.add_argument("--workers", type=int, default=2, help="granian workers (default 2)")
    parser.add_argument(
        "--web-threads", type=int, default=0, help="threads per worker (fabula serve's default)"
    )
    parser.add_argument("--limits-scale", default="1000", help="FABULA_LIMITS_SCALE (1000)")
    args = parser.parse_args(argv)
    # What running_server reads from serve.py's own arguments.
    args.server, args.page_cache = "granian", "on"

    (OUT / "data" / "static").mkdir(parents=True, exist_ok=True)
    url = database_url(args.database, args)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "FABULA_DATA_DIR": str(OUT / "data"),
        "FABULA_LIMITS_SCALE": args.limits_scale,
    }
    ensure_corpus(args.database, url, env, args.stories)
    make_members(env)
    urls = probe(env, 0)["urls"]
    request_file = OUT / "soak-requests.txt"
    request_file.write_text("\n".join(request_lines(urls, 20_000)) + "\n")

    seconds = max(1, round(args.minutes * 60))
    print(
        f"soak: {args.minutes:g} min, {args.connections} connections, {args.workers} granian "
        f"workers x {args.web_threads or webserver.DEFAULT_THREADS} threads, {args.database}, "
        f"{args.stories} stories; "
        f"FABULA_LIMITS_SCALE={args.limits_scale}",
        flush=True,
    )
    header = f"{'minute':>6} {'requests':>9} {'req/s':>7} {'errors':>7} {'429':>5} {'4xx':>5}"
    print(f"{header}  worker RSS (MB)", flush=True)
    totals = {"requests": 0, "errors": 0, "429": 0}
    rss_rows = []
    server = running_server(args, env)
    with server as port:
        pid = server.process.pid
        rss_rows.append(worker_rss_mb(pid))
        print(
            f"{'start':>6} {'':>9} {'':>7} {'':>7} {'':>5} {'':>5}  {fmt(rss_rows[-1])}", flush=True
        )
        minute = 0
        while seconds > 0:
            run = min(60, seconds)
            seconds -= run
            minute += 1
            done = subprocess.run(
                [
                    "wrk",
                    f"-t{args.threads}",
                    f"-c{args.connections}",
                    f"-d{run}s",
                    "--timeout",
                    "10s",
                    "-s",
                    str(Path(serve.BENCH) / "wrk_mix.lua"),
                    f"http://127.0.0.1:{port}",
                    "--",
                    str(request_file),
                ],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            (OUT / f"soak-minute-{minute}.txt").write_text(done.stdout + done.stderr)
            figures = parse_minute(done.stdout)
            errors = figures.get("5xx", 0) + figures["socket_errors"]
            totals["requests"] += figures["requests"]
            totals["errors"] += errors
            totals["429"] += figures.get("429", 0)
            rss_rows.append(worker_rss_mb(pid))
            print(
                f"{minute:>6} {figures['requests']:>9,} {figures['requests'] / run:>7.0f} "
                f"{errors:>7} {figures.get('429', 0):>5} {figures.get('4xx', 0):>5}  "
                f"{fmt(rss_rows[-1])}",
                flush=True,
            )
    print(
        f"\ntotal: {totals['requests']:,} requests, {totals['errors']} errors, "
        f"{totals['429']} answered 429; "
        f"worker RSS from {fmt(rss_rows[0])} to {fmt(rss_rows[-1])} MB"
    )
    return 1 if totals["errors"] else 0


def fmt(sizes: list[float]) -> str:
    return " ".join(f"{size:.0f}" for size in sizes) or "?"


if __name__ == "__main__":
    sys.exit(main())
