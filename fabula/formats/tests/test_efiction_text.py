"""eFiction's printable text: the seed round trip, what is stored, and Fabula's own stories."""

from datetime import UTC, datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from fabula.accounts.models import User
from fabula.formats import efiction_text
from fabula.formats.tests.helpers import SEED_SID, export_text, import_text, run, write
from fabula.stories import actions
from fabula.stories.models import Chapter, Status, Story
from fabula.taxonomy.models import Tag, TagKind

# The seed round trip -------------------------------------------------------------------------


def test_seed_round_trips_byte_for_byte_through_the_commands(db, seed_path, seed_bytes, tmp_path):
    ran = import_text(seed_path)
    assert ran.error is None, ran.err
    assert f"imported story {SEED_SID}" in ran.out

    assert export_text(SEED_SID).encode("utf-8") == seed_bytes

    target = tmp_path / "out.txt"
    ran = run("export", str(SEED_SID), "--format", "efiction-text", "-o", str(target))
    assert ran.error is None
    assert target.read_bytes() == seed_bytes


def test_export_writes_the_bytes_to_standard_output(db, seed_path, seed_bytes, capfdbinary):
    from django.core.management import call_command

    import_text(seed_path)
    capfdbinary.readouterr()
    call_command("export", str(SEED_SID))  # no stdout given: the process's own
    assert capfdbinary.readouterr().out == seed_bytes


def test_seed_values_are_stored(db, seed_path):
    import_text(seed_path)
    story = Story.objects.get(pk=SEED_SID)
    assert story.title == "The Last Temptation of Jim Halpert"
    assert [credit.user.pen_name for credit in story.credits.all()] == ["Night Swept"]
    assert story.status == Status.PUBLISHED and story.completed
    assert story.word_count == 7157 and story.read_count == 13723
    local = timezone.get_default_timezone()
    assert story.published_at == datetime(2007, 5, 29, tzinfo=local)
    assert story.updated_at == datetime(2007, 6, 6, tzinfo=local)
    assert story.archived_at == "http://mtt.just-once.net/fanfiction/viewstory.php?sid=1970"
    assert story.summary.startswith("<p>Jim's life for years") and story.summary.endswith(
        "Scranton.</p>"
    )
    assert story.notes.startswith("Jim has made his decision.")

    tags = [(t.tag.kind.role, t.tag.kind.name, t.tag.name) for t in story.story_tags.all()]
    assert tags == [
        ("category", "Categories", "Jim and Pam"),
        ("category", "Categories", "Present"),
        ("character", "Characters", "Jim/Pam"),
        ("character", "Characters", "Karen"),
        ("class", "Genres", "Angst"),
        ("class", "Genres", "Inner Monologue"),
        ("class", "Warnings", "Adult language"),
    ]
    assert TagKind.objects.get(name="Genres").slug == "genres"
    assert TagKind.objects.get(name="Warnings").slug == "warnings"

    chapters = list(story.chapters.order_by("position"))
    assert [c.title for c in chapters] == [
        "A House Divided",
        "Imploding",
        "The Line",
        "Man Up, James Halpert",
    ]
    assert [c.position for c in chapters] == [1, 2, 3, 4]
    assert story.chapter_count == 4
    assert all(
        c.status == Status.PUBLISHED and c.author.pen_name == "Night Swept" for c in chapters
    )
    assert chapters[0].notes == 'Monday Morning in Scranton, the week after "The Job"'
    assert all(c.notes and c.end_notes for c in chapters)
    assert chapters[0].body.startswith("<p>&nbsp;</p>\n<p>Disclaimer: I don't own the rights")
    assert chapters[3].end_notes == "Does our hero deserve this twisted fate?&nbsp;"
    # Members made by an import cannot log in until they set a password.
    assert not User.objects.get(pen_name="Night Swept").has_usable_password()


def test_seed_round_trips_beside_an_existing_taxonomy(archive, seed_path, seed_bytes):
    """The archive fixture already has Categories, Characters, Genres and Warnings kinds."""
    import_text(seed_path)
    assert TagKind.objects.filter(role="class").count() == 2
    assert export_text(SEED_SID).encode("utf-8") == seed_bytes
    # Every tag the text brought in has an eFiction-style number, so old links can name it.
    assert not Tag.objects.filter(legacy_id__isnull=True).exists()


