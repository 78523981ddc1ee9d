"""How each cost grows with the archive (issue 18, item 5): 5,000, 100,000 and 1,000,000 stories
on PostgreSQL, loaded through the bulk loader.

    .venv/bin/python bench/scale.py                          # 5,000 and 100,000 stories
    .venv/bin/python bench/scale.py --sizes 5000,100000,1000000
    .venv/bin/python bench/scale.py --sizes 5000 --json bench/out/scale.json

For each size it makes sure the PostgreSQL database `fabula_scale_<N>` holds an archive of that
size, built once and kept (the build's figures are kept beside it, in bench/out/scale/):

1. it writes a dump (docs/dump-format.md) of N stories by N/6 members in 60 fandoms, short
   chapters as the issue asks so that a million fits this machine (1 to 3 chapters a story,
   about 300 words each, cut from a pool of generated paragraphs), and
2. times `fabula load-dump DIR`, the whole command as an operator runs it: the loader writes
   every kind in bulk, recounts, then indexes every story for full-text search.

Then, in a child process inside Django (page cache off, DEBUG off, one request at a time with
Django's test client: what a cold page costs, without HTTP in front), it measures p50 and p95
over random samples of: the story page, a chapter page, a category page of 25 cards with the
filter sidebar (a random page of a random fandom), a character tag's page, and full-text search
(half phrases cut from the stories' own text). Last it reports the database's size, the chapter
table's and the search index's sizes, and the build times. The figures for each size are printed
as one table, so that how each cost grows can be read across.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out" / "scale"
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

SHAPE = 1  # bump when the generated archive changes shape, to build kept ones again
FANDOMS = 60
WORDS = 300
PARAGRAPH_POOL = 4000
SAMPLES = 200
TARGETS = {"story": 20.0, "chapter": 20.0, "category": 50.0, "tag": 50.0, "search": 100.0}
LABELS = {
    "story": "story page",
    "chapter": "chapter page",
    "category": "category page (25)",
    "tag": "character tag page",
    "search": "full-text search",
}
RATINGS = (  # id, name, registered_only, weight
    (1, "G", False, 30),
    (2, "PG", False, 30),
    (3, "PG-13", False, 30),
    (4, "R", True, 10),
)
FIRST_DAY = datetime(2005, 1, 1, tzinfo=UTC)


def database_url(stories: int) -> str:
    from serve import POSTGRES_SERVER, create_postgres_database

    url = f"{POSTGRES_SERVER}/fabula_scale_{stories}"
    create_postgres_database(url)
    return url


# ---------------------------------------------------------------------------------------------
# The dump


def write_dump(folder: Path, stories: int, seed: int = 1970) -> dict[str, int]:
    """A dump of `stories` stories in `folder`, streamed file by file (a million stories never
    sit in memory). Returns the records written per kind."""
    from fabula.lib.prose import NAMES, TITLE_NOUNS, Prose

    folder.mkdir(parents=True, exist_ok=True)
    draw = random.Random(seed)
    prose = Prose(seed)
    pool = [p for p in prose.paragraphs(WORDS * PARAGRAPH_POOL // 5)][:PARAGRAPH_POOL]
    members = max(2, stories // 6)
    counts: dict[str, int] = {}

    def lines(name: str, records) -> None:
        with (folder / f"{name}.jsonl").open("w") as out:
            written = 0
            for record in records:
                out.write(json.dumps(record) + "\n")
                written += 1
        counts[name] = written

    (folder / "settings.json").write_text(
        json.dumps({"site_name": "Fabula scale corpus", "slogan": signature(stories)})
    )
    lines(
        "ratings",
        (
            {
                "id": rid,
                "name": name,
                "description": "",
                "order": rid,
                "registered_only": members_only,
                "age_consent": False,
                "warning": False,
                "warning_text": "",
            }
            for rid, name, members_only, _ in RATINGS
        ),
    )
    kinds = (
        ("category", "categories", "Categories", 1),
        ("character", "characters", "Characters", 2),
    )
    lines(
        "tag_kinds",
        itertools.chain(
            (
                {
                    "key": f"kind:{slug}",
                    "slug": slug,
                    "name": name,
                    "role": role,
                    "legacy_id": None,
                    "multiple": True,
                    "required": role == "category",
                    "order": order,
                }
                for role, slug, name, order in kinds
            ),
            [
                {
                    "key": "kind:genres",
                    "slug": "genres",
                    "name": "Genres",
                    "role": "class",
                    "legacy_id": 1,
                    "multiple": True,
                    "required": False,
                    "order": 3,
                }
            ],
        ),
    )
    genres = [f"tag:genres:{n}" for n in range(1, 11)]
    fandoms = []
    tags = []
    for number in range(FANDOMS):
        name = f"{TITLE_NOUNS[number % len(TITLE_NOUNS)]} {number + 1}"
        top = f"cat:{number}"
        tags.append(_tag(top, "kind:categories", name, None))
        subs = []
        for part in ("Canon", "Alternate Universe"):
            key = f"{top}:{part}"
            tags.append(_tag(key, "kind:categories", f"{name}: {part}", top))
            subs.append(key)
        cast = []
        for person in range(40):
            key = f"char:{number}:{person}"
            person_name = f"{draw.choice(NAMES)} {name.split()[0]} {person}"
            tags.append(_tag(key, "kind:characters", person_name, top))
            cast.append(key)
        fandoms.append((top, subs, cast))
    tags += [_tag(key, "kind:genres", f"Genre {key.rsplit(':', 1)[1]}", None) for key in genres]
    lines("tags", iter(tags))
    lines(
        "members",
        (
            {
                "id": n,
                "pen_name": f"Author {n}",
                "real_name": "",
                "email": f"author{n}@example.org",
                "bio": "",
                "website": "",
                "date_joined": FIRST_DAY.isoformat(),
                "password": "",
                "is_active": True,
                "level": "member",
                "trusted": True,
                "age_consent": False,
            }
            for n in range(1, members + 1)
        ),
    )
    lines("challenges", iter(()))
    rating_ids = [r[0] for r in RATINGS]
    rating_weights = [r[3] for r in RATINGS]
    span = int((datetime(2024, 12, 31, tzinfo=UTC) - FIRST_DAY).total_seconds())
    chapter_counts = [draw.choice((1, 1, 2, 2, 3)) for _ in range(stories)]
    authors = [draw.randint(1, members) for _ in range(stories)]

    def story_records():
        for sid in range(1, stories + 1):
            top, subs, cast = fandoms[draw.randrange(FANDOMS)]
            published = FIRST_DAY + timedelta(seconds=draw.randrange(span))
            words = WORDS * chapter_counts[sid - 1]
            yield {
                "id": sid,
                "title": prose.title(),
                "summary": f"<p>{draw.choice(pool)[:240]}</p>",
                "notes": "",
                "rating": draw.choices(rating_ids, rating_weights)[0],
                "authors": [authors[sid - 1]],
                "tags": [draw.choice(subs), *draw.sample(cast, 2), *draw.sample(genres, 2)],
                "status": "published",
                "completed": draw.random() < 0.5,
                "featured": False,
                "language": "en",
                "published_at": published.isoformat(),
                "updated_at": published.isoformat(),
                "word_count": words,
                "read_count": draw.randint(0, 500),
                "archived_at": published.isoformat(),
                "challenges": [],
            }

    lines("stories", story_records())

    def chapter_records():
        chapter_id = 0
        for sid in range(1, stories + 1):
            for position in range(1, chapter_counts[sid - 1] + 1):
                chapter_id += 1
                body = "\n".join(f"<p>{draw.choice(pool)}</p>" for _ in range(5))
                yield {
                    "id": chapter_id,
                    "story": sid,
                    "position": position,
                    "title": f"Chapter {position}",
                    "author": authors[sid - 1],
                    "notes": "",
                    "end_notes": "",
                    "body": body,
                    "status": "published",
                }

    lines("chapters", chapter_records())
    for empty in ("series", "reviews", "favourites", "kudos", "subscriptions", "problems"):
        lines(empty, iter(()))
    (folder / "manifest.json").write_text(
        json.dumps(
            {
                "format": "fabula-dump",
                "version": 1,
                "source": f"bench:scale:{stories}",
                "written_at": datetime.now(UTC).isoformat(),
                "counts": {k: v for k, v in counts.items() if k != "problems"},
                "read": {},
                "problems": 0,
            }
        )
    )
    return counts


def _tag(key: str, kind: str, name: str, parent: str | None) -> dict:
    return {
        "key": key,
        "kind": kind,
        "name": name,
        "parent": parent,
        "synonym_of": None,
        "description": "",
        "locked": False,
        "order": 0,
        "legacy_id": None,
    }


def signature(stories: int) -> str:
    return f"scale corpus: {stories} stories, {WORDS} words a chapter, shape {SHAPE}"


# ---------------------------------------------------------------------------------------------
# Inside Django: the measures


def inner(samples: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabula.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from fabula.conf import webserver
    from fabula.stories.models import Chapter, Story
    from fabula.taxonomy.models import Tag, TagKind

    webserver.settle_worker()  # as each of the server's workers does (fabula/wsgi.py)

    draw = random.Random(7)
    readable = Story.objects.filter(rating__registered_only=False)
    top = readable.order_by("-pk").values_list("pk", flat=True).first() or 0
    story_ids: list[int] = []
    while len(story_ids) < samples:  # random ids without ORDER BY random() over a million rows
        found = readable.filter(pk__gte=draw.randint(1, top)).order_by("pk").values("pk")[:1]
        story_ids += [row["pk"] for row in found]
    chapters = list(
        Chapter.objects.filter(story_id__in=story_ids, position=1).values_list("story_id", "pk")
    )
    fandoms = list(
        Tag.objects.filter(kind__role=TagKind.Role.CATEGORY, parent__isnull=False)
        .annotate(n=Count("stories"))
        .values_list("kind__slug", "pk", "n")
    )
    characters = list(
        Tag.objects.filter(kind__role=TagKind.Role.CHARACTER).values_list("kind__slug", "pk")
    )
    words = [
        w
        for w in " ".join(
            Chapter.objects.filter(pk__in=[pk for _, pk in chapters[:40]]).values_list(
                "body", flat=True
            )
        )
        .replace("<p>", " ")
        .replace("</p>", " ")
        .split()
        if w.isalpha() and len(w) > 3
    ]

    def search_query(n: int) -> str:
        start = draw.randrange(len(words) - 3)
        return f'"{" ".join(words[start : start + 3])}"' if n % 2 else words[start]

    addresses = {
        "story": [reverse("story", args=[pk]) for pk in story_ids],
        "chapter": [reverse("chapter", args=[sid, pk]) for sid, pk in chapters][:samples],
        "category": [
            reverse("browse-tag", args=[slug, pk])
            + f"?page={draw.randint(1, max(1, min(n * 8 // 10 // 25, 400)))}"  # R: members only
            for slug, pk, n in (draw.choice(fandoms) for _ in range(samples))
        ],
        "tag": [reverse("browse-tag", args=list(draw.choice(characters))) for _ in range(samples)],
        "search": [f"/search/?q={search_query(n)}" for n in range(samples)],
    }
    measured = {}
    with override_settings(PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver"], DEBUG=False):
        client = Client()
        for key, urls in addresses.items():
            client.get(urls[0])
            times, statuses = [], {}
            for url in urls:
                started = time.perf_counter()
                status = client.get(url).status_code
                times.append((time.perf_counter() - started) * 1000)
                statuses[str(status)] = statuses.get(str(status), 0) + 1
            measured[key] = {
                "p50_ms": statistics.median(times),
                "p95_ms": _percentile(times, 95),
                "statuses": statuses,
            }
    sizes = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        sizes["database"] = cursor.fetchone()[0]
        for table in ("stories_story", "stories_chapter", "stories_storytag"):
            cursor.execute("SELECT pg_table_size(%s), pg_indexes_size(%s)", [table, table])
            sizes[table] = [int(v) for v in cursor.fetchone()]
        cursor.execute(
            "SELECT coalesce(sum(pg_relation_size(indexrelid)), 0) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE '%%search%%' "
            "OR c.relname LIKE '%%vector%%'"
        )
        sizes["search_indexes"] = int(cursor.fetchone()[0])
    return {
        "stories": Story.objects.count(),
        "chapters": Chapter.objects.count(),
        "measured": measured,
        "sizes": sizes,
    }


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


# ---------------------------------------------------------------------------------------------
# Outside: build once, measure, print


def ensure_archive(stories: int, url: str, env: dict) -> dict:
    """The build's figures: from the kept file if the database already holds this archive,
    else by writing the dump and timing `fabula load-dump` on a new schema."""
    kept = OUT / f"build-{stories}.json"
    if kept.exists():
        figures = json.loads(kept.read_text())
        if figures.get("signature") == signature(stories) and _slogan(env) == signature(stories):
            print(f"{stories:,} stories: kept archive ({url})", flush=True)
            # The code may have gained a migration since the archive was built.
            subprocess.run(
                [PYTHON, "-m", "fabula.cli", "migrate", "-v0"], env=env, cwd=ROOT, check=True
            )
            return figures
    folder = OUT / f"dump-{stories}"
    print(f"{stories:,} stories: writing the dump to {folder}", flush=True)
    started = time.perf_counter()
    write_dump(folder, stories)
    dump_s = time.perf_counter() - started
    _reset_schema(url)
    subprocess.run([PYTHON, "-m", "fabula.cli", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    print(f"{stories:,} stories: fabula load-dump {folder}", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "-m", "fabula.cli", "load-dump", str(folder), "--no-progress"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    load_s = time.perf_counter() - started
    subprocess.run(["psql", url, "-q", "-c", "VACUUM ANALYZE"], check=True)
    figures = {"signature": signature(stories), "dump_s": dump_s, "load_s": load_s}
    kept.write_text(json.dumps(figures))
    return figures


def _slogan(env: dict) -> str | None:
    from serve import corpus_signature

    return corpus_signature(env)


def _reset_schema(url: str) -> None:
    for statement in ("DROP SCHEMA public CASCADE", "CREATE SCHEMA public"):
        subprocess.run(["psql", url, "-q", "-c", statement], check=True, capture_output=True)


def measure(stories: int, samples: int) -> dict:
    url = database_url(stories)
    env = {**os.environ, "DATABASE_URL": url, "FABULA_DATA_DIR": str(BENCH / "out" / "data")}
    build = ensure_archive(stories, url, env)
    done = subprocess.run(
        [PYTHON, __file__, "--inner", "--samples", str(samples)],
        # One client asks hundreds of pages a second: the scraper budget and the rate limits
        # would answer 429. The bench measures pages, not them.
        env={
            **env,
            "DEBUG": "0",
            "FABULA_SCRAPER_PAGES_PER_MINUTE": "0",
            "FABULA_LIMITS_SCALE": "1000",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"measuring {stories:,} stories failed:\n{done.stderr[-4000:]}")
    return {"size": stories, "build": build, **json.loads(done.stdout.strip().splitlines()[-1])}


def print_table(rows: list[dict], samples: int) -> None:
    print(
        "\nPostgreSQL, one request at a time in-process (Django test client, page cache off, "
        f"DEBUG off), {samples} random addresses each; p50 / p95 in ms"
    )
    sizes = [row["size"] for row in rows]
    print(f"{'measure':<22}" + "".join(f"{n:>18,}" for n in sizes) + "   target p95")
    for key, label in LABELS.items():
        for row in rows:
            if set(row["measured"][key]["statuses"]) != {"200"}:
                print(f"{label} at {row['size']:,}: answers {row['measured'][key]['statuses']}")
        cells = "".join(
            f"{row['measured'][key]['p50_ms']:>8.1f} / {row['measured'][key]['p95_ms']:>6.1f}"
            + ("!" if row["measured"][key]["p95_ms"] > TARGETS[key] else " ")
            for row in rows
        )
        print(f"{label:<22}{cells}   <= {TARGETS[key]:g} ms")
    mb = 2**20

    def line(label: str, value) -> None:
        print(f"{label:<22}" + "".join(f"{value(row):>18}" for row in rows))

    line("chapters", lambda r: f"{r['chapters']:,}")
    line("dump written (s)", lambda r: f"{r['build']['dump_s']:.0f}")
    line("load-dump (s)", lambda r: f"{r['build']['load_s']:.0f}")
    line("database (MB)", lambda r: f"{r['sizes']['database'] / mb:,.0f}")
    line(
        "chapter table+idx MB",
        lambda r: "{:,.0f}+{:,.0f}".format(*(v / mb for v in r["sizes"]["stories_chapter"])),
    )
    line("search indexes (MB)", lambda r: f"{r['sizes']['search_indexes'] / mb:,.0f}")
    print("('!' marks a p95 over its target)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5000,100000")
    parser.add_argument("--samples", type=int, default=SAMPLES)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        print(json.dumps(inner(args.samples)))
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    rows = [measure(int(size), args.samples) for size in args.sizes.split(",") if size]
    print_table(rows, args.samples)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
