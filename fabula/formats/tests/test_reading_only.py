"""A story its authors keep for reading on the site (Story.reading_only): readable as ever, but
absent from feeds, the OPDS catalog and saved-search feeds, refused as a download, without
download links, and marked noindex/noai for crawlers. Set from the story form; kept by dumps."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from fabula.importers.dump import Dump
from fabula.importers.tests.test_backup import empty_the_archive
from fabula.search.models import SavedSearch
from fabula.stories.models import Story
from fabula.stories.tests.posting_support import newest_story, post_story, story_data
from fabula.test import chapter_url

KEPT, OFFERED = "Kept Close", "Given Freely"


@pytest.fixture
def shelf(make_story, author, archive):
    kept = make_story(author, title=KEPT, tags=[archive.fandom])
    Story.objects.filter(pk=kept.pk).update(reading_only=True)
    kept.refresh_from_db()
    offered = make_story(author, title=OFFERED, tags=[archive.fandom])
    return kept, offered


def titles_in(client, address: str) -> set[str]:
    response = client.get(address)
    assert response.status_code == 200, address
    text = response.content.decode()
    return {title for title in (KEPT, OFFERED) if title in text}


def test_feeds_and_the_catalog_leave_it_out(client, shelf, author, archive, reader):
    kept, _ = shelf
    for address in [
        reverse("feed-recent"),
        reverse("feed-tag", args=[archive.fandom.pk]),
        reverse("feed-author", args=[author.pk]),
        reverse("opds-recent"),
        reverse("opds-author", args=[author.pk]),
        reverse("opds-search") + "?q=Kept",
        reverse("opds-search") + "?q=Given",
    ]:
        assert KEPT not in titles_in(client, address), address
    assert titles_in(client, reverse("feed-recent")) == {OFFERED}
    assert client.get(reverse("feed-story", args=[kept.pk])).status_code == 404
    saved = SavedSearch.objects.create(user=reader, name="all", query_string="")
    assert titles_in(client, saved.feed_url()) == {OFFERED}


@pytest.mark.parametrize("format_name", ["epub", "html", "txt"])
def test_it_is_not_offered_for_download(client, shelf, format_name):
    kept, offered = shelf
    refused = client.get(reverse("download", args=[kept.pk, format_name]))
    assert refused.status_code == 403
    assert "keep “Kept Close” for reading on the site" in refused.content.decode()
    assert client.get(reverse("download", args=[offered.pk, format_name])).status_code == 200


def test_it_is_read_as_ever_and_marked_for_crawlers(client, shelf):
    kept, offered = shelf
    for address in [reverse("story", args=[kept.pk]), chapter_url(kept, 1)]:
        page = client.get(address).content.decode()
        assert '<meta name="robots" content="noindex, noai, noimageai">' in page
        assert reverse("download", args=[kept.pk, "epub"]) not in page
    story_page = client.get(reverse("story", args=[kept.pk])).content.decode()
    assert "for reading here: no downloads" in story_page
    assert reverse("feed-story", args=[kept.pk]) not in story_page
    offered_page = client.get(reverse("story", args=[offered.pk])).content.decode()
    assert 'name="robots"' not in offered_page
    assert reverse("download", args=[offered.pk, "epub"]) in offered_page


def test_the_author_sets_it_on_the_story_form(client, author, archive):
    client.force_login(author)
    post_story(client, archive, reading_only="on")
    story = newest_story()
    assert story.reading_only is True
    edit = reverse("stories:edit", args=[story.pk])
    assert 'name="reading_only"' in client.get(edit).content.decode()
    data = {k: v for k, v in story_data(archive).items() if not k.startswith("chapter-")}
    assert client.post(edit, data).status_code == 302  # the box left unticked
    story.refresh_from_db()
    assert story.reading_only is False


def test_a_dump_keeps_it(shelf, tmp_path):
    kept, offered = shelf
    call_command("write_dump", str(tmp_path / "a"), no_progress=True, stdout=StringIO())
    rows = {row["id"]: row for row in Dump(tmp_path / "a").records("stories")}
    assert rows[kept.pk]["reading_only"] is True
    assert "reading_only" not in rows[offered.pk]  # unset: dumps of other archives unchanged
    empty_the_archive()
    call_command("load_dump", str(tmp_path / "a"), no_progress=True, stdout=StringIO())
    assert Story.objects.get(pk=kept.pk).reading_only is True
    assert Story.objects.get(pk=offered.pk).reading_only is False
