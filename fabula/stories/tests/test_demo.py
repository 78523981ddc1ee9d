"""`fabula demo` and the benchmark corpus generator (bench/corpus.py)."""

import importlib.util
import random
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Sum

from fabula.accounts.models import User
from fabula.conf.models import SiteSettings
from fabula.lib.words import count_words
from fabula.stories import permissions
from fabula.stories.models import (
    Challenge,
    Chapter,
    Series,
    SeriesEntry,
    Status,
    Story,
    StoryAuthor,
)
from fabula.taxonomy.models import Rating, Tag, TagKind
from fabula.test import require

PASSWORD = "demo password for tests"


@pytest.fixture
def fast_passwords(settings):
    # Argon2 is slow on purpose; eight demo accounts would cost the test a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo() -> str:
    out = StringIO()
    call_command("demo", password=PASSWORD, stdout=out)
    return out.getvalue()


def archive_snapshot() -> dict:
    return {
        "stories": list(
            Story.objects.order_by("pk").values_list("pk", "title", "status", "word_count")
        ),
        "chapters": Chapter.objects.count(),
        "users": User.objects.count(),
        "tags": Tag.objects.count(),
        "series": SeriesEntry.objects.count(),
    }


@pytest.mark.django_db
def test_demo_builds_a_believable_archive(fast_passwords):
    output = run_demo()

    assert SiteSettings.objects.get().site_name == "Fabula Demo Archive"
    assert PASSWORD in output and "'admin'" in output and "/accounts/login/" in output
    admin = User.objects.get(pen_name="admin")
    assert admin.is_superuser and admin.check_password(PASSWORD)

    assert list(Story.objects.order_by("pk").values_list("pk", flat=True)) == list(range(1, 51))
    chapters = Chapter.objects.count()
    assert 50 < chapters <= 8 * 50 + 1
    lengths = Chapter.objects.values_list("word_count", flat=True)
    assert min(lengths) >= 800 and max(lengths) <= 2500
    writers = User.objects.filter(credits__isnull=False).distinct()
    assert writers.count() == 6
    assert User.objects.count() == 8  # the writers, a reader and the administrator

    assert set(TagKind.objects.filter(role=TagKind.Role.CLASS).values_list("slug", flat=True)) == {
        "genres",
        "warnings",
    }
    assert Tag.objects.filter(kind__role="category", parent__isnull=False).exists()
    assert Tag.objects.filter(kind__role="character", name__contains="/").exists()
    adult = Rating.objects.get(name="NC-17")
    assert adult.age_consent and adult.warning and adult.warning_text
    assert Rating.objects.get(name="R").registered_only
    assert set(Story.objects.values_list("rating__name", flat=True)) == {
        "G",
        "PG",
        "PG-13",
        "R",
        "NC-17",
    }

    hidden = Story.objects.exclude(status=Status.PUBLISHED)
    assert set(hidden.values_list("status", flat=True)) == {Status.DRAFT, Status.PENDING}
    guest, reader = AnonymousUser(), User.objects.get(pen_name="Avid Reader")
    for viewer in (guest, reader):
        listed = permissions.listed_stories(viewer)
        assert not listed.filter(pk__in=hidden).exists()
        assert listed.count() >= 30
    # Members-only (R) stories are listed for the reader, not for guests.
    assert permissions.listed_stories(reader).count() > permissions.listed_stories(guest).count()
    draft = hidden.filter(status=Status.DRAFT).first()
    assert draft is not None
    credit = draft.credits.first()
    assert credit is not None
    assert permissions.can_view_story(credit.user, draft)

    published = Story.objects.filter(status=Status.PUBLISHED)
    assert published.filter(completed=True).exists() and published.filter(completed=False).exists()
    assert published.filter(featured=True).count() >= 2
    assert published.exclude(notes="").exists()
    assert (
        Chapter.objects.exclude(notes="").exists()
        and Chapter.objects.exclude(end_notes="").exists()
    )
    co_authored = Story.objects.annotate(n=Count("credits")).filter(n=2)
    assert co_authored.count() == 1
    years = set()
    for story in published:
        assert story.published_at is not None
        years.add(story.published_at.year)
    assert len(years) >= 5
    for story in published:  # the counts the actions keep match the chapters
        released = story.chapters.filter(status=Status.PUBLISHED)
        assert story.chapter_count == released.count()
        assert story.word_count == released.aggregate(w=Sum("word_count"))["w"]
    assert Story.objects.filter(chapters__status=Status.DRAFT, status=Status.PUBLISHED).exists()

    assert Series.objects.count() == 2
    assert SeriesEntry.objects.filter(subseries__isnull=False).count() == 1
    assert Challenge.objects.get().responses.count() == 1


