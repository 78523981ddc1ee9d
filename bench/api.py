"""The API's speed against issue 13's targets, under granian and wrk, on the benchmark corpus.

    .venv/bin/python bench/api.py                                  # 5,000 stories, SQLite
    .venv/bin/python bench/api.py --stories 1000 --duration 10s    # a smaller corpus

It makes sure the corpus is there (`serve.ensure_corpus`: bench/out/corpus-<N>.sqlite3, or the
PostgreSQL database fabula_bench[_<N>], built once and kept), then, inside Django, takes a
story a guest reads without a gate and full-text searches made from the corpus's own text
(`search.fulltext_queries`). It starts Fabula as `serve.running_server` does (granian, the
production command line, DEBUG off, the guest cache as shipped; FABULA_LIMITS_SCALE raised,
since every wrk connection is one address) and measures with `wrk -t2 -c16`:

1. the story object, /api/v1/stories/N, as a guest asks for it again and again: served from
   the guest cache (target >= 2,000 req/s);
2. the same with `If-None-Match` and its ETag: every answer a 304 (target >= 1,000 req/s);
3. the search page and the search API (a page as long as the page's) over the same shuffled
   queries, taking turns twice, each round on queries of its own (none answered from the
   cache), with 4 connections and a 30 s timeout, so that the latency is a search's and not a
   queue's: their p95 (target: the API's within 10% of the page's); and, inside Django before
   the server starts, 100 of the queries each asked of the page and of the API back to back
   (`paired_searches`), which a load that comes and goes cannot favour either way.

The table says how busy the machine was (load average, and the CPU other processes used while
ours were idle): the figures are only as good as the machine was quiet.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

OBJECT_RPS, NOT_MODIFIED_RPS, SEARCH_P95_RATIO = 2000, 1000, 1.10


def inner(samples: int) -> dict:
    """Inside Django: the story to ask for and the searches to make."""
    import random

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabula.settings")
    import django

    django.setup()
    from search import fulltext_queries, guest_readable

    from fabula.conf.models import site_settings

    queries = fulltext_queries(samples, random.Random(5))
    per_page = site_settings().items_per_page
    return {
        "story": guest_readable()[0],
        "queries": queries,
        # The API's page as long as the search page's, so that both find and show as much.
        "per_page": per_page,
        "paired": paired_searches(queries[:PAIRS], per_page),
    }


PAIRS = 100


def paired_searches(queries: list[str], per_page: int) -> dict:
    """Each query asked of the page and of the API back to back, in turn first (Django's test
    client, one request at a time, no page cache): a load that comes and goes weighs on both
    alike. The p50 and p95 of each, in ms."""
    import statistics
    import time

    from django.test import Client
    from django.test.utils import override_settings
    from search import _percentile

    times: dict[str, list[float]] = {"page": [], "api": []}
    with override_settings(PAGE_CACHE_SECONDS=0):  # (limits scaled by the caller's env)
        client = Client()
        for n, q in enumerate(queries):
            asks = [
                ("page", "/search/?" + urlencode({"q": q})),
                ("api", "/api/v1/search?" + urlencode({"q": q, "per_page": per_page})),
            ]
            for kind, address in asks if n % 2 else asks[::-1]:
                started = time.perf_counter()
                status = client.get(address).status_code
                times[kind].append((time.perf_counter() - started) * 1000)
                assert status == 200, (address, status)
    return {
        kind: {"p50_ms": statistics.median(t), "p95_ms": _percentile(t, 95)}
        for kind, t in times.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default="")
    parser.add_argument("--duration", default="20s", help="wrk -d per measure (default 20s)")
    parser.add_argument("--samples", type=int, default=4000, help="search queries (4000)")
    parser.add_argument(
        "--search-connections", type=int, default=4, help="wrk -c for the searches (4)"
    )
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        print(json.dumps(inner(args.samples)))
        return 0

    import search
    import serve

    url = serve.database_url(args.database, args)
    env = {**os.environ, "DATABASE_URL": url, "FABULA_DATA_DIR": str(serve.OUT / "data")}
    (serve.OUT / "data" / "static").mkdir(parents=True, exist_ok=True)
    serve.ensure_corpus(args.database, url, env, args.stories)
    info = search.run_inner(
        __file__,
        {
            **env,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver",
            # One client asks every search: neither the limits nor the scraper budget apply.
            "FABULA_LIMITS_SCALE": "1000",
            "FABULA_SCRAPER_PAGES_PER_MINUTE": "0",
        },
        args.samples,
    )
    story = f"/api/v1/stories/{info['story']}"
    server = SimpleNamespace(server="granian", workers=2, page_cache="on")
    busy = serve.others_cpu()
    env["FABULA_LIMITS_SCALE"] = "1000"  # every wrk connection is 127.0.0.1
    with serve.running_server(server, env) as port:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{story}") as response:
            etag = response.headers["ETag"]
        measured = {
            "object": search.run_wrk(port, [story], "api-object", args.database, args),
            "304": search.run_wrk(
                port,
                [story],
                "api-object-304",
                args.database,
                args,
                headers=[f"If-None-Match: {etag}"],
            ),
        }
        # The page and the API over the same queries, taking turns (the machine's load moves),
        # with few connections and a long timeout: the latency of a search, not of a queue.
        searches = {
            "search page": ["/search/?" + urlencode({"q": q}) for q in info["queries"]],
            "search API": [
                "/api/v1/search?" + urlencode({"q": q, "per_page": info["per_page"]})
                for q in info["queries"]
            ],
        }
        for round_ in (1, 2):
            for key, urls in searches.items():
                measured[f"{key} {round_}"] = search.run_wrk(
                    port,
                    urls[round_ - 1 :: 2],  # each round its own queries: none served from cache
                    f"{key.replace(' ', '-')}-{round_}",
                    args.database,
                    args,
                    connections=args.search_connections,
                    timeout="30s",
                )
        load = os.getloadavg()
    print_table(args, info, measured, busy, load)
    return 0


def print_table(args, info: dict, measured: dict, busy: float, load: tuple) -> None:
    def f(value, spec: str) -> str:
        return "-" if value is None else format(value, spec)

    def row(label: str, m: dict, target: str, met: bool | None) -> None:
        verdict = "-" if met is None else "yes" if met and not m["errors"] else "NO"
        print(
            f"{label:<24} {f(m['rps'], ',.0f'):>8} {f(m['p50_ms'], '.1f'):>7} "
            f"{f(m['p95_ms'], '.1f'):>7} {f(m['p99_ms'], '.1f'):>7} {m['errors']:>6}  "
            f"{target:<24} {verdict}"
        )

    print()
    print(
        f"{args.database}, {args.stories:,}-story corpus; granian 2 workers, guest cache on; "
        f"wrk -t2 -c16 -d{args.duration} (searches -c{args.search_connections}, by turns, "
        f"{len(info['queries']) // 2:,} shuffled full-text queries a round); story "
        f"{info['story']}"
    )
    print(
        f"machine: 2 cores; others used {busy:.1f} cores just before; load average at the end "
        f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    print(
        f"{'measure':<24} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'failed':>6}  "
        f"{'target':<24} met"
    )
    rps = measured["object"]["rps"] or 0
    row("story object, cached", measured["object"], f">= {OBJECT_RPS:,} req/s", rps >= OBJECT_RPS)
    rps = measured["304"]["rps"] or 0
    row(
        "story object, 304",
        measured["304"],
        f">= {NOT_MODIFIED_RPS:,} req/s",
        rps >= NOT_MODIFIED_RPS,
    )
    paired = info["paired"]
    ratio = paired["api"]["p95_ms"] / paired["page"]["p95_ms"]
    print(
        f"{'searches in pairs':<24} {'':>8} page p50 {paired['page']['p50_ms']:.1f} p95 "
        f"{paired['page']['p95_ms']:.1f} ms; API p50 {paired['api']['p50_ms']:.1f} p95 "
        f"{paired['api']['p95_ms']:.1f} ms ({PAIRS} queries, each asked of both back to back, "
        f"in process, no cache): ratio {ratio:.2f}  {'yes' if ratio <= SEARCH_P95_RATIO else 'NO'}"
    )
    for round_ in (1, 2):
        page, api = measured[f"search page {round_}"], measured[f"search API {round_}"]
        ratio = (
            api["p95_ms"] / page["p95_ms"] if page["p95_ms"] and api["p95_ms"] is not None else None
        )
        row(f"search page, round {round_}", page, "(the reference)", None)
        row(
            f"search API, round {round_}",
            api,
            f"p95 <= {SEARCH_P95_RATIO:.2f} x page: {f(ratio, '.2f')}",
            ratio is not None and ratio <= SEARCH_P95_RATIO,
        )


if __name__ == "__main__":
    sys.exit(main())
