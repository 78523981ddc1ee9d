r"""The benchmark corpus: an archive the size of the eFiction one DESIGN.md §4 was measured on.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/corpus.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fabula_bench \
        .venv/bin/python bench/corpus.py --stories 300

By default: 5,000 stories, 21,000 chapters of about 1,550 words (33 million words in all), by
833 authors, in 12 fandoms of 3 sub-categories each, with characters and pairings, the demo's
five ratings (R for members only, NC-17 behind an age gate and a warning), genres, warnings and
series (some nested). `--stories 300` scales everything down in proportion for a quick run.

The same arguments always give the same archive (a fixed seed). Everything is written through
the actions, as the site itself writes, so the counts the pages show (words, chapters) are the
ones the actions keep, and the search index is the one the actions feed. That is fast enough
(minutes for the full size on 2 cores, not an hour): the chapters of a batch of stories are
written in one transaction, so PostgreSQL does not wait for the disk after each chapter and the
search index is fed once per batch, and `recount=False` spares a SUM over a story's chapters
after each one (the story is counted once, after its last chapter).

The database is migrated first. A database that already holds stories is refused unless
`--reset` is given, which deletes everything in it first (every table, not only the stories).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_STORIES = 5000
CHAPTERS_PER_STORY = 4.2  # 21,000 chapters for 5,000 stories, as in DESIGN.md §4
DEFAULT_WORDS = 1550  # a chapter's mean length; lengths run from 40% to 160% of it
SEED = 1970
# Bump when the corpus changes shape, so that serve.py builds a kept corpus again.
VERSION = 3  # 3: nouns with a long tail of rare compounds (fabula.lib.prose)
FIRST_DAY = datetime(2005, 1, 1, tzinfo=UTC)
LAST_DAY = datetime(2024, 12, 31, tzinfo=UTC)
BATCH = 50  # stories per transaction
RATING_WEIGHTS = {"G": 20, "PG": 25, "PG-13": 30, "R": 15, "NC-17": 10}
SURNAMES = (
    "Ashdown",
    "Bellweather",
    "Carrow",
    "Dunmore",
    "Elsworth",
    "Fairley",
    "Greaves",
    "Hollis",
    "Ingram",
    "Jessop",
    "Kettering",
    "Lowell",
    "Marchbank",
    "Norcross",
    "Oakes",
    "Pennick",
    "Quayle",
    "Rendell",
    "Stroud",
    "Thorne",
)
FANDOM_WORDS = (
    "Chronicles",
    "Saga",
    "Mysteries",
    "Academy",
    "Legends",
    "Station",
    "Files",
    "Kingdom",
    "Company",
    "Expedition",
    "Inheritance",
    "Archive",
)


@dataclass
class Corpus:
    stories: int
    chapters: int
    words: int
    authors: int
    categories: int
    characters: int
    series: int
    seconds: float


def signature(stories: int, chapters: int, words: int, seed: int) -> str:
    """What the corpus was built from; kept as the site's slogan, read back by serve.py."""
    return (
        f"benchmark corpus v{VERSION}: {stories} stories, {chapters} chapters, "
        f"{words} words, seed {seed}"
    )