def test_replace_overwrites_the_story_with_the_same_sid(db, seed_path, seed_bytes, tmp_path):
    import_text(seed_path)
    changed = seed_bytes.replace(
        b"The Last Temptation of Jim Halpert by", b"The Second Temptation by"
    )
    ran = import_text(write(tmp_path, "changed.txt", changed), replace=True)
    assert ran.error is None, ran.err
    story = Story.objects.get(pk=SEED_SID)
    assert story.title == "The Second Temptation"
    assert Story.objects.count() == 1
    assert Chapter.objects.filter(story=story).count() == 4
    assert export_text(SEED_SID).encode("utf-8") == changed


def test_a_failed_replace_keeps_the_old_story(db, seed_path, seed_bytes, tmp_path):
    import_text(seed_path)
    # A class kind whose slug ("categories") the category kind already has: refused while
    # loading, after the old story was deleted, so the deletion must be undone too.
    bad = seed_bytes.replace(
        b"Warnings: Adult language\n", b"Warnings: Adult language\nCategories: None\n"
    )
    ran = import_text(write(tmp_path, "bad.txt", bad), replace=True)
    assert ran.error is not None
    assert "bad.txt, line 10: the class kind 'Categories'" in ran.err
    story = Story.objects.get(pk=SEED_SID)
    assert story.chapters.count() == 4
    assert export_text(SEED_SID).encode("utf-8") == seed_bytes


# Fabula's own stories ------------------------------------------------------------------------


@pytest.fixture
def authored(make_story, author, coauthor, archive):
    """A story written in Fabula, with HTML no text file produced."""
    story = make_story(
        author,
        "Stand by Me",
        chapters=0,
        coauthors=[coauthor],
        summary="<p>First paragraph.</p>\n<p>Second &amp; <em>last</em>.</p>",
        notes="<p>Story notes, <b>bold</b>.</p><p>Second note.</p>",
        tags=[archive.subfandom, archive.jim, archive.pam, archive.angst, archive.violence],
        completed=True,
    )
    actions.chapter_add(
        story=story,
        title="Opening",
        body="<p>a<br>b</p><blockquote><p>q</p></blockquote>",
        notes="<p>Note one.</p>\n<p>Note two.</p>",
        end_notes="<div>End one.</div><div>End two.</div>",
    )
    actions.chapter_add(
        story=story,
        title="Walk by the River",
        author=coauthor,
        body=(
            "<p>Line one\n  continued.</p>\n\n<ul><li>item</li></ul><p>&lt;tag&gt; &amp; &nbsp;</p>"
        ),
    )
    story.refresh_from_db()
    return story


def test_a_fabula_story_is_laid_out_in_the_format(authored, site):
    text = export_text(authored.pk)
    date = timezone.localtime(authored.published_at).strftime("%B %d, %Y")
    assert text == (
        "Stand by Me by Night Swept, Midnight Owl\n"
        "Summary:\n\nFirst paragraph.\n\nSecond & last.\n\n\n"
        "Categories: Jim and Pam Characters: Jim, Pam\n"
        "Genres: Angst\n"
        "Warnings: Violence\n"
        "Challenges: None\n"
        "Series: None\n"
        f"Chapters: 2 Completed: Yes Word count: {authored.word_count} Read: 0"
        f" Published: {date} Updated: "
        f"{timezone.localtime(authored.updated_at).strftime('%B %d, %Y')}\n"
        "Story Notes:\nStory notes, bold.\n\nSecond note.\n"
        "\n"
        "1. Opening by Night Swept\n\n"
        "2. Walk by the River by Midnight Owl\n\n"
        "Opening by Night Swept\n"
        "Author's Notes:\nNote one.\nNote two.\n\n"
        "a\nb\n\nq\n\n"
        "End Notes:\nEnd one.\n\nEnd two.\n"
        "Walk by the River by Midnight Owl\n"
        "Line one continued.\n\nitem\n\n<tag> & \xa0\n\n"
        f"This story archived at http://127.0.0.1:8000/fanfiction/viewstory.php?sid={authored.pk}"
    )


