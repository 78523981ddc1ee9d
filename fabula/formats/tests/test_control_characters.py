"""Old data with a control character (\x01 in a title, a tag, a name) must not break any feed or
book: the writers strip what XML cannot hold. (New input refuses them at the edge: see
`lib/tests/test_text.py` and the form and import tests.)"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from lxml import etree

from fabula.accounts.models import User
from fabula.formats.registry import downloadable_formats
from fabula.stories.models import Chapter, Series, Story
from fabula.taxonomy.models import Tag

pytestmark = pytest.mark.django_db

BAD = "\x01\x02\x08\x0b\x0c\x1b\x7f\ufffe"


@pytest.fixture
def spoiled(archive, author, make_story):
    """A story, its tag, author and series, with control characters written straight to the
    database, as an old import or an older version of the site may have left them."""
    story = make_story(author, "Clean title", tags=[archive.fandom, archive.jim])
    Story.objects.filter(pk=story.pk).update(
        title=f"Bad{BAD}title", summary=f"<p>Sum{BAD}mary</p>", notes=f"<p>N{BAD}</p>"
    )
    Chapter.objects.filter(story=story).update(title=f"Ch{BAD}", body=f"<p>Bo{BAD}dy</p>")
    Tag.objects.filter(pk=archive.jim.pk).update(name=f"Jim{BAD}")
    User.objects.filter(pk=author.pk).update(pen_name=f"Pen{BAD}name")
    series = Series.objects.create(owner=author, title=f"Se{BAD}ries", summary="")
    series.entries.create(story=story, position=1)
    return story, series


def _xml_urls(story, series, archive, author) -> list[str]:
    return [
        reverse("feed-recent"),
        reverse("feed-tag", args=[archive.jim.pk]),
        reverse("feed-author", args=[author.pk]),
        reverse("feed-series", args=[series.pk]),
        reverse("feed-story", args=[story.pk]),
        reverse("opds-root"),
        reverse("opds-recent"),
        reverse("opds-categories"),
        reverse("opds-tag", args=[archive.jim.pk]),
        reverse("opds-authors"),
        reverse("opds-author", args=[author.pk]),
        reverse("opds-series-list"),
        reverse("opds-series", args=[series.pk]),
        reverse("opds-search") + "?q=Bad",
    ]


def test_feeds_and_catalog_stay_well_formed(spoiled, archive, author):
    story, series = spoiled
    client = Client()
    for url in _xml_urls(story, series, archive, author):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        root = etree.fromstring(body)  # well-formed, or this raises
        assert b"\x01" not in body, url
        assert root is not None


@pytest.mark.parametrize("name", list(downloadable_formats()))
def test_every_download_is_built(spoiled, name):
    story, _ = spoiled
    response = Client().get(reverse("download", args=[story.pk, name]))
    assert response.status_code == 200, name
    body = b"".join(response) if response.streaming else response.content
    assert "Bad" in body.decode("utf-8", "replace") or name == "epub"  # (zipped)


def test_the_epub_is_well_formed(spoiled):
    story, _ = spoiled
    response = Client().get(reverse("download", args=[story.pk, "epub"]))
    assert response.status_code == 200
    book = zipfile.ZipFile(
        io.BytesIO(b"".join(response) if response.streaming else response.content)
    )
    parts = [name for name in book.namelist() if name.endswith((".xhtml", ".opf", ".ncx"))]
    assert len(parts) >= 4
    for name in parts:
        etree.fromstring(book.read(name))  # well-formed, or this raises
    title = etree.fromstring(book.read("EPUB/content.opf")).find(".//{*}title").text
    assert title.startswith("Bad") and title.endswith("title") and "\x01" not in title
