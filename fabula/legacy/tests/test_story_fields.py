"""The values in the printable view and the story index, case by case (NOTES.md §1.3): empty
values, breadcrumbs, co-authors, series, class lines in the order of their kind's slug, notes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fabula.accounts.models import User
from fabula.legacy.story_pages import inline_notes
from fabula.legacy.tests.conftest import set_site
from fabula.lib.tests.markup import parse
from fabula.stories import actions
from fabula.stories.models import Status
from fabula.taxonomy.models import Tag, TagKind
from fabula.test import PASSWORD

pytestmark = pytest.mark.django_db

PRINT_ALL = "/viewstory.php?action=printable&sid={}&chapter=all"
INDEX = "/viewstory.php?sid={}&index=1"


def page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return parse(response.content)


def new_story(sid1, title="Second Story", tags=(), authors=None, summary="<p>Short.</p>", **extra):
    story = actions.story_create(
        authors=authors or [sid1.author],
        title=title,
        rating=sid1.rating,
        tags=list(tags),
        status=Status.PUBLISHED,
        summary=summary,
        published_at=datetime(2020, 2, 3, tzinfo=UTC),
        **extra,
    )
    actions.chapter_add(story=story, title="Only", body="<p>Only chapter.</p>")
    story.refresh_from_db()
    return story


def test_empty_values_read_orphan_and_none(client, sid1):
    story = new_story(sid1)
    for url in (PRINT_ALL, INDEX):
        text = page(client, url.format(story.pk)).text(cls="content")
        assert "Categories: Orphan" in text
        assert "Characters: None" in text
        assert "Genres: None" in text
        assert "Warnings: None" in text
        assert "Challenges: None Series: None" in text
        assert "Completed: No" in text


def test_class_lines_follow_the_kinds_slug_whatever_their_label(client, sid1):
    TagKind.objects.create(slug="pairings", name="Pairings", role="class", legacy_id=3)
    TagKind.objects.create(slug="alerts", name="Zed Alerts", role="class", legacy_id=4)
    labels = page(client, PRINT_ALL.format(1)).labels()
    assert labels[3:8] == ["Zed Alerts:", "Genres:", "Pairings:", "Warnings:", "Challenges:"]
    index_labels = page(client, INDEX.format(1)).labels()
    assert index_labels[4:9] == ["Zed Alerts:", "Genres:", "Pairings:", "Warnings:", "Challenges:"]


def test_breadcrumb_categories_print_as_text_and_link_each_level_in_the_index(client, sid1):
    office = Tag.objects.create(kind=sid1.categories, name="The Office", legacy_id=9)
    Tag.objects.filter(pk=sid1.jim_and_pam.pk).update(parent=office)
    set_site(extend_categories=True)
    printed = page(client, PRINT_ALL.format(1))
    assert "Categories: The Office > Jim and Pam, Present Characters:" in printed.text(
        cls="content"
    )
    assert not [link for link in printed.links() if "catid" in link]
    index = page(client, INDEX.format(1))
    assert "Categories: The Office > Jim and Pam, Present" in index.text(cls="content")
    assert [link for link in index.links() if "catid" in link] == [
        "browse.php?type=categories&catid=9",
        "browse.php?type=categories&catid=1",
        "browse.php?type=categories&catid=2",
    ]


def test_co_authors_are_credited_and_chapters_name_their_own_author(client, sid1):
    owl = User.objects.create_user("Midnight Owl", "owl@example.org", PASSWORD)
    story = new_story(sid1, title="Shared", authors=[sid1.author, owl])
    actions.chapter_add(story=story, title="Owl's turn", body="<p>Hoot.</p>", author=owl)
    printed = page(client, PRINT_ALL.format(story.pk))
    assert printed.text(id="pagetitle") == "Shared by Night Swept, Midnight Owl"
    assert printed.links()[:3] == [
        f"viewstory.php?sid={story.pk}",
        "viewuser.php?uid=2",
        f"viewuser.php?uid={owl.pk}",
    ]
    assert [e.text for e in printed.find_all(cls="chaptertitle")] == [
        "Only by Night Swept",
        "Owl's turn by Midnight Owl",
    ]
    index = page(client, INDEX.format(story.pk))
    assert f"viewuser.php?uid={owl.pk}" in index.within("output").links()
    assert (
        "<title>Shared by Night Swept, Midnight Owl</title>"
        in client.get(INDEX.format(story.pk)).content.decode()
    )


def test_series_print_as_text_and_link_in_the_index(client, sid1):
    omnibus = actions.series_create(owner=sid1.author, title="Scranton Omnibus", series_id=151)
    actions.series_add(series=omnibus, story=sid1.story)
    printed = page(client, PRINT_ALL.format(1))
    assert "Series: Scranton Omnibus Chapters:" in printed.text(cls="content")
    assert not [link for link in printed.links() if "seriesid" in link]
    index = page(client, INDEX.format(1))
    assert "viewseries.php?seriesid=151" in index.links()


def test_challenges_are_listed_by_title(client, sid1):
    challenge = actions.challenge_create(title="End of Season")
    story = new_story(sid1, challenges=[challenge])
    assert "Challenges: End of Season Series:" in page(client, PRINT_ALL.format(story.pk)).text(
        cls="content"
    )


def test_dates_follow_the_sites_format(client, sid1):
    set_site(date_format="F d, Y")
    text = page(client, PRINT_ALL.format(1)).text(cls="content")
    assert text.endswith("Published: May 29, 2007 Updated: June 01, 2007")


def test_a_tag_without_an_efiction_number_is_named_not_linked(client, sid1):
    unnumbered = Tag.objects.create(kind=sid1.characters, name="Creed")
    story = new_story(sid1, tags=[sid1.karen, unnumbered])
    index = page(client, INDEX.format(story.pk))
    assert "Characters: Karen, Creed" in index.text(cls="content")
    assert [link for link in index.links() if "charid" in link] == [
        "browse.php?type=characters&charid=2"
    ]


def test_one_chapter_prints_story_notes_only_with_the_first(client, sid1):
    first = page(client, "/viewstory.php?action=printable&sid=1&chapter=1")
    second = page(client, "/viewstory.php?action=printable&sid=1&chapter=2")
    assert "Story Notes:" in first.labels()
    assert "Story Notes:" not in second.labels()
    assert second.anchors() == []  # no table of contents, no chapter anchors


def test_end_notes_follow_the_chapter(client, sid1):
    story = new_story(sid1)
    actions.chapter_add(
        story=story,
        title="Two",
        body="<p>Body two.</p>",
        notes="<p>Before.</p>",
        end_notes="<p>After.</p>",
    )
    printed = page(client, PRINT_ALL.format(story.pk))
    assert printed.labels()[-2:] == ["Author's Notes:", "End Notes:"]
    landmarks = printed.landmarks()
    chapter_at = landmarks.index(
        ("div", "", "chapter"), landmarks.index(("div", "", "chaptertitle")) + 3
    )
    assert landmarks[chapter_at + 1 : chapter_at + 5] == [
        ("div", "", "notes"),
        ("div", "", "title"),
        ("span", "", "label"),
        ("div", "", "noteinfo"),
    ]
    assert [e.text for e in printed.find_all(cls="noteinfo")][-1] == "After."


def test_titles_and_names_are_escaped(client, sid1):
    story = new_story(sid1, title="Tom & Jerry <script>alert(1)</script>")
    body = client.get(PRINT_ALL.format(story.pk)).content.decode()
    assert "<script>alert(1)" not in body
    assert "Tom &amp; Jerry &lt;script&gt;" in body


def test_the_summary_keeps_its_markup_and_the_description_its_words(client, sid1):
    story = new_story(sid1, summary="<p>Michael finds the mug. <em>Again.</em></p>")
    body = client.get(PRINT_ALL.format(story.pk)).content.decode()
    assert (
        '<span class="label">Summary: </span><p>Michael finds the mug. <em>Again.</em></p>' in body
    )
    assert "<meta name='description' content='Michael finds the mug. Again.'>" in body


def test_the_copyright_block_is_always_there(client, sid1):
    set_site(printer_copyright="")
    printed = page(client, PRINT_ALL.format(1))
    assert printed.find(id="copyright").text == ""


def test_review_links_leave_with_reviews(client, sid1):
    set_site(reviews_allowed=False)
    index = page(client, INDEX.format(1))
    assert not [link for link in index.links() if link.startswith("reviews.php")]
    assert "viewstory.php?action=printable&textsize=0&sid=1&chapter=all" in index.links()


def test_chapter_notes_fit_inside_the_index_line():
    assert (
        inline_notes("<p>One.</p>\n<p>Two <em>too</em>.</p>") == "One.<br /><br />Two <em>too</em>."
    )
    assert inline_notes("Plain note.") == "Plain note."
    assert inline_notes("<blockquote>Quoted.</blockquote>") == "<blockquote>Quoted.</blockquote>"