def test_a_fabula_story_exports_and_reimports_to_the_same_text(authored, tmp_path):
    first = export_text(authored.pk)
    ran = import_text(write(tmp_path, "story.txt", first), replace=True)
    assert ran.error is None, ran.err
    story = Story.objects.get(pk=authored.pk)
    assert [c.author.pen_name for c in story.chapters.order_by("position")] == [
        "Night Swept",
        "Midnight Owl",
    ]
    assert story.chapters.get(position=2).title == "Walk by the River"
    assert export_text(authored.pk) == first


def test_an_inline_summary_stays_on_the_label_line(make_story, author, tmp_path):
    story = make_story(
        author, "Inline", chapters=1, summary="Just <em>one</em> line<br>and another"
    )
    text = export_text(story.pk)
    assert "\nSummary: Just one line\nand another\nCategories: " in text
    import_text(write(tmp_path, "inline.txt", text), replace=True)
    assert Story.objects.get(pk=story.pk).summary == "Just one line<br>and another"
    assert export_text(story.pk) == text


def test_empty_values_print_orphan_and_none(make_story, author, archive, tmp_path):
    TagKind.objects.create(slug="pairings", name="Pairings", role="class")
    story = make_story(author, "Bare", chapters=1, summary="", tags=[archive.humor])
    text = export_text(story.pk)
    assert "\nSummary: \nCategories: Orphan Characters: None\n" in text
    # Every class kind, in slug order, even when empty.
    assert (
        "\nGenres: Humor\nPairings: None\nWarnings: None\nChallenges: None\nSeries: None\n" in text
    )
    import_text(write(tmp_path, "bare.txt", text), replace=True)
    assert export_text(story.pk) == text


def test_series_and_challenges_are_named_and_found_again(make_story, author, tmp_path):
    story = make_story(author, "In a Series", chapters=1)
    series = actions.series_create(owner=author, title="The Long Game")
    actions.series_add(series=series, story=story)
    story.challenges.add(actions.challenge_create(title="Summer Fest"))
    text = export_text(story.pk)
    assert "\nChallenges: Summer Fest\nSeries: The Long Game\n" in text
    import_text(write(tmp_path, "series.txt", text), replace=True)
    assert series.entries.filter(story_id=story.pk).exists()  # the same series, found by title
    assert export_text(story.pk) == text


def test_site_date_format_copyright_and_extended_categories(authored, site, tmp_path):
    site.date_format = "M d Y"
    site.printer_copyright = "<u>Disclaimer:</u> All characters belong to their owners."
    site.extend_categories = True
    site.save()
    text = export_text(authored.pk)
    assert "Categories: The Office > Jim and Pam Characters:" in text
    assert f" Published: {timezone.localtime(authored.published_at).strftime('%b %d %Y')} " in text
    assert text.endswith(
        "\nDisclaimer: All characters belong to their owners.\n"
        f"This story archived at http://127.0.0.1:8000/fanfiction/viewstory.php?sid={authored.pk}"
    )
    import_text(write(tmp_path, "story.txt", text), replace=True)
    story = Story.objects.get(pk=authored.pk)
    # The site's own copyright is not taken for the last chapter's text.
    assert "Disclaimer" not in story.chapters.get(position=2).body
    assert export_text(authored.pk) == text


def test_dates_are_shown_and_read_in_the_site_time_zone(make_story, author, tmp_path):
    with override_settings(TIME_ZONE="America/New_York"):
        story = make_story(author, "Late Night", chapters=1)
        Story.objects.filter(pk=story.pk).update(
            published_at=datetime(2007, 5, 29, 2, 0, tzinfo=UTC),
            updated_at=datetime(2007, 5, 29, 2, 0, tzinfo=UTC),
        )
        text = export_text(story.pk)
        assert "Published: May 28, 2007 Updated: May 28, 2007" in text  # 10 pm the day before
        import_text(write(tmp_path, "late.txt", text), replace=True)
        assert export_text(story.pk) == text


