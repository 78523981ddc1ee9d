"""`fabula demo`: fill an empty archive with a believable one, to look around in.

It makes the site's settings, an administrator, six authors and a reader, the ratings with
their gates, a few fandoms (public-domain works) with sub-categories and characters, the two
class kinds Genres and Warnings, and about fifty stories of generated prose with everything an
archive shows: notes, completed and featured stories, a co-authored story, two series (one
inside the other), a challenge with a response, and a few stories only their authors can see
(drafts, one waiting for validation).

Every write goes through the actions, as the site's own would. The archive is the same on
every run (a fixed seed; only the password is new each time). Stories are numbered 1..N, so none
collides with an imported eFiction story of a higher sid. Running it again on the demo archive
changes nothing; running it on an archive that holds other stories is refused.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from fabula.accounts.models import User
from fabula.conf.actions import site_settings_update
from fabula.conf.models import SiteSettings, site_settings
from fabula.lib.db import keep_ids_ahead
from fabula.lib.prose import Prose
from fabula.stories import actions
from fabula.stories.models import Status, Story
from fabula.taxonomy import actions as taxonomy
from fabula.taxonomy.models import Rating, Tag, TagKind

SITE_NAME = "Fabula Demo Archive"
WELCOME = (
    "<p>Welcome to the Fabula demo archive. Every story here was written by a small program "
    "from a seed, so nothing in it makes much sense, but the archive around the stories is "
    "real: browse by fandom, character, genre or rating, read chapters, print a story, and "
    "log in as one of the authors to see their drafts.</p>"
)
SEED = 2007
STORY_COUNT = 50
ADMIN = "admin"
AUTHORS = (
    "Lantern Keeper",
    "Marginalia",
    "Teapot Tempest",
    "Wren Ashdown",
    "Quillfeather",
    "Northern Lights",
)
READER = "Avid Reader"

# The ratings of a typical eFiction archive, with their gates.
# The keyword arguments of taxonomy.rating_get_or_create: a name and its gates.
RATINGS: tuple[dict[str, Any], ...] = (
    {"name": "G", "order": 1, "description": "General audiences."},
    {"name": "PG", "order": 2, "description": "Some material may not suit young children."},
    {"name": "PG-13", "order": 3, "description": "Mild violence, language or innuendo."},
    {
        "name": "R",
        "order": 4,
        "description": "Mature themes; for members only.",
        "registered_only": True,
    },
    {
        "name": "NC-17",
        "order": 5,
        "description": "Explicit; adults only.",
        "age_consent": True,
        "warning": True,
        "warning_text": "This story is rated NC-17: it is meant for adult readers only and may "
        "describe explicit sex or violence.",
    },
)
RATING_WEIGHTS = {"G": 22, "PG": 25, "PG-13": 30, "R": 13, "NC-17": 10}
# Exactly these two class kinds, numbered as eFiction numbers its first two class types: the
# printable text of a story lists one line per class kind of the site.
GENRES = (
    "Adventure",
    "Angst",
    "Drama",
    "Fluff",
    "Humor",
    "Hurt/Comfort",
    "Mystery",
    "Romance",
    "Tragedy",
)
WARNINGS = ("Character Death", "Violence", "Strong Language", "Sexual Content", "Dark Themes")


@dataclass(frozen=True)
class Fandom:
    name: str
    sub_categories: tuple[str, ...]
    characters: tuple[str, ...]
    pairings: tuple[str, ...] = ()


FANDOMS = (
    Fandom(
        "Sherlock Holmes",
        ("Canon Era", "Modern Retellings"),
        (
            "Sherlock Holmes",
            "John Watson",
            "Irene Adler",
            "Mrs Hudson",
            "Inspector Lestrade",
            "Mycroft Holmes",
            "Mary Morstan",
        ),
        ("Holmes/Watson", "Watson/Mary Morstan"),
    ),
    Fandom(
        "Pride and Prejudice",
        ("Regency", "Modern AU", "Missing Scenes"),
        (
            "Elizabeth Bennet",
            "Fitzwilliam Darcy",
            "Jane Bennet",
            "Charles Bingley",
            "Lydia Bennet",
            "Mr Bennet",
            "Charlotte Lucas",
        ),
        ("Elizabeth/Darcy", "Jane/Bingley"),
    ),
    Fandom(
        "Alice in Wonderland",
        ("Wonderland", "Through the Looking-Glass"),
        (
            "Alice",
            "the Mad Hatter",
            "the Cheshire Cat",
            "the White Rabbit",
            "the Queen of Hearts",
            "the March Hare",
        ),
    ),
    Fandom(
        "Arthurian Legend",
        ("Camelot", "The Grail Quest"),
        ("Arthur", "Guinevere", "Lancelot", "Merlin", "Morgan le Fay", "Gawain"),
        ("Arthur/Guinevere", "Guinevere/Lancelot"),
    ),
    Fandom(
        "The Odyssey",
        ("Ithaca", "The Voyage Home"),
        ("Odysseus", "Penelope", "Telemachus", "Athena", "Calypso"),
        ("Odysseus/Penelope",),
    ),
)

# Stories with a part to play, by id (the rest are ordinary published stories).
DRAFTS = (47, 48)
PENDING = (49,)
CO_AUTHORED = 5
CHALLENGE_RESPONSE = 12
FEATURED = (3, 17, 30)
WITH_DRAFT_CHAPTER = 20  # a published story whose next chapter is still a draft
OUTER_SERIES = (8, 9)  # then the inner series as the third entry
INNER_SERIES = (10, 11)
CHAPTER_WEIGHTS = {1: 30, 2: 15, 3: 15, 4: 10, 5: 10, 6: 8, 7: 6, 8: 6}
FIRST_DAY = datetime(2014, 3, 1, 9, 0, tzinfo=UTC)
LAST_DAY = datetime(2024, 11, 30, 21, 0, tzinfo=UTC)


@dataclass
class FandomTags:
    fandom: Fandom
    category: Tag
    sub_categories: list[Tag]
    characters: list[Tag]
    pairings: list[Tag]


@dataclass
class Taxonomy:
    ratings: dict[str, Rating]
    fandoms: list[FandomTags]
    genres: list[Tag]
    warnings: list[Tag]


@dataclass
class Built:
    stories: int = 0
    chapters: int = 0
    words: int = 0
    authors: list[str] = field(default_factory=list)


class Command(BaseCommand):
    help = "Fill an empty archive with a generated demo archive (about 50 stories)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for every demo account (default: a new random one, printed).",
        )

    def handle(self, *args, password: str | None = None, **options):
        if Story.objects.exists():
            if is_demo_loaded():
                self.stdout.write(
                    "The demo archive is already loaded; nothing to do. (Forgot the password? "
                    f"`fabula changepassword {ADMIN}` sets a new one.)"
                )
                return
            raise CommandError(
                f"This archive already holds {Story.objects.count()} stories; `fabula demo` only "
                "fills an empty archive. Point DATABASE_URL (or FABULA_DATA_DIR) at a new database."
            )
        taken = User.objects.filter(pen_name__in=[ADMIN, *AUTHORS, READER])
        if taken.exists():
            names = ", ".join(sorted(user.pen_name for user in taken))
            raise CommandError(
                f"Members named {names} already exist; the demo needs these pen names."
            )
        password = password or secrets.token_urlsafe(12)
        built = build_demo(password=password)
        self._report(built, password)

    def _report(self, built: Built, password: str) -> None:
        login = site_settings().site_url + reverse("accounts:login")
        self.stdout.write(
            self.style.SUCCESS(
                f'Built "{SITE_NAME}": {built.stories} stories, {built.chapters} chapters, '
                f"{built.words:,} words by {len(built.authors)} authors in {len(FANDOMS)} fandoms."
            )
        )
        self.stdout.write(f"Log in at {login} with the pen name {ADMIN!r} and the password:")
        self.stdout.write(f"    {password}")
        self.stdout.write(
            f"The authors ({', '.join(built.authors)}) and the reader {READER!r} have the same "
            "password: log in as an author to see their drafts. Write the password down, it is "
            "not shown again."
        )


def is_demo_loaded() -> bool:
    return (
        SiteSettings.objects.filter(pk=1, site_name=SITE_NAME).exists()
        and User.objects.filter(pen_name=ADMIN, is_superuser=True).exists()
    )


@transaction.atomic
def build_demo(*, password: str, seed: int = SEED) -> Built:
    """Write the whole demo archive; all or nothing."""
    random_ = random.Random(seed)
    _site_settings()
    User.objects.create_superuser(ADMIN, "admin@example.org", password)
    authors = [
        User.objects.create_user(
            name,
            f"{name.replace(' ', '.').lower()}@example.org",
            password,
            bio=Prose(f"{seed}-bio-{name}").note(),
            trusted=i < 3,
        )
        for i, name in enumerate(AUTHORS)
    ]
    User.objects.create_user(READER, "reader@example.org", password)
    tags = _taxonomy()
    challenge = actions.challenge_create(
        title="The Winter Letters Challenge",
        owner=authors[1],
        summary="<p>Write a story told, at least in part, through letters sent in winter.</p>",
    )
    built = Built(authors=list(AUTHORS))
    dates = sorted(
        FIRST_DAY
        + timedelta(seconds=random_.randrange(int((LAST_DAY - FIRST_DAY).total_seconds())))
        for _ in range(STORY_COUNT)
    )
    stories: dict[int, Story] = {}
    for story_id in range(1, STORY_COUNT + 1):
        stories[story_id] = _write_story(
            story_id=story_id,
            published=dates[story_id - 1],
            random_=random_,
            seed=seed,
            authors=authors,
            tags=tags,
            challenge=challenge,
            built=built,
        )
    keep_ids_ahead(Story)
    _series(authors[0], stories)
    return built


def _site_settings() -> None:
    site_settings_update(
        values={
            "site_name": SITE_NAME,
            "slogan": "Stories written by a seeded random number generator",
            "welcome": WELCOME,
        }
    )


def _taxonomy() -> Taxonomy:
    ratings = {spec["name"]: taxonomy.rating_get_or_create(**spec) for spec in RATINGS}
    categories = taxonomy.kind_get_or_create(name="Categories", role=TagKind.Role.CATEGORY)
    characters = taxonomy.kind_get_or_create(name="Characters", role=TagKind.Role.CHARACTER)
    genres = taxonomy.kind_get_or_create(name="Genres", role=TagKind.Role.CLASS, legacy_id=1)
    warnings = taxonomy.kind_get_or_create(name="Warnings", role=TagKind.Role.CLASS, legacy_id=2)
    fandoms = []
    for fandom in FANDOMS:
        top = taxonomy.tag_get_or_create(kind=categories, name=fandom.name)
        fandoms.append(
            FandomTags(
                fandom=fandom,
                category=top,
                sub_categories=[
                    taxonomy.tag_get_or_create(kind=categories, name=name, parent=top)
                    for name in fandom.sub_categories
                ],
                characters=[
                    taxonomy.tag_get_or_create(kind=characters, name=name, parent=top)
                    for name in fandom.characters
                ],
                pairings=[
                    taxonomy.tag_get_or_create(kind=characters, name=name, parent=top)
                    for name in fandom.pairings
                ],
            )
        )
    return Taxonomy(
        ratings=ratings,
        fandoms=fandoms,
        genres=[taxonomy.tag_get_or_create(kind=genres, name=name) for name in GENRES],
        warnings=[taxonomy.tag_get_or_create(kind=warnings, name=name) for name in WARNINGS],
    )


def _write_story(*, story_id, published, random_, seed, authors, tags, challenge, built) -> Story:
    """One story and its chapters, shaped by its id's part (draft, series, ...) and by chance."""
    in_series = story_id in OUTER_SERIES + INNER_SERIES
    main = authors[0] if in_series else random_.choice(authors)
    credited = [main]
    if story_id == CO_AUTHORED:
        credited.append(next(a for a in authors if a != main))
    fandom = tags.fandoms[0] if in_series else random_.choice(tags.fandoms)
    prose = Prose(f"{seed}-story-{story_id}", names=fandom.fandom.characters)

    status = Status.PUBLISHED
    if story_id in DRAFTS:
        status = Status.DRAFT
    elif story_id in PENDING:
        status = Status.PENDING
    chapter_count = random_.choices(list(CHAPTER_WEIGHTS), weights=list(CHAPTER_WEIGHTS.values()))[
        0
    ]
    completed = random_.random() < (0.85 if chapter_count == 1 else 0.45)
    rating = random_.choices(
        [tags.ratings[name] for name in RATING_WEIGHTS], weights=list(RATING_WEIGHTS.values())
    )[0]
    story_tags = _story_tags(random_, tags, fandom)
    age_days = (LAST_DAY - published).days
    updated = published + timedelta(days=random_.randint(0, min(age_days, 40 * chapter_count)))
    listed = status == Status.PUBLISHED

    story = actions.story_create(
        story_id=story_id,
        authors=credited,
        title=prose.title(),
        rating=rating,
        summary=prose.summary(),
        notes=prose.note() if random_.random() < 0.3 else "",
        tags=story_tags,
        status=status,
        completed=completed and listed,
        featured=story_id in FEATURED,
        published_at=published if listed else None,
        updated_at=updated if listed else None,
        read_count=random_.randint(age_days // 8, age_days // 2 + 60 * chapter_count)
        if listed
        else 0,
        challenges=[challenge] if story_id == CHALLENGE_RESPONSE else [],
    )
    positions = list(range(1, chapter_count + 1))
    if story_id == WITH_DRAFT_CHAPTER:
        positions.append(chapter_count + 1)
    for position in positions:
        is_extra_draft = position > chapter_count
        words = random_.randint(800, 2500)
        actions.chapter_add(
            story=story,
            title=prose.chapter_title(position) if chapter_count > 1 else story.title,
            body=prose.chapter_html(words),
            author=credited[(position - 1) % len(credited)],
            notes=prose.note() if random_.random() < 0.25 else "",
            end_notes=prose.note() if random_.random() < 0.15 else "",
            status=Status.DRAFT if is_extra_draft else status,
            recount=False,  # keep the story's dates from the past; counted once below
        )
        built.chapters += 1
    actions.story_recount(story=story)
    built.stories += 1
    built.words += story.word_count
    return story


def _story_tags(random_: random.Random, tags: Taxonomy, fandom: FandomTags) -> list[Tag]:
    """Categories first, then characters, genres and warnings, as an author would pick them."""
    chosen = [random_.choice(fandom.sub_categories) if random_.random() < 0.8 else fandom.category]
    if random_.random() < 0.08:  # a crossover
        other = random_.choice([f for f in tags.fandoms if f is not fandom])
        chosen.append(other.category)
    if fandom.pairings and random_.random() < 0.4:
        chosen.append(random_.choice(fandom.pairings))
    chosen += random_.sample(fandom.characters, random_.randint(1, 3))
    chosen += random_.sample(tags.genres, random_.randint(1, 3))
    chosen += random_.sample(tags.warnings, random_.choices([0, 1, 2], weights=[55, 35, 10])[0])
    return chosen


def _series(owner: User, stories: dict[int, Story]) -> None:
    """Two series by the first author; the second sits inside the first, after two stories."""
    outer = actions.series_create(
        owner=owner,
        title="Letters from Baker Street",
        summary="<p>Cases, quarrels and letters, in the order they were written.</p>",
    )
    inner = actions.series_create(
        owner=owner,
        title="The Winter Cases",
        summary="<p>Two cases from one long winter, a series inside the series.</p>",
    )
    for story_id in OUTER_SERIES:
        actions.series_add(series=outer, story=stories[story_id])
    actions.series_add(series=outer, subseries=inner)
    for story_id in INNER_SERIES:
        actions.series_add(series=inner, story=stories[story_id])
