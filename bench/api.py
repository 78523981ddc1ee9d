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
3. the search API and the search page over the same shuffled queries, one after the other:
   their p95 (target: the API's within 10% of the page's).

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

    return {"story": guest_readable()[0], "queries": fulltext_queries(samples, random.Random(5))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default="")
    parser.add_argument("--duration", default="20s", help="wrk -d per measure (default 20s)")
    parser.add_argument("--samples", type=int, default=4000, help="search queries (4000)")
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
    info = search.run_inner(__file__, env, args.samples)
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
        for key, prefix in (("search page", "/search/?"), ("search API", "/api/v1/search?")):
            urls = [prefix + urlencode({"q": q}) for q in info["queries"]]
            measured[key] = search.run_wrk(port, urls, key.replace(" ", "-"), args.database, args)
        load = os.getloadavg()
    print_table(args, info, measured, busy, load)
    return 0


def print_table(args, info: dict, measured: dict, busy: float, load: tuple) -> None:
    def f(value, spec: str) -> str:
        return "-" if value is None else format(value, spec)

    page_p95 = measured["search page"]["p95_ms"]
    api_p95 = measured["search API"]["p95_ms"]
    targets = {
        "object": (f">= {OBJECT_RPS:,} req/s", (measured["object"]["rps"] or 0) >= OBJECT_RPS),
        "304": (
            f">= {NOT_MODIFIED_RPS:,} req/s",
            (measured["304"]["rps"] or 0) >= NOT_MODIFIED_RPS,
        ),
        "search page": ("(the reference)", None),
        "search API": (
            f"p95 <= {SEARCH_P95_RATIO:.2f} x page",
            page_p95 is not None and api_p95 is not None and api_p95 <= SEARCH_P95_RATIO * page_p95,
        ),
    }
    labels = {
        "object": "story object, cached",
        "304": "story object, 304",
        "search page": "search page",
        "search API": "search API",
    }
    print()
    print(
        f"{args.database}, {args.stories:,}-story corpus; granian 2 workers, guest cache on; "
        f"wrk -t2 -c16 -d{args.duration}; story {info['story']}, "
        f"{len(info['queries']):,} shuffled full-text queries"
    )
    print(
        f"machine: 2 cores; others used {busy:.1f} cores just before; load average at the end "
        f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    print(
        f"{'measure':<24} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'failed':>6}  "
        f"{'target':<22} met"
    )
    for key, label in labels.items():
        m = measured[key]
        target, met = targets[key]
        print(
            f"{label:<24} {f(m['rps'], ',.0f'):>8} {f(m['p50_ms'], '.1f'):>7} "
            f"{f(m['p95_ms'], '.1f'):>7} {f(m['p99_ms'], '.1f'):>7} {m['errors']:>6}  "
            f"{target:<22} {'-' if met is None else 'yes' if met and not m['errors'] else 'NO'}"
        )


if __name__ == "__main__":
    sys.exit(main())
