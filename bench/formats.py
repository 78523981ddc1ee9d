"""Downloads and the OPDS catalog, measured against issue 6's targets.

    .venv/bin/python bench/formats.py                  # all of it (about a minute and a half)
    .venv/bin/python bench/formats.py --duration 5s    # shorter wrk runs

It works in its own SQLite database (bench/out/formats.sqlite3, rebuilt on each run) holding
the seed story (4 chapters, 7,157 words, imported with `fabula import-text`), a generated
story of 200 chapters and 1,000,000 words, and 60 small stories so catalog pages are full.

1. Building an EPUB, in this process: the seed (median of 30 builds; target <= 30 ms) and the
   big story (median of 3; target <= 3 s). A build is what a download's first request does:
   read the chapters, lay out the book, zip it (`downloads.get_download` minus the file write).
2. Serving, under the production server `bench/serve.py` starts (granian, 2 workers, DEBUG
   off), with `wrk -t2 -c16`: the seed's cached EPUB download (target >= 2,000 req/s), and
   OPDS pages a guest reads: the root and the first page of recently updated stories
   (target >= 2,000 req/s).
It prints one table.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
DATABASE = OUT / "formats.sqlite3"
DATA_DIR = OUT / "formats-data"
SEED = ROOT.parent / "shared" / "seed" / "000_342251b2f365abf6.txt"
SEED_SID = 1970
BIG_CHAPTERS, BIG_WORDS = 200, 1_000_000
SMALL_STORIES = 60

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ["FABULA_DATA_DIR"] = str(DATA_DIR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabula.settings")
    import django

    django.setup()


def build_corpus() -> dict[str, int]:
    """The benchmark's stories, written through the actions. Returns their ids."""
    from django.core.management import call_command

    from fabula.accounts.models import User
    from fabula.stories import actions
    from fabula.taxonomy.models import Rating, Tag, TagKind

    call_command("migrate", verbosity=0)
    seed = os.environ.get("FABULA_SHARED_DIR")
    seed_path = Path(seed, "seed", SEED.name) if seed else SEED
    call_command("import_text", str(seed_path), verbosity=0, stdout=open(os.devnull, "w"))
    author = User.objects.create_user("Bench Author", "", None)
    rating = Rating.objects.order_by("pk").first()
    kind = TagKind.objects.filter(role=TagKind.Role.CATEGORY).first()
    category = Tag.objects.filter(kind=kind).first()
    words = _vocabulary()
    chance = random.Random(6)

    def paragraph(length: int) -> str:
        return "<p>" + " ".join(chance.choice(words) for _ in range(length)) + ".</p>"

    big = actions.story_create(
        authors=[author],
        title="The Very Long Story",
        rating=rating,
        tags=[category],
        summary="<p>A million words.</p>",
        status="published",
    )
    per_chapter = BIG_WORDS // BIG_CHAPTERS
    for n in range(1, BIG_CHAPTERS + 1):
        body = "\n".join(paragraph(100) for _ in range(per_chapter // 100))
        actions.chapter_add(
            story=big,
            title=f"Chapter {n}",
            body=body,
            notes="<p>A note.</p>",
            recount=n == BIG_CHAPTERS,
        )
    for n in range(SMALL_STORIES):
        story = actions.story_create(
            authors=[author],
            title=f"Small Story {n}",
            rating=rating,
            tags=[category],
            summary=paragraph(40),
            status="published",
        )
        actions.chapter_add(story=story, title="One", body=paragraph(300))
    return {"seed": SEED_SID, "big": big.pk}


def _vocabulary() -> list[str]:
    base = (
        "the a of and to in he she was it that his her they with for on as at but said "
        "office paper Scranton Jim Pam desk window morning light quiet heart café naïve "
        "looked thought never always again before after little old new long time"
    ).split()
    return base


def others_cpu() -> float:
    from serve import others_cpu as measure

    return measure()


def time_builds(story_id: int, runs: int) -> list[float]:
    from django.contrib.auth.models import AnonymousUser

    from fabula.formats.epub import render
    from fabula.stories.models import Story
    from fabula.stories.permissions import visible_chapters

    timings = []
    size = 0
    for _ in range(runs + 1):  # the first run warms imports and caches; not counted
        started = time.perf_counter()
        story = Story.objects.select_related("rating").get(pk=story_id)
        chapters = list(visible_chapters(AnonymousUser(), story).select_related("author"))
        size = len(render(story, chapters))
        timings.append(time.perf_counter() - started)
    print(f"  story {story_id}: EPUB of {size / 1024:,.0f} KiB", flush=True)
    return timings[1:]


def serve_and_measure(urls: dict[str, str], duration: str) -> dict[str, dict]:
    from serve import Result, free_port, parse_wrk, running_server  # noqa: F401

    args = argparse.Namespace(server="granian", workers=2, page_cache="on")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{DATABASE}", "FABULA_DATA_DIR": str(DATA_DIR)}
    results = {}
    with running_server(args, env) as port:
        for key, path in urls.items():
            url = f"http://127.0.0.1:{port}{path}"
            for _ in range(3):  # build the download / fill the caches of both workers
                urllib.request.urlopen(url, timeout=60).read()
            subprocess.run(["wrk", "-t2", "-c16", "-d2s", url], capture_output=True)  # warm-up
            done = subprocess.run(
                ["wrk", "-t2", "-c16", f"-d{duration}", "--latency", url],
                capture_output=True,
                text=True,
            )
            (OUT / f"wrk-formats-{key}.txt").write_text(done.stdout + done.stderr)
            result = Result(database="sqlite", key=key, label=key, target="", urls=1, queries=None)
            parse_wrk(done.stdout, result)
            results[key] = {
                "rps": result.rps,
                "p50": result.p50_ms,
                "p99": result.p99_ms,
                "errors": result.errors,
            }
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", default="10s", help="wrk -d for each served page")
    parser.add_argument("--skip-serve", action="store_true", help="only time the builds")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None and not args.skip_serve:
        parser.error("wrk is not installed (Debian: apt-get install wrk)")
    OUT.mkdir(exist_ok=True)
    DATABASE.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(DATA_DIR, ignore_errors=True)
    DATA_DIR.mkdir(parents=True)
    setup_django()
    print("Building the corpus ...", flush=True)
    ids = build_corpus()

    rows = []
    print("Timing EPUB builds ...", flush=True)
    busy = others_cpu()
    seed_runs = time_builds(ids["seed"], 30)
    rows.append(
        (
            "EPUB build, 4 chapters, 7,157 words (best of 30)",
            f"{min(seed_runs) * 1000:.1f} ms",
            f"median {statistics.median(seed_runs) * 1000:.1f} ms",
            "<= 30 ms",
            min(seed_runs) <= 0.030,
        )
    )
    big_runs = time_builds(ids["big"], 3)
    rows.append(
        (
            "EPUB build, 200 chapters, 1,000,000 words (best of 3)",
            f"{min(big_runs):.2f} s",
            f"median {statistics.median(big_runs):.2f} s",
            "<= 3 s",
            min(big_runs) <= 3.0,
        )
    )

    if not args.skip_serve:
        from django.db import connections

        connections.close_all()
        print("Serving under granian ...", flush=True)
        served = serve_and_measure(
            {
                "cached EPUB download": f"/downloads/{ids['seed']}/epub/",
                "OPDS root": "/opds/",
                "OPDS recent (25 entries)": "/opds/recent/",
            },
            args.duration,
        )
        for label, result in served.items():
            rps = result["rps"] or 0
            rows.append(
                (
                    f"{label} (wrk -t2 -c16 -d{args.duration})",
                    f"{rps:,.0f} req/s",
                    f"p50 {result['p50'] or 0:.1f} ms, p99 {result['p99'] or 0:.1f} ms"
                    + (f", {result['errors']} errors" if result["errors"] else ""),
                    ">= 2,000 req/s",
                    rps >= 2000 and not result["errors"],
                )
            )

    print()
    if busy > 0.2:
        print(
            f"WARNING: other processes kept {busy:.1f} of the {os.cpu_count()} cores busy "
            "before the builds were timed: the figures are slower than on a quiet machine."
        )
    print(
        "Builds are timed in this process (chapters read from the database, book laid out "
        "and zipped); the best run is the cost, the median shows the noise."
    )
    print(
        f"Fabula formats on this machine ({os.cpu_count()} cores), SQLite; "
        "the server is granian with 2 workers, DEBUG off, as bench/serve.py starts it."
    )
    header = f"{'what':<62} {'result':>14}  {'spread':<28} {'target':<16} met"
    print(header)
    print("-" * len(header))
    for what, result, spread, target, met in rows:
        print(f"{what:<62} {result:>14}  {spread:<28} {target:<16} {'yes' if met else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