def corpus_shape(stories: int, chapters: int | None = None) -> tuple[int, int, int]:
    """(chapters, authors, fandoms) for a corpus of `stories` stories."""
    chapters = round(stories * CHAPTERS_PER_STORY) if chapters is None else chapters
    if chapters < stories:
        raise ValueError("Every story needs at least one chapter: give at least as many chapters.")
    return chapters, max(5, stories // 6), min(12, max(3, stories // 400))


def build_corpus(
    *,
    stories: int = DEFAULT_STORIES,
    chapters: int | None = None,
    words: int = DEFAULT_WORDS,
    seed: int = SEED,
    progress: Callable[[str], None] = lambda line: None,
) -> Corpus:
    """Write the corpus into the (configured, migrated, empty) database."""
    from django.db import transaction

    from fabula.accounts.models import User
    from fabula.conf.models import SiteSettings
    from fabula.lib.prose import NAMES, TITLE_NOUNS, Prose
    from fabula.stories import actions
    from fabula.stories.management.commands.demo import GENRES, RATINGS, WARNINGS
    from fabula.stories.models import Status
    from fabula.taxonomy import actions as taxonomy
    from fabula.taxonomy.models import TagKind

    started = time.monotonic()
    chapters, author_count, fandom_count = corpus_shape(stories, chapters)
    random_ = random.Random(seed)
    prose = Prose(seed)

    progress(f"taxonomy and {author_count} authors")
    with transaction.atomic():
        site = SiteSettings.objects.filter(pk=1).first() or SiteSettings(pk=1)
        site.site_name = "Fabula benchmark corpus"
        site.slogan = signature(stories, chapters, words, seed)
        site.save()
        ratings = [taxonomy.rating_get_or_create(**spec) for spec in RATINGS]
        rating_weights = [RATING_WEIGHTS[rating.name] for rating in ratings]
        category_kind = taxonomy.kind_get_or_create(name="Categories", role=TagKind.Role.CATEGORY)
        character_kind = taxonomy.kind_get_or_create(name="Characters", role=TagKind.Role.CHARACTER)
        genre_kind = taxonomy.kind_get_or_create(
            name="Genres", role=TagKind.Role.CLASS, legacy_id=1
        )
        warning_kind = taxonomy.kind_get_or_create(
            name="Warnings", role=TagKind.Role.CLASS, legacy_id=2
        )
        genres = [taxonomy.tag_get_or_create(kind=genre_kind, name=name) for name in GENRES]
        warnings = [taxonomy.tag_get_or_create(kind=warning_kind, name=name) for name in WARNINGS]
        fandoms = []
        taken: set[str] = set()
        for number in range(fandom_count):
            name = (
                f"{TITLE_NOUNS[number % len(TITLE_NOUNS)]} "
                f"{FANDOM_WORDS[number % len(FANDOM_WORDS)]}"
            )
            top = taxonomy.tag_get_or_create(kind=category_kind, name=name)
            subs = [
                taxonomy.tag_get_or_create(kind=category_kind, name=f"{name}: {part}", parent=top)
                for part in ("Canon", "Alternate Universe", "Missing Scenes")
            ]
            cast = []
            while len(cast) < 10:  # a name belongs to one fandom only
                person = f"{random_.choice(NAMES)} {random_.choice(SURNAMES)}"
                if person not in taken:
                    taken.add(person)
                    cast.append(person)
            characters = [
                taxonomy.tag_get_or_create(kind=character_kind, name=person, parent=top)
                for person in cast
            ]
            pairings = [  # "Mara/Tobias": the short form eFiction archives used
                taxonomy.tag_get_or_create(kind=character_kind, name=pair, parent=top)
                for pair in dict.fromkeys(
                    "/".join(person.split()[0] for person in random_.sample(cast, 2))
                    for _ in range(3)
                )
            ]
            fandoms.append((top, subs, characters, pairings, cast))
        authors = [
            User.objects.create_user(
                f"{prose.title()} {number}",
                f"author{number}@example.org",
                None,
                date_joined=FIRST_DAY,
            )
            for number in range(1, author_count + 1)
        ]

    # Some authors write a lot: each story's author is drawn with a long-tailed weight.
    author_weights = [random_.paretovariate(1.2) for _ in authors]
    story_authors = random_.choices(authors, weights=author_weights, k=stories)
    chapter_counts = story_lengths(random_, stories, chapters)
    span = int((LAST_DAY - FIRST_DAY).total_seconds())
    published = sorted(
        FIRST_DAY + timedelta(seconds=random_.randrange(span)) for _ in range(stories)
    )

    written = word_total = 0
    by_author: dict[int, list] = {}
    for start in range(0, stories, BATCH):
        with transaction.atomic():
            for index in range(start, min(start + BATCH, stories)):
                author = story_authors[index]
                top, subs, characters, pairings, cast = random_.choice(fandoms)
                text = Prose(random_.getrandbits(32), names=cast)
                count = chapter_counts[index]
                age = (LAST_DAY - published[index]).days
                tags = [random_.choice(subs) if random_.random() < 0.85 else top]
                if random_.random() < 0.3:
                    tags.append(random_.choice(pairings))
                tags += random_.sample(characters, random_.randint(1, 3))
                tags += random_.sample(genres, random_.randint(1, 3))
                tags += random_.sample(
                    warnings, random_.choices([0, 1, 2], weights=[60, 30, 10])[0]
                )
                story = actions.story_create(
                    authors=[author],
                    title=text.title(),
                    rating=random_.choices(ratings, weights=rating_weights)[0],
                    summary=text.summary(),
                    notes=text.note() if random_.random() < 0.2 else "",
                    tags=tags,
                    status=Status.PUBLISHED,
                    completed=random_.random() < 0.55,
                    featured=random_.random() < 0.01,
                    published_at=published[index],
                    updated_at=published[index]
                    + timedelta(days=random_.randint(0, min(age, 30 * count))),
                    read_count=random_.randint(0, 40 * count + age // 4),
                )
                for position in range(1, count + 1):
                    actions.chapter_add(
                        story=story,
                        title=text.chapter_title(position) if count > 1 else story.title,
                        body=text.chapter_html(random_.randint(words * 4 // 10, words * 16 // 10)),
                        notes=text.note() if random_.random() < 0.15 else "",
                        end_notes=text.note() if random_.random() < 0.1 else "",
                        status=Status.PUBLISHED,
                        position=position,
                        recount=False,  # counted once below, keeping the dates above
                    )
                actions.story_recount(story=story)
                written += count
                word_total += story.word_count
                by_author.setdefault(author.pk, []).append(story)
        done = min(start + BATCH, stories)
        elapsed = time.monotonic() - started
        progress(
            f"{done:>6,}/{stories:,} stories  {written:>7,} chapters  "
            f"{word_total / 1e6:6.1f} M words  {elapsed:6.0f} s"
        )

    series_count = _write_series(random_, authors, by_author, target=max(2, stories // 25))
    _analyze()
    return Corpus(
        stories=stories,
        chapters=written,
        words=word_total,
        authors=author_count,
        categories=category_kind.tags.count(),
        characters=character_kind.tags.count(),
        series=series_count,
        seconds=time.monotonic() - started,
    )


def story_lengths(random_: random.Random, stories: int, chapters: int) -> list[int]:
    """Chapters per story, adding up to `chapters`: as on a real archive, many one-shots, most
    stories short, a few long ones (a story of 40 chapters is rare, of 100 there is none).

    The length of the story a reader opens matters: a chapter page lists the story's
    chapters, and a chapter picked at random is more likely to be in a long story.
    """
    mean = chapters / stories
    one_shots = 0.45 if mean > 1.5 else 1 - min(1.0, mean - 1)  # the share of one-shots
    # Stories of several chapters have 2 + an exponentially distributed number more.
    extra = max(0.0, (mean - one_shots) / (1 - one_shots) - 2) if one_shots < 1 else 0.0

    def length() -> int:
        if random_.random() < one_shots:
            return 1
        return 2 + (min(98, int(random_.expovariate(1 / extra))) if extra else 0)

    lengths = [length() for _ in range(stories)]
    # Nudge stories that already have several chapters until the total is exact.
    total = sum(lengths)
    while total != chapters:
        index = random_.randrange(stories)
        if (
            total < chapters
            and (lengths[index] > 1 or random_.random() < 0.05)
            and lengths[index] < 100
        ):
            lengths[index] += 1
            total += 1
        elif total > chapters and lengths[index] > 1:
            lengths[index] -= 1
            total -= 1
    return lengths


def _write_series(random_: random.Random, authors, by_author: dict[int, list], target: int) -> int:
    """Series of 2 to 5 stories by their owner; every fifth holds a sub-series of its own."""
    from django.db import transaction

    from fabula.stories import actions

    made = 0
    with transaction.atomic():
        for author in authors:
            works = by_author.get(author.pk, [])
            if len(works) < 2 or made >= target:
                continue
            outer = actions.series_create(owner=author, title=f"The {works[0].title} Series")
            made += 1
            size = random_.randint(2, min(5, len(works)))
            for story in works[:size]:
                actions.series_add(series=outer, story=story)
            rest = works[size:]
            if made % 5 == 0 and len(rest) >= 2:
                inner = actions.series_create(owner=author, title=f"{rest[0].title}: Side Stories")
                made += 1
                actions.series_add(series=outer, subseries=inner)
                for story in rest[:3]:
                    actions.series_add(series=inner, story=story)
    return made


def _analyze() -> None:
    """Give the query planner fresh statistics, as any real archive would have."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _recreate_database() -> None:
    """Start from nothing: a migration edited since the last build must run again, so emptying
    the tables is not enough. SQLite: a new file. PostgreSQL: a new `public` schema."""
    from django.db import connection

    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        connection.close()
        for leftover in (
            path,
            path.with_name(path.name + "-wal"),
            path.with_name(path.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=DEFAULT_STORIES)
    parser.add_argument(
        "--chapters",
        type=int,
        default=None,
        help=f"total chapters (default: {CHAPTERS_PER_STORY} per story)",
    )
    parser.add_argument("--words", type=int, default=DEFAULT_WORDS, help="mean words per chapter")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--reset", action="store_true", help="empty a database that holds stories")
    args = parser.parse_args(argv)
    if args.stories < 1:
        parser.error("--stories must be at least 1")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabula.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from fabula.stories.models import Story

    database = settings.DATABASES["default"]
    print(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}", flush=True)
    if args.reset:
        _recreate_database()
    call_command("migrate", interactive=False, verbosity=0)
    if Story.objects.exists():
        print(
            f"The database already holds {Story.objects.count():,} stories; give --reset to "
            "start it again from nothing.",
            file=sys.stderr,
        )
        return 2
    corpus = build_corpus(
        stories=args.stories,
        chapters=args.chapters,
        words=args.words,
        seed=args.seed,
        progress=lambda line: print(line, flush=True),
    )
    print(
        f"corpus: {corpus.stories:,} stories, {corpus.chapters:,} chapters, "
        f"{corpus.words:,} words, {corpus.authors:,} authors, {corpus.categories} categories, "
        f"{corpus.characters} characters, {corpus.series} series, in {corpus.seconds:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
