import pytest

from fabula.stories import actions
from fabula.stories.models import Status
from fabula.stories.selectors import story_header


def test_story_counts_follow_published_chapters(make_story, author):
    story = make_story(author, chapters=3, words_per_chapter=10)
    assert story.chapter_count == 3
    assert story.word_count == 3 * 10

    actions.chapter_add(story=story, title="Draft", body="<p>one two</p>", status=Status.DRAFT)
    story.refresh_from_db()
    assert story.chapter_count == 3 and story.word_count == 30


def test_story_html_is_sanitised(archive, author):
    story = actions.story_create(
        authors=[author],
        title="  Spaced   title ",
        rating=archive.general,
        summary='<p onclick="x()">Hi<script>alert(1)</script></p>',
    )
    assert story.title == "Spaced title"
    assert story.summary == "<p>Hi</p>"


def test_story_needs_author_and_title(archive, author):
    with pytest.raises(ValueError):
        actions.story_create(authors=[], title="T", rating=archive.general)
    with pytest.raises(ValueError):
        actions.story_create(authors=[author], title="   ", rating=archive.general)


def test_header_lists_every_class_kind_in_slug_order(make_story, author, archive):
    story = make_story(
        author, tags=[archive.subfandom, archive.fandom, archive.pam, archive.humor, archive.angst]
    )
    header = story_header(story)
    assert [t.name for t in header.categories] == ["Jim and Pam", "The Office"]
    assert [line.kind.slug for line in header.class_lines] == ["genres", "warnings"]
    assert [t.name for t in header.class_lines[0].tags] == ["Humor", "Angst"]
    assert header.class_lines[1].tags == []
    assert [a.pen_name for a in header.authors] == ["Night Swept"]


def test_series_cannot_contain_itself(author):
    outer = actions.series_create(owner=author, title="Outer")
    inner = actions.series_create(owner=author, title="Inner")
    actions.series_add(series=outer, subseries=inner)
    with pytest.raises(ValueError):
        actions.series_add(series=inner, subseries=outer)


def test_imported_ids_do_not_block_new_ones(archive, author):
    kept = actions.story_create(
        authors=[author], title="Old", rating=archive.general, story_id=1970
    )
    fresh = actions.story_create(authors=[author], title="New", rating=archive.general)
    assert kept.pk == 1970
    assert fresh.pk > 1970
    chapter = actions.chapter_add(story=kept, title="One", body="<p>x</p>", chapter_id=5000)
    other = actions.chapter_add(story=kept, title="Two", body="<p>y</p>")
    assert chapter.pk == 5000 and other.pk > 5000
