"""The shared test base: an archive's cast and a way to write stories quickly.

Personas (pytest fixtures): `reader`, `author`, `coauthor`, `other_author`, `moderator`,
`admin_user`; guests are simply a `client` that has not logged in. `archive` builds the
taxonomy most tests need; `make_story` writes a story through the actions, as the site would.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO

import pytest
import redis
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fabula.accounts.models import User
from fabula.conf.models import SiteSettings, site_settings
from fabula.conf.webserver import free_port  # noqa: F401 (the tests' one way to get a port)
from fabula.lib import ratelimit
from fabula.news.selectors import footer_pages
from fabula.stories import actions, reads
from fabula.stories.models import Chapter, Status, Story
from fabula.taxonomy.models import Rating, Tag, TagKind

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fresh_caches(settings, tmp_path):
    """Every test starts with an empty cache (site settings, guest pages), read buffer and
    content generation.

    They live in this process (the generation in a file of the data folder: `lib.pagecache`)
    across tests while the database is rolled back after each one; a folder of its own gives
    each test a new generation, so no part kept under an earlier test's number is served.
    """
    settings.DATA_DIR = tmp_path / "data"
    cache.clear()
    reads._pending.clear()
    settings.READ_FLUSH_SECONDS = 3600  # reads wait in the buffer until a test flushes them
    yield
    cache.clear()
    reads._pending.clear()


@pytest.fixture
def queued_jobs(settings) -> Callable[[], list[tuple[str, dict]]]:
    """Jobs wait in the database for `fabula worker`, as with FABULA_JOBS=queue. The fixture's
    value lists the waiting jobs: (name, arguments), oldest first."""
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["queue"]}}

    def waiting() -> list[tuple[str, dict]]:
        rows = DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("enqueued_at")
        return [
            (row.args_kwargs["kwargs"]["name"], row.args_kwargs["kwargs"]["arguments"])
            for row in rows
        ]

    return waiting


@pytest.fixture(autouse=True)
def fresh_limits(request, django_db_blocker):
    """The rate limiter's counts start afresh in every test. In memory (SQLite) they would
    outlive the test; in the database cache (PostgreSQL) they are rolled back with most tests,
    but left behind by a test on real transactions (a live server)."""
    store = caches[ratelimit.STORE]
    in_database = isinstance(store, DatabaseCache)
    if not in_database:
        store.clear()
    yield
    if not in_database:
        store.clear()
    elif {"transactional_db", "live_server"} & set(request.fixturenames):
        with django_db_blocker.unblock():
            store.clear()


class Clock:
    """The rate limiter's clock, moved by hand (`clock.now += 60`)."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0  # the start of a window of every length the limits use

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Stops the rate limiter's clock, so no count window ends in the middle of a test."""
    fake = Clock()
    monkeypatch.setattr(ratelimit.time, "time", fake.time)
    return fake


def warm_caches() -> None:
    """Fill the caches every page reads, as they are on a running site: the site settings and
    the footer's list of pages. Query-count tests call it first, to measure the page itself."""
    site_settings()
    footer_pages()


def set_site(**values) -> SiteSettings:
    """Change site settings for one test (the row is rolled back with the test); saving them
    retires cached guest pages, as an administrator's edit does."""
    current = site_settings()
    for name, value in values.items():
        setattr(current, name, value)
    current.save()
    return current


def quick_user(pen_name: str, **extra) -> User:
    """A member without a password: hashing one costs more than the rest of a test."""
    return User.objects.create_user(pen_name, f"{pen_name.lower()}@example.org", None, **extra)


SHARED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared")
SHARED = os.path.normpath(os.environ.get("FABULA_SHARED_DIR", SHARED))


def shared_path(*parts: str) -> str:
    """A file of ../shared, or a loud skip (a failure under FABULA_REQUIRE_SERVICES=1)."""
    path = os.path.join(SHARED, *parts)
    if not os.path.exists(path):
        require(False, f"the shared reference file {path} is absent")
    return path


def empty_redis(url: str) -> redis.Redis:
    """A Redis database of a test's own (`url` names it on the Redis at 127.0.0.1:6379), emptied;
    skips loudly when no Redis answers there."""
    store = redis.Redis.from_url(url)
    try:
        store.ping()
    except redis.RedisError as error:
        require(False, f"Redis is not running on 127.0.0.1:6379 ({error})")
    store.flushdb()
    return store


