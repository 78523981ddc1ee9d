"""What the index of adjacent word pairs saves a phrase search on PostgreSQL (issue 18, item 3).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fabula_bench \
        .venv/bin/python bench/phrase_pairs.py [--queries 400]

Inside Django, on the corpus named, it times `results.find` (the matching and ranking of one
search, as a guest) for the "exact phrases" among search.py's full-text queries, each once with
the pairs (`body_pairs`, migration 0004) and once without, in turn, so that a busy machine
weighs on both alike; and it says whether both found the same stories. It writes nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=400, help="full-text queries drawn")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabula.settings")
    import django

    django.setup()
    import search
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from fabula.search import results
    from fabula.search.backends import postgres
    from fabula.search.query import parse
    from fabula.stories.permissions import listed_stories

    if connection.vendor != "postgresql":
        raise SystemExit("the pairs index is PostgreSQL's: give a postgres:// DATABASE_URL")
    stories = listed_stories(AnonymousUser())
    phrases = [
        q
        for q in search.fulltext_queries(args.queries, random.Random(args.seed))
        if q.startswith('"')
    ]
    with_pairs = postgres._pairs
    times: dict[str, list[float]] = {"with pairs": [], "without": []}
    differ = 0
    for n, phrase in enumerate(phrases):
        query = parse(phrase)
        found = {}
        ways = [("with pairs", with_pairs), ("without", lambda terms: {})]
        for name, pairs in ways if n % 2 else reversed(ways):
            postgres._pairs = pairs  # type: ignore[assignment]
            started = time.perf_counter()
            found[name] = results.find(stories, query)
            times[name].append((time.perf_counter() - started) * 1000)
        postgres._pairs = with_pairs
        a, b = found["with pairs"], found["without"]
        differ += set(a.ranked) != set(b.ranked) or a.first_chapter != b.first_chapter
    for name, values in times.items():
        ordered = sorted(values)
        print(
            f"{name:<10} {len(values)} phrases: find() median {statistics.median(values):.1f} ms, "
            f"mean {statistics.mean(values):.1f} ms, p95 {ordered[int(len(ordered) * 0.95)]:.1f} ms"
        )
    print(f"stories found differ for {differ} of {len(phrases)} phrases")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
