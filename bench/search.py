"""Search benchmarks against DESIGN.md §4 and issue 5's targets, on SQLite and PostgreSQL.

    .venv/bin/python bench/search.py                          # full size: 5,000 stories
    .venv/bin/python bench/search.py --stories 1000 --duration 10s

For each database it uses (building it once if missing) the corpus `bench/serve.py` keeps
(bench/out/corpus-<N>.sqlite3, PostgreSQL fabula_bench or fabula_bench_<N>), then, inside
Django (`--inner`, a subprocess per database):

1. times `fabula.search.indexing.rebuild()`, the whole index written again;
2. times indexing one new chapter of 1,550 words (`index_chapters`, 20 times, each rolled back);
3. writes the addresses to request: full-text searches made from the corpus's own text (half
   three-word "exact phrases", a third two-word searches, the rest single names or words), title
   searches (`title:` + a word of a real title) and filtered browse pages (a category's page with
   two included tags and one excluded tag, taken from a real story so they match something);
4. measures each kind in-process, page cache off (Django's test client, p50/p95 of 100
   requests each), which is what one request costs without any HTTP in front.

Then it starts Fabula under granian (DEBUG off, guest page cache as shipped) with
`bench/serve.py`'s `running_server` and runs `wrk -t2 -c16` twice per kind: on the list's first
address alone, the way DESIGN.md §4 measured eFiction (one query asked again and again, which
Fabula's guest page cache answers after the first time), and over the whole list, long and
shuffled, so that nearly every request runs its search and builds its page. The table compares
the figures with their targets; the build time is also given scaled to 21,000 chapters when the
corpus is smaller.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out" / "search"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

FULL_CHAPTERS = 21_000
TARGETS = {
    "fulltext": ("full-text search", ">= 500 req/s, p95 <= 20 ms", 500, 20.0),
    "title": ("title search", ">= 2,400 req/s", 2400, None),
    "browse": ("filtered browse (2+1)", ">= 2,400 req/s", 2400, None),
}
BUILD_TARGET_S = 300
CHAPTER_TARGET_MS = 50


# ---------------------------------------------------------------------------------------------
# Inside Django, on one database


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))]


def guest_readable() -> list[int]:
    """The stories a guest reads without a gate (inside Django)."""
    from django.contrib.auth.models import AnonymousUser

    from fabula.stories.permissions import listed_stories

    return list(
        listed_stories(AnonymousUser())
        .filter(rating__age_consent=False, rating__warning=False)
        .values_list("pk", flat=True)
    )


def fulltext_queries(samples: int, random_: random.Random) -> list[str]:
    """Full-text searches made from the corpus's own text (inside Django): half three-word
    "exact phrases", a third two-word searches, the rest single words."""
    from fabula.lib.html import html_to_plain
    from fabula.search.query import words_of
    from fabula.stories.models import Chapter

    readable = guest_readable()
    sample_chapters = list(
        Chapter.objects.filter(
            story_id__in=random_.sample(readable, min(400, len(readable)))
        ).values_list("body", flat=True)[:400]
    )
    queries = []
    for n in range(samples):
        words = words_of(html_to_plain(random_.choice(sample_chapters)))
        start = random_.randrange(0, max(1, len(words) - 3))
        kind = n % 6
        if kind < 3:
            queries.append('"' + " ".join(words[start : start + 3]) + '"')
        elif kind < 5:
            queries.append(f"{random_.choice(words)} {random_.choice(words)}")
        else:
            queries.append(random_.choice(words))
    return queries


def inner(stories_wanted: int, samples: int, keep_index: bool = False, kinds: str = "") -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabula.settings")
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from fabula.lib.prose import Prose
    from fabula.search import indexing
    from fabula.search.backends import backend
    from fabula.search.query import words_of
    from fabula.stories import actions
    from fabula.stories.models import Story, StoryTag
    from fabula.stories.permissions import listed_stories
    from fabula.taxonomy.models import TagKind

    call_command("migrate", interactive=False, verbosity=0)
    random_ = random.Random(5)

    if keep_index:
        # The corpus is shared with other benches: measure its index as it is, write nothing.
        chapters, build_s = backend().count(), None
    else:
        started = time.perf_counter()
        chapters = indexing.rebuild()
        build_s = time.perf_counter() - started

    story = Story.objects.filter(status="published").order_by("pk")[7]
    prose = Prose(11)
    chapter_ms = []
    for n in range(0 if keep_index else 20):
        body = prose.chapter_html(1550)
        with transaction.atomic():
            chapter = actions.chapter_add(story=story, title=f"Bench {n}", body=body)
            started = time.perf_counter()
            indexing.index_chapters([chapter.pk])
            chapter_ms.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)

    guest_listed = listed_stories(AnonymousUser())
    readable = guest_readable()
    fulltext = ["/search/?" + urlencode({"q": q}) for q in fulltext_queries(samples, random_)]
    titles = list(guest_listed.values_list("title", flat=True))
    title_urls = []
    for _ in range(samples):
        word = random_.choice(words_of(random_.choice(titles)) or ("the",))
        title_urls.append("/search/?" + urlencode({"q": f"title:{word}"}))

    category_kind = TagKind.objects.get(role=TagKind.Role.CATEGORY)
    by_story: dict[int, list[tuple[int, str, str]]] = {}
    for story_id, tag_id, role, slug in StoryTag.objects.filter(story_id__in=readable).values_list(
        "story_id", "tag_id", "tag__kind__role", "tag__kind__slug"
    ):
        by_story.setdefault(story_id, []).append((tag_id, role, slug))
    warnings = list(
        StoryTag.objects.filter(tag__kind__slug__icontains="warning")
        .values_list("tag_id", flat=True)
        .distinct()
    )
    browse = []
    story_ids = list(by_story)
    while len(browse) < samples and story_ids:
        tags = by_story[random_.choice(story_ids)]
        categories = [t for t, role, _ in tags if role == TagKind.Role.CATEGORY]
        others = [t for t, role, _ in tags if role != TagKind.Role.CATEGORY]
        if not categories or len(others) < 2:
            continue
        included = random_.sample(others, 2)
        excluded = [w for w in warnings if w not in {t for t, _, _ in tags}]
        params = [("tag", included[0]), ("tag", included[1])]
        if excluded:
            params.append(("xtag", random_.choice(excluded)))
        browse.append(f"/browse/{category_kind.slug}/{categories[0]}/?{urlencode(params)}")

    lists = {"fulltext": fulltext, "title": title_urls, "browse": browse}
    if kinds:
        lists = {key: urls for key, urls in lists.items() if key in kinds.split(",")}
    measured = {}
    setup_test_environment()  # so that responses carry their template context
    with override_settings(PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver"], DEBUG=False):
        client = Client()
        for key, urls in lists.items():
            client.get(urls[0])  # templates loaded, connection open
            times, statuses, found = [], {}, 0
            for url in urls[:100]:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if key != "browse" and response.status_code == 200:
                    found += response.context["results"].total > 0
            measured[key] = {
                "p50_ms": statistics.median(times),
                "p95_ms": _percentile(times, 95),
                "statuses": {str(k): v for k, v in statuses.items()},
                "with_results": found,
            }
    return {
        "stories": Story.objects.count(),
        "chapters_indexed": chapters,
        "words": sum(Story.objects.values_list("word_count", flat=True)),
        "build_s": build_s,
        "chapter_ms": (
            {"median": statistics.median(chapter_ms), "p95": _percentile(chapter_ms, 95)}
            if chapter_ms
            else None
        ),
        "lists": lists,
        "in_process": measured,
    }


# ---------------------------------------------------------------------------------------------
# Outside: corpus, server, wrk, table


def database_url(database: str, stories: int, args=None) -> str:
    """The corpus `serve.py` builds and keeps: searching it changes nothing but the index, which
    the measure rebuilds the same. `--sqlite-url`/`--postgres-url` name another (a worktree
    measuring the main checkout's corpus)."""
    import serve

    given = getattr(args, f"{database}_url", "") if args is not None else ""
    if given:
        return given
    return serve.database_url(database, SimpleNamespace(stories=stories, postgres_url=""))


def run_wrk(
    port: int,
    urls: list[str],
    key: str,
    database: str,
    args,
    headers: Sequence[str] = (),
    connections: int = 16,
    timeout: str = "2s",
) -> dict:
    """wrk over `urls` (shuffled, bench/wrk_urls.lua), with these headers on every request:
    requests per second, p50, p95 and p99 in ms, failures."""
    import serve  # bench/ is on sys.path when run as a script

    OUT.mkdir(parents=True, exist_ok=True)
    url_file = OUT / f"urls-{database}-{key}-{len(urls)}.txt"
    url_file.write_text("\n".join(urls) + "\n")

    def wrk(duration: str) -> subprocess.CompletedProcess:
        return serve.run_wrk(
            port, url_file, duration, connections=connections, headers=headers, timeout=timeout
        )

    wrk("2s")  # uncounted: every worker opens its connection and loads its templates
    done = wrk(args.duration)
    (OUT / f"wrk-{database}-{key}-{len(urls)}.txt").write_text(done.stdout + done.stderr)
    from serve import Result, parse_wrk

    result = Result(database=database, key=key, label=key, target="", urls=len(urls), queries=None)
    parse_wrk(done.stdout, result)
    p95 = None
    for line in done.stdout.splitlines():
        if line.startswith("p95_us "):
            p95 = int(line.split()[1]) / 1000
    return {
        "rps": result.rps,
        "p50_ms": result.p50_ms,
        "p95_ms": p95,
        "p99_ms": result.p99_ms,
        "errors": result.errors,
        "requests": result.requests,
    }


def run_inner(script: str, env: dict, samples: int, extra: Sequence[str] = ()) -> dict:
    """Run a benchmark's `--inner` half (inside Django, on the corpus `env` names) and return
    the JSON it printed last."""
    done = subprocess.run(
        [sys.executable, script, "--inner", "--samples", str(samples), *extra],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"inner run failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def outer(args) -> int:
    from serve import ensure_corpus, running_server

    rows = []
    for database in [d for d in args.databases.split(",") if d]:
        url = database_url(database, args.stories, args)
        env = {**os.environ, "DATABASE_URL": url, "FABULA_DATA_DIR": str(BENCH / "out" / "data")}
        if args.keep_index:
            from serve import corpus_signature

            if corpus_signature(env) is None:  # never build (nor reset) a shared corpus
                raise SystemExit(f"{database}: no corpus at {url} (--keep-index builds none)")
        else:
            ensure_corpus(database, url, env, args.stories)
        print(f"{database}: indexing and measuring inside Django…", flush=True)
        inner_env = {
            **env,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
            "FABULA_LIMITS_SCALE": "1000",  # the test client is one guest asking 300 searches
        }
        extra = [*(["--keep-index"] if args.keep_index else []), "--only", args.only]
        info = run_inner(__file__, inner_env, args.samples, extra)
        server_args = SimpleNamespace(server="granian", workers=2, page_cache=args.page_cache)
        with running_server(server_args, env) as port:
            # Each list twice: its first address alone, as DESIGN.md §4 measured eFiction (one
            # query, asked again and again: the guest page cache answers all but the first), and
            # every address in a shuffled order (nearly every request runs its search).
            http = {
                (key, spread): run_wrk(port, urls if spread else urls[:1], key, database, args)
                for key, urls in info["lists"].items()
                for spread in ((True,) if args.spread_only else (False, True))
            }
        rows.append((database, info, http))
        print_rows([rows[-1]], args, header=len(rows) == 1)
    print()
    print_table(rows, args)
    if args.json:
        from serve import write_json

        write_json(
            args.json,
            [
                {
                    "database": database,
                    "stories": info["stories"],
                    "in_process": info["in_process"],
                    "build_s": info["build_s"],
                    "spread": {key: http[key, True] for key in info["lists"]},
                    "one": {key: http.get((key, False)) for key in info["lists"]},
                }
                for database, info, http in rows
            ],
        )
    return 0


def _fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def print_rows(rows, args, header: bool) -> None:
    if header:
        print(
            f"{'database':<9} {'measure':<24} {'URLs':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p99 ms':>7}  {'target':<28} met"
        )
    for database, info, http in rows:
        for key, (label, target, min_rps, max_p95) in TARGETS.items():
            if key not in info["lists"]:
                continue
            for spread in (False, True):
                if (key, spread) not in http:
                    continue
                h = http[key, spread]
                failed = f" ({h['errors']} failed)" if h["errors"] else ""
                met = (
                    h["errors"] == 0
                    and (h["rps"] or 0) >= min_rps
                    and (max_p95 is None or (h["p95_ms"] or 1e9) <= max_p95)
                )
                urls = len(info["lists"][key]) if spread else 1
                print(
                    f"{database:<9} {label:<24} {urls:>5} {_fmt(h['rps'], ',.0f'):>7} "
                    f"{_fmt(h['p50_ms'], '.1f'):>7} {_fmt(h['p95_ms'], '.1f'):>7} "
                    f"{_fmt(h['p99_ms'], '.1f'):>7}  {target:<28} {'yes' if met else 'NO'}{failed}"
                )
            p = info["in_process"][key]
            print(
                f"{database:<9} {label:<24} {'1 by 1':>5} {'':>7} {p['p50_ms']:>7.1f} "
                f"{p['p95_ms']:>7.1f} {'':>7}  one request at a time, no page cache"
            )
        if info["build_s"] is None:  # --keep-index: nothing built nor indexed
            continue
        scale = FULL_CHAPTERS / max(info["chapters_indexed"], 1)
        build = info["build_s"]
        scaled = (
            f" (x{scale:.1f} -> {build * scale:.0f} s at 21,000 chapters)" if scale > 1.05 else ""
        )
        print(
            f"{database:<9} {'whole index build':<24} {build:>7.1f} s{scaled}  "
            f"target <= {BUILD_TARGET_S} s  "
            f"{'yes' if build * max(scale, 1) <= BUILD_TARGET_S else 'NO'}"
        )
        ch = info["chapter_ms"]
        print(
            f"{database:<9} {'index one new chapter':<24} median {ch['median']:.1f} ms, "
            f"p95 {ch['p95']:.1f} ms  target <= {CHAPTER_TARGET_MS} ms  "
            f"{'yes' if ch['p95'] <= CHAPTER_TARGET_MS else 'NO'}"
        )


def print_table(rows, args) -> None:
    for database, info, _ in rows:
        print(
            f"{database}: {info['stories']:,} stories, {info['chapters_indexed']:,} chapters "
            f"indexed, {info['words'] / 1e6:.1f} M words; "
            + ", ".join(
                f"{k}: {v['with_results']}/100 with results"
                for k, v in info["in_process"].items()
                if k != "browse"
            )
        )
    print(
        f"granian, 2 workers, DEBUG off, guest page cache {args.page_cache}; "
        f"wrk -t2 -c16 -d{args.duration} over one address, then over {args.samples} shuffled "
        f"addresses per measure; '1 by 1' = in-process, Django test client, page cache off, "
        f"100 requests one after the other."
    )
    print_rows(rows, args, header=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--duration", default="20s")
    parser.add_argument("--samples", type=int, default=2000, help="addresses per measure")
    parser.add_argument("--page-cache", choices=("on", "off"), default="on")
    parser.add_argument("--json", help="also write the figures to this file (bench/report.py)")
    parser.add_argument(
        "--keep-index",
        action="store_true",
        help="measure the corpus's index as it is: no rebuild, no chapter indexed (shared corpus)",
    )
    parser.add_argument(
        "--only", default="", help="these measures alone, comma-separated: fulltext,title,browse"
    )
    parser.add_argument("--sqlite-url", default="", help="the SQLite corpus, if not bench/out's")
    parser.add_argument(
        "--postgres-url", default="", help="the PostgreSQL corpus, if not the usual"
    )
    parser.add_argument(
        "--spread-only",
        action="store_true",
        help="wrk over the whole shuffled list only, not over its first address alone",
    )
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        print(json.dumps(inner(args.stories, args.samples, args.keep_index, args.only)))
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    return outer(args)


if __name__ == "__main__":
    sys.exit(main())