@pytest.mark.django_db
def test_a_second_run_changes_nothing(fast_passwords):
    run_demo()
    before = archive_snapshot()
    output = run_demo()
    assert "already loaded" in output
    assert archive_snapshot() == before


@pytest.mark.django_db
def test_demo_is_the_same_archive_every_time(fast_passwords):
    run_demo()
    first = archive_snapshot()
    StoryAuthor.objects.all().delete()
    SeriesEntry.objects.all().delete()
    Series.objects.all().delete()
    Story.objects.all().delete()
    Challenge.objects.all().delete()
    Chapter.objects.all().delete()
    User.objects.all().delete()
    SiteSettings.objects.all().delete()
    run_demo()
    assert archive_snapshot() == first


@pytest.mark.django_db
def test_demo_refuses_an_archive_with_other_stories(make_story, author):
    make_story(author)
    with pytest.raises(CommandError, match="already holds 1 stories"):
        run_demo()
    assert Story.objects.count() == 1


# The benchmark corpus (bench/corpus.py), at a tiny size.


def load_corpus_module():
    path = Path(__file__).resolve().parents[3] / "bench" / "corpus.py"
    require(path.exists(), f"the benchmark generator {path} is absent")
    spec = importlib.util.spec_from_file_location("bench_corpus", path)
    assert spec is not None and spec.loader is not None  # a .py file path always has both
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_bench_corpus_fills_a_database_with_consistent_counts():
    corpus = load_corpus_module()
    result = corpus.build_corpus(stories=20, words=150)

    assert Story.objects.count() == result.stories == 20
    assert Chapter.objects.count() == result.chapters == 84  # 4.2 per story
    assert not Story.objects.exclude(status=Status.PUBLISHED).exists()
    assert Story.objects.aggregate(w=Sum("word_count"))["w"] == result.words
    for story in Story.objects.prefetch_related("chapters"):
        chapters = list(story.chapters.all())
        assert story.chapter_count == len(chapters) >= 1
        assert [c.position for c in chapters] == list(range(1, len(chapters) + 1))
        assert story.word_count == sum(c.word_count for c in chapters)
        assert all(c.word_count == count_words(c.body) for c in chapters)
        assert all(60 <= c.word_count <= 240 for c in chapters)
    assert set(TagKind.objects.filter(role=TagKind.Role.CLASS).values_list("slug", flat=True)) == {
        "genres",
        "warnings",
    }
    assert Rating.objects.count() == 5
    assert SiteSettings.objects.get().slogan == corpus.signature(20, 84, 150, corpus.SEED)
    assert result.series == Series.objects.count() >= 1
    assert User.objects.count() == result.authors == 5


def test_bench_corpus_shape_scales_with_the_stories():
    corpus = load_corpus_module()
    assert corpus.corpus_shape(5000) == (21000, 833, 12)
    assert corpus.corpus_shape(300)[0] == 1260
    with pytest.raises(ValueError):
        corpus.corpus_shape(10, chapters=5)


@pytest.mark.parametrize("stories, chapters", [(5000, 21000), (300, 1260), (10, 10), (7, 30)])
def test_bench_story_lengths_add_up_like_a_real_archive(stories, chapters):
    corpus = load_corpus_module()
    lengths = corpus.story_lengths(random.Random(1), stories, chapters)
    assert len(lengths) == stories and sum(lengths) == chapters
    assert min(lengths) >= 1 and max(lengths) <= 100
    if stories >= 300:  # many one-shots, no story of hundreds of chapters
        assert 0.35 < lengths.count(1) / stories < 0.55
        assert max(lengths) <= 60