def command_output(*args: str) -> str:
    """What a `fabula` command prints."""
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def require(condition: bool, reason: str) -> None:
    """Skip loudly when a server, tool or file is missing; fail instead when CI demands it."""
    if condition:
        return
    if os.environ.get("FABULA_REQUIRE_SERVICES") == "1":
        pytest.fail(f"FABULA_REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(f"SKIPPED LOUDLY: {reason}")


@dataclass
class Archive:
    general: Rating
    teen: Rating
    members_only: Rating
    adult: Rating
    category: TagKind
    character: TagKind
    genres: TagKind
    warnings: TagKind
    fandom: Tag
    subfandom: Tag
    other_fandom: Tag
    jim: Tag
    pam: Tag
    angst: Tag
    humor: Tag
    violence: Tag


def story_list_urls(archive: Archive, *, authors: list[User], series) -> list[str]:
    """Every page that lists or counts stories, for rules that must hold on all of them."""
    return [
        reverse("home"),
        reverse("browse"),
        reverse("browse") + "?sort=words",
        reverse("recent"),
        reverse("titles"),
        *(reverse("titles-letter", args=[letter]) for letter in "ahos"),
        reverse("browse-kind", args=["categories"]),
        reverse("browse-kind", args=["characters"]),
        reverse("browse-tag", args=["categories", archive.fandom.pk]),
        reverse("browse-tag", args=["characters", archive.jim.pk]),
        reverse("browse-tag", args=["genres", archive.angst.pk]),
        reverse("ratings"),
        reverse("browse-rating", args=[archive.general.pk]),
        reverse("authors"),
        *(reverse("author", args=[author.pk]) for author in authors),
        reverse("series-list"),
        reverse("series", args=[series.pk]),
    ]


def chapter_url(story: Story | int, position: int) -> str:
    """The address (by id) of the chapter at `position`; for a position with no chapter, the
    position address, which answers 404 as the id address of a missing chapter would."""
    story_id = story if isinstance(story, int) else story.pk
    chapter = Chapter.objects.filter(story_id=story_id, position=position).first()
    if chapter is None:
        return reverse("chapter-at", args=[story_id, position])
    return chapter.get_absolute_url()


def chapter_address(address: str) -> str:
    """What a position address of before ("/stories/S/chapters/N/") now redirects to: the id
    address of the chapter at that position. Any other address is returned as it is."""
    match = re.fullmatch(r"/stories/(\d+)/chapters/(\d+)/", address)
    return chapter_url(int(match[1]), int(match[2])) if match else address


def make_user(pen_name: str, **extra) -> User:
    return User.objects.create_user(
        pen_name, f"{pen_name.replace(' ', '.').lower()}@example.org", PASSWORD, **extra
    )


@pytest.fixture
def archive(db) -> Archive:
    def tag(kind, name, number, parent=None):
        return Tag.objects.create(kind=kind, name=name, legacy_id=number, parent=parent)

    category = TagKind.objects.create(
        slug="categories", name="Categories", role="category", legacy_id=None
    )
    character = TagKind.objects.create(slug="characters", name="Characters", role="character")
    genres = TagKind.objects.create(slug="genres", name="Genres", role="class", legacy_id=1)
    warnings = TagKind.objects.create(slug="warnings", name="Warnings", role="class", legacy_id=2)
    fandom = tag(category, "The Office", 1)
    return Archive(
        general=Rating.objects.create(name="G", order=1),
        teen=Rating.objects.create(name="PG-13", order=2),
        members_only=Rating.objects.create(name="R", order=3, registered_only=True),
        adult=Rating.objects.create(
            name="NC-17",
            order=4,
            age_consent=True,
            warning=True,
            warning_text="This story is for adults only.",
        ),
        category=category,
        character=character,
        genres=genres,
        warnings=warnings,
        fandom=fandom,
        subfandom=tag(category, "Jim and Pam", 2, parent=fandom),
        other_fandom=tag(category, "Parks and Recreation", 3),
        jim=tag(character, "Jim", 1),
        pam=tag(character, "Pam", 2),
        angst=tag(genres, "Angst", 1),
        humor=tag(genres, "Humor", 2),
        violence=tag(warnings, "Violence", 3),
    )


@pytest.fixture
def reader(db) -> User:
    return make_user("Reader")


@pytest.fixture
def author(db) -> User:
    return make_user("Night Swept")


@pytest.fixture
def coauthor(db) -> User:
    return make_user("Midnight Owl")


@pytest.fixture
def other_author(db) -> User:
    return make_user("Winter Fox")


@pytest.fixture
def moderator(db) -> User:
    return make_user("Moderator", level=User.Level.MODERATOR)


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.create_superuser("Admin", "admin@example.org", PASSWORD)


@pytest.fixture
def make_story(archive):
    """make_story(author, title=..., chapters=2, status="published", rating=None, tags=(), ...)"""

    def make(
        author: User,
        title: str = "A Story",
        *,
        chapters: int = 2,
        status: str = Status.PUBLISHED,
        rating: Rating | None = None,
        tags=(),
        coauthors=(),
        summary: str = "<p>A summary.</p>",
        notes: str = "",
        completed: bool = False,
        words_per_chapter: int = 12,
        **extra,
    ) -> Story:
        story = actions.story_create(
            authors=[author, *coauthors],
            title=title,
            rating=rating or archive.general,
            summary=summary,
            notes=notes,
            tags=list(tags) or [archive.fandom, archive.jim, archive.angst],
            status=status,
            completed=completed,
            **extra,
        )
        for n in range(1, chapters + 1):
            words = " ".join(["word"] * (words_per_chapter - 4))
            actions.chapter_add(
                story=story,
                title=f"Chapter {n}",
                body=f"<p>Text of chapter {n}. {words}</p>",
                status=Status.PUBLISHED,
            )
        story.refresh_from_db()
        return story

    return make