def test_the_archived_address_is_kept_or_made(make_story, author, site):
    story = make_story(author, "Addressed", chapters=1)
    site.site_url, site.legacy_prefix = "https://archive.example", ""
    site.save()
    assert export_text(story.pk).endswith(
        f"\nThis story archived at https://archive.example/viewstory.php?sid={story.pk}"
    )
    Story.objects.filter(pk=story.pk).update(
        archived_at="http://old.example/fanfiction/viewstory.php?sid=7"
    )
    assert export_text(story.pk).endswith(
        "\nThis story archived at http://old.example/fanfiction/viewstory.php?sid=7"
    )


def test_only_chapters_readers_see_are_exported_unless_asked(make_story, author):
    story = make_story(author, "With a Draft", chapters=2)
    actions.chapter_add(story=story, title="Not Yet", body="<p>draft</p>", status=Status.DRAFT)
    text = export_text(story.pk)
    assert "Chapters: 2 " in text and "Not Yet" not in text
    ran = run("export", str(story.pk), "--all-chapters")
    assert "Chapters: 3 " in ran.out and "3. Not Yet by Night Swept\n" in ran.out


def test_export_of_an_unknown_story_is_a_clear_error(db):
    ran = run("export", "424242")
    assert "There is no story 424242" in str(ran.error)


# The reader's rules, without the database ------------------------------------------------------


def _seed_like(**changes) -> str:
    lines = {
        "heading": "Title by Some One",
        "summary": "Summary: A summary.",
        "contents": "1. Stand by Me by Some One\n\n2. Second by Other Person\n\n",
        "chapters": (
            "Stand by Me by Some One\nBody one.\n\n"
            "Second by Other Person\nAuthor's Notes:\nHi.\n\n"
            "Body two.\n\nEnd Notes:\nBye.\n\nLater.\n"
        ),
    }
    lines.update(changes)
    return (
        f"{lines['heading']}\n{lines['summary']}\n"
        "Categories: Orphan Characters: None\nGenres: None\nChallenges: None\nSeries: None\n"
        "Chapters: 2 Completed: No Word count: 5 Read: 1 Published: January 02, 2020 Updated: \n"
        f"\n{lines['contents']}{lines['chapters']}"
        "This story archived at http://old.example/viewstory.php?sid=12"
    )


def _read(text: str):
    """The one-story dump the reader makes: (story record, chapter records, pen names by key)."""
    dump = efiction_text.parse_text(text, "x.txt")
    names = {member["key"]: member["pen_name"] for member in dump.records("members")}
    return dump, dump.story(), list(dump.records("chapters")), names


def test_titles_and_authors_split_on_the_last_by():
    _, story, chapters, names = _read(_seed_like(heading="Stand by Me by A, B"))
    assert story["title"] == "Stand by Me" and [names[a] for a in story["authors"]] == ["A", "B"]
    assert [(c["title"], names[c["author"]]) for c in chapters] == [
        ("Stand by Me", "Some One"),
        ("Second", "Other Person"),
    ]


def test_notes_body_and_end_notes_are_told_apart():
    dump, story, (first, second), _ = _read(_seed_like())
    assert (first["notes"], first["body"], first["end_notes"]) == ("", "<p>Body one.</p>", "")
    assert (second["notes"], second["body"]) == ("Hi.", "<p>Body two.</p>")
    assert second["end_notes"] == "<p>Bye.</p>\n<p>Later.</p>"
    assert story["id"] == 12 and story["updated_at"] is None
    assert story["summary"] == "A summary." and story["tags"] == []
    # An empty class line still names its kind: the source site has it.
    assert [(k["role"], k["name"]) for k in dump.records("tag_kinds")][-1] == ("class", "Genres")


def test_a_heading_repeated_in_an_earlier_chapter_is_not_a_chapter_start():
    """Only the line equal to the NEXT chapter's heading ends a chapter."""
    chapters = (
        "Stand by Me by Some One\nStand by Me by Some One\n\nSecond by Other Person\nBody two.\n\n"
    )
    _, _, (first, _second), _ = _read(_seed_like(chapters=chapters))
    assert first["body"] == "<p>Stand by Me by Some One</p>"
