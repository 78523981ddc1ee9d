"""Where one cold page's time goes: the profile that decides what to make faster (issue 18).

    export DATABASE_URL=sqlite:///bench/out/corpus-5000.sqlite3
    .venv/bin/python bench/profile_page.py chapter [--requests 300 --sort cumulative]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fabula_bench \
        .venv/bin/python bench/profile_page.py category

In this process, with the server's settings (DEBUG off, the guest page cache off), it asks for
the page's addresses (`pages.py`, the same shuffle as `serve.py`) through the whole middleware
stack, first timed without a profiler (milliseconds a request: what a worker spends, the
server's own cost aside), then under cProfile. It prints the shares of the big parts (the
middleware's own work, building SQL, running it, rendering templates) and the functions that
cost most, so that a change is chosen by what it saves. With `--templates`, it asks the same
addresses once more and prints each template's own time a request.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The parts of a request, each the cumulative time of the functions named (file fragment,
# function name). They nest (SQL runs inside templates that iterate a queryset), so the shares
# do not add up to the whole: each says what the page would save without that part.
PARTS = {
    "the request through the middleware": [("django/core/handlers/base.py", "get_response")],
    "the view (page cache off: all of it)": [("django/core/handlers/base.py", "_get_response")],
    "building SQL (compiler.as_sql)": [("django/db/models/sql/compiler.py", "as_sql")],
    "running SQL (cursor.execute)": [("django/db/backends/utils.py", "_execute")],
    "model instances from rows (Model.from_db)": [("django/db/models/base.py", "from_db")],
    "rendering templates": [("django/template/backends/django.py", "render")],
    "reversing URLs ({% url %}, reverse)": [("django/urls/base.py", "reverse")],
    "translations (gettext)": [("django/utils/translation/__init__.py", "gettext")],
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "page", help="a page of pages.py (chapter, index, full, print, category…) or search"
    )
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument(
        "--warm", type=int, default=20, help="addresses asked before timing (default 20)"
    )
    parser.add_argument("--top", type=int, default=30, help="functions listed (default 30)")
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    parser.add_argument(
        "--templates",
        action="store_true",
        help="also time each template's own rendering (without the templates it includes)",
    )
    args = parser.parse_args(argv)

    os.environ.update(
        {
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver",
            "FABULA_PAGE_CACHE_SECONDS": "0",
            "FABULA_SCRAPER_PAGES_PER_MINUTE": "0",
            "FABULA_LIMITS_SCALE": "1000",
            "LOG_LEVEL": "ERROR",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabula.settings")
    import django

    django.setup()
    import pages
    from django.test import Client

    from fabula.conf import webserver

    webserver.settle_worker()  # as each of the server's workers does (fabula/wsgi.py)

    if args.page == "search":
        # search.py's full-text list: half phrases, the rest one or two words of the corpus.
        import random
        from urllib.parse import urlencode

        import search

        queries = search.fulltext_queries(args.requests * 2, random.Random(5))
        addresses = ["/search/?" + urlencode({"q": q}) for q in queries]
    else:
        addresses = pages.page_urls()[args.page]
    if not addresses:
        raise SystemExit(f"no addresses for the page {args.page!r}")
    # In serve.py's order, round and round: the first `--warm` fill what every worker keeps
    # (settings, kinds, templates; with a larger --warm, the cards and headers a server that
    # has run a while holds), the next are timed, the next profiled.
    asked = itertools.cycle(addresses)
    client = Client()
    for address in itertools.islice(asked, args.warm):
        client.get(address)
    timed = list(itertools.islice(asked, args.requests))
    profiled = list(itertools.islice(asked, args.requests))

    started, cpu_started = time.perf_counter(), time.process_time()
    statuses: dict[int, int] = {}
    for address in timed:
        status = client.get(address).status_code
        statuses[status] = statuses.get(status, 0) + 1
    elapsed = time.perf_counter() - started
    per_request = elapsed * 1000 / len(timed)
    # CPU time too: on a machine other work shares, it moves less than the clock.
    cpu = (time.process_time() - cpu_started) * 1000 / len(timed)
    print(
        f"{args.page}: {len(timed)} cold requests, {per_request:.2f} ms each in-process "
        f"({cpu:.2f} ms of CPU; statuses {statuses}); two workers at this cost: "
        f"~{2000 / per_request:,.0f} req/s"
    )

    profile = cProfile.Profile()
    profile.enable()
    for address in profiled:
        client.get(address)
    profile.disable()
    stats = pstats.Stats(profile)
    whole = _cumulative(stats, PARTS["the request through the middleware"])
    print("\nShare of a request (cumulative, so parts nest):")
    for part, functions in PARTS.items():
        spent = _cumulative(stats, functions)
        print(f"  {100 * spent / whole:5.1f} %  {part}")
    print()
    stats.sort_stats(args.sort).print_stats(args.top)
    if args.templates:
        _time_templates(client, profiled)
    return 0


def _time_templates(client, addresses: list[str]) -> None:
    """Each template's own time a request: its nodes', without the nodes of the templates it
    extends or includes, which count as theirs (a block counts in the template that wrote it).
    Which template to make cheaper."""
    from django.template.base import Node

    own: dict[str, float] = {}
    stack: list[list] = []  # [name, started, time spent in other templates' nodes below]
    render = Node.render_annotated

    def timed(node, context):
        origin = getattr(node, "origin", None)
        name = origin.template_name if origin is not None else "?"
        if stack and stack[-1][0] == name:
            return render(node, context)  # the same template's node: counted by the outer one
        stack.append([name, time.perf_counter(), 0.0])
        try:
            return render(node, context)
        finally:
            name, started, below = stack.pop()
            spent = time.perf_counter() - started
            own[name] = own.get(name, 0.0) + spent - below
            if stack:
                stack[-1][2] += spent

    Node.render_annotated = timed
    try:
        for address in addresses:
            client.get(address)
    finally:
        Node.render_annotated = render
    print("\nEach template's own time, ms a request:")
    for name, spent in sorted(own.items(), key=lambda item: -item[1]):
        print(f"  {spent * 1000 / len(addresses):6.3f}  {name}")


def _cumulative(stats: pstats.Stats, functions: list[tuple[str, str]]) -> float:
    """The cumulative time of these functions (outermost calls only: cProfile's ct already
    leaves out recursive calls of the same function)."""
    total = 0.0
    for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        if any(filename.endswith(file) and name == function for file, function in functions):
            total += ct
    return total


if __name__ == "__main__":
    raise SystemExit(main())
