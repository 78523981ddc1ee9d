"""Fixtures for the format tests: the seed story, and downloads built in a folder of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from fabula.conf.models import site_settings
from fabula.test import shared_path


@pytest.fixture(autouse=True)
def downloads_in_tmp(settings, tmp_path):
    """Built downloads go to a folder of this test's own."""
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def seed_path() -> Path:
    return Path(shared_path("seed", "000_342251b2f365abf6.txt"))


@pytest.fixture
def seed_bytes(seed_path) -> bytes:
    return seed_path.read_bytes()


@pytest.fixture
def site(db):
    """The site settings row, to change in a test (call .save())."""
    return site_settings()


def tiny_png() -> bytes:
    """A valid 1x1 PNG, made here so the tests need no picture file."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def media_dir(tmp_path, settings):
    """The site's media folder in a temporary place, holding one picture: pictures/dot.png."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "pictures").mkdir(parents=True)
    (settings.MEDIA_ROOT / "pictures" / "dot.png").write_bytes(tiny_png())
    return settings.MEDIA_ROOT


RICH_CHAPTERS = 40


@pytest.fixture
def rich_story(archive, author, coauthor, media_dir):
    """A story that tries an e-book: 40 chapters, notes and end notes, non-ASCII text,
    a picture from the site's media folder and one from elsewhere, obsolete markup, a
    co-author's chapter, a series, free-form tags."""
    from fabula.stories import actions
    from fabula.taxonomy.models import Tag, TagKind

    freeform = TagKind.objects.create(slug="tags", name="Tags", role="freeform")
    story = actions.story_create(
        authors=[author, coauthor],
        title="Café au lait — «Ünïcödé» 物語",
        rating=archive.teen,
        summary="<p>Zoë & Jürgen’s <em>naïve</em> summary — 日本語も.</p>",
        notes='Story notes with a <a href="/stories/">relative link</a> & “quotes”.',
        tags=[
            archive.subfandom,
            archive.jim,
            archive.pam,
            archive.angst,
            archive.humor,
            Tag.objects.create(kind=freeform, name="Slow burn"),
        ],
        status="published",
        completed=True,
    )
    series = actions.series_create(owner=author, title="The Café Cycle")
    other = actions.story_create(
        authors=[author],
        title="Before",
        rating=archive.general,
        tags=[archive.fandom],
        status="published",
    )
    actions.series_add(series=series, story=other)
    actions.series_add(series=series, story=story)
    for n in range(1, RICH_CHAPTERS + 1):
        body = f"<p>Chapter {n}: naïve café façade, ½ of the smörgåsbord, 中文 text.</p>"
        if n == 1:
            body += (
                "<center>Centred <big>big</big> <tt>typed</tt> <strike>struck</strike>"
                ' <acronym title="as soon as possible">ASAP</acronym></center>'
                '<p align="right">Right.<br>Next line &nbsp; <a name="x" href="#x">anchor</a></p>'
                '<p><img src="/media/pictures/dot.png" alt="A dot" width="1" height="1"></p>'
                '<p><img src="https://example.org/far.png" alt="A far picture"></p>'
                "<ul><li>one</li><li>two</li></ul>"
            )
        actions.chapter_add(
            story=story,
            title=f"Chapter {n} — «{n}»",
            body=body,
            author=coauthor if n == 2 else None,
            notes=f"Notes for chapter {n} ✓" if n % 2 else "",
            end_notes=f"<p>End notes for chapter {n}.</p><p>Second paragraph.</p>"
            if n % 3 == 0
            else "",
        )
    story.refresh_from_db()
    return story
