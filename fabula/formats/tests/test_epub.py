"""EPUB e-books: valid (epubcheck), complete (header, contents, notes in place), described
(metadata for readers and calibre), and the same bytes when built twice."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC

import pytest
from django.contrib.auth.models import AnonymousUser
from lxml import etree

from fabula.formats import epub
from fabula.formats.registry import get_format
from fabula.formats.tests.conftest import RICH_CHAPTERS
from fabula.formats.tests.epubcheck import check_epubs
from fabula.formats.tests.helpers import SEED_SID, import_text, run
from fabula.stories.models import Story
from fabula.stories.permissions import visible_chapters

OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
XHTML = {"x": "http://www.w3.org/1999/xhtml"}
EPUB_OPS = "http://www.idpf.org/2007/ops"


def build(story: Story) -> bytes:
    return epub.render(
        story, list(visible_chapters(AnonymousUser(), story).select_related("author"))
    )


def files_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {name: book.read(name) for name in book.namelist()}


def test_seed_export_and_rich_story_pass_epubcheck(db, seed_path, rich_story, tmp_path):
    assert import_text(seed_path).error is None
    seed_file = tmp_path / "seed.epub"
    ran = run("export", str(SEED_SID), "--format", "epub", "-o", str(seed_file))
    assert ran.error is None, ran.error
    rich_file = tmp_path / "rich.epub"
    rich_file.write_bytes(build(rich_story))
    check_epubs(seed_file, rich_file)


def test_the_package_starts_with_an_uncompressed_mimetype(rich_story):
    with zipfile.ZipFile(io.BytesIO(build(rich_story))) as book:
        first = book.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert book.read("mimetype") == b"application/epub+zip"


def test_metadata_readers_and_calibre_understand(rich_story):
    opf = etree.fromstring(files_of(build(rich_story))["EPUB/content.opf"])

    def texts(path):
        return [element.text for element in opf.xpath(path, namespaces=OPF)]

    assert texts("//dc:title") == ["Café au lait — «Ünïcödé» 物語"]
    assert texts("//dc:creator") == ["Night Swept", "Midnight Owl"]
    assert texts("//dc:language") == ["en"]
    assert texts("//dc:identifier")[0].startswith("urn:uuid:")
    assert texts("//dc:source") == [f"http://127.0.0.1:8000/stories/{rich_story.pk}/"]
    assert set(texts("//dc:subject")) >= {
        "Jim and Pam",
        "Jim",
        "Pam",
        "Angst",
        "Humor",
        "Slow burn",
    }
    assert "naïve summary" in texts("//dc:description")[0]
    published = rich_story.published_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert texts("//dc:date") == [published]
    modified = texts("//opf:meta[@property='dcterms:modified']")
    assert modified == [rich_story.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ")]
    # calibre's series, and EPUB 3's: the story is the second of its series.
    assert opf.xpath("//opf:meta[@name='calibre:series']/@content", namespaces=OPF) == [
        "The Café Cycle"
    ]
    assert opf.xpath("//opf:meta[@name='calibre:series_index']/@content", namespaces=OPF) == ["2"]
    assert texts("//opf:meta[@property='belongs-to-collection']") == ["The Café Cycle"]
    assert texts("//opf:meta[@property='group-position']") == ["2"]
    assert texts("//opf:meta[@property='collection-type']") == ["series"]


def test_contents_has_every_chapter_in_both_navigations(rich_story):
    files = files_of(build(rich_story))
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    toc = nav.xpath("//x:nav[@epub:type='toc']//x:a", namespaces={**XHTML, "epub": EPUB_OPS})
    titles = [a.text for a in toc]
    assert titles[0] == rich_story.title
    assert titles[1:] == [f"Chapter {n} — «{n}»" for n in range(1, RICH_CHAPTERS + 1)]
    ncx = etree.fromstring(files["EPUB/toc.ncx"])
    labels = ncx.xpath(
        "//n:navPoint/n:navLabel/n:text/text()",
        namespaces={"n": "http://www.daisy.org/z3986/2005/ncx/"},
    )
    assert labels == titles
    landmarks = nav.xpath(
        "//x:nav[@epub:type='landmarks']//x:a/@href", namespaces={**XHTML, "epub": EPUB_OPS}
    )
    assert landmarks == ["nav.xhtml", "chapter-1.xhtml"]


def test_title_page_has_the_whole_header(rich_story):
    page = files_of(build(rich_story))["EPUB/title.xhtml"].decode()
    for expected in (
        "Café au lait — «Ünïcödé» 物語",
        "by Night Swept, Midnight Owl",
        "Zoë &amp; Jürgen’s <em>naïve</em> summary",
        "<dt>Rated</dt><dd>PG-13</dd>",
        "<dt>Categories</dt><dd>Jim and Pam</dd>",
        "<dt>Characters</dt><dd>Jim, Pam</dd>",
        "<dt>Genres</dt><dd>Angst, Humor</dd>",
        "<dt>Warnings</dt><dd>None</dd>",
        "<dt>Tags</dt><dd>Slow burn</dd>",
        "<dt>Series</dt><dd>The Café Cycle (part 2)</dd>",
        f"<dt>Chapters</dt><dd>{RICH_CHAPTERS}</dd>",
        "<dt>Completed</dt><dd>Yes</dd>",
        f"<dt>Word count</dt><dd>{rich_story.word_count:,}</dd>",
        "<dt>Published</dt>",
        "<dt>Updated</dt>",
        f"http://127.0.0.1:8000/stories/{rich_story.pk}/",
        # The story notes, their relative link made absolute.
        "Story Notes",
        '<a href="http://127.0.0.1:8000/stories/" rel="noopener nofollow ugc">relative link</a>',
    ):
        assert expected in page, expected


def test_notes_stand_in_place_and_markup_is_modernised(rich_story):
    files = files_of(build(rich_story))
    first = files["EPUB/chapter-1.xhtml"].decode()
    notes, body = first.index("Notes for chapter 1 ✓"), first.index("Chapter 1: naïve café")
    assert notes < body
    assert '<div class="center">' in first and '<span class="big">big</span>' in first
    assert "<code>typed</code>" in first and "<s>struck</s>" in first
    assert '<abbr title="as soon as possible">ASAP</abbr>' in first
    assert '<p class="align-right">' in first and "<br/>" in first
    assert "name=" not in first and 'href="#x"' not in first
    # The site's picture is inside the book; the far one is a link to it.
    assert '<img src="images/image-1.png" alt="A dot" width="1" height="1"/>' in first
    assert '<a href="https://example.org/far.png">[A far picture]</a>' in first
    assert "EPUB/images/image-1.png" in files
    third = files["EPUB/chapter-3.xhtml"].decode()
    body, end = third.index("Chapter 3: naïve"), third.index("End notes for chapter 3.")
    assert body < end
    # A co-author's chapter says who wrote it; the main author's do not.
    assert "by Midnight Owl" in files["EPUB/chapter-2.xhtml"].decode()
    assert "chapter-author" not in first


def test_building_twice_gives_the_same_bytes(rich_story):
    data = build(rich_story)
    assert build(rich_story) == data
    # The files in the zip are dated by the story, not by the clock of the build.
    when = rich_story.updated_at.astimezone(UTC)
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second // 2 * 2)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert {info.date_time for info in book.infolist()} == {stamp}


def test_export_command_writes_epub_html_and_text(db, seed_path, tmp_path):
    assert import_text(seed_path).error is None
    for name in ("epub", "html", "txt"):
        target = tmp_path / f"seed.{name}"
        ran = run("export", str(SEED_SID), "--format", name, "-o", str(target))
        assert ran.error is None, ran.error
        assert target.read_bytes() == get_format(name).render(
            Story.objects.get(pk=SEED_SID),
            list(Story.objects.get(pk=SEED_SID).chapters.order_by("position")),
        )
    text = (tmp_path / "seed.txt").read_text()
    assert text.startswith("The Last Temptation of Jim Halpert\nby Night Swept\n")
    assert "Author's Notes:\nMonday Morning in Scranton" in text
    page = (tmp_path / "seed.html").read_text()
    assert '<li><a href="#chapter-4">Man Up, James Halpert</a></li>' in page


def test_export_of_a_binary_format_to_standard_output_is_refused(db, seed_path):
    assert import_text(seed_path).error is None
    ran = run("export", str(SEED_SID), "--format", "epub")
    assert ran.error is not None and "-o FILE" in str(ran.error)


@pytest.mark.parametrize(
    "src",
    [
        "/media/../settings.png",  # out of the media storage
        "/media/pictures/../../secret.png",
        "/media/pictures/missing.png",  # not there
        "/media/pictures/dot.txt",  # not a picture
        "https://example.org/media/pictures/dot.png",  # another site's
    ],
)
def test_only_the_sites_own_pictures_go_into_a_book(db, media_dir, src):
    images = epub._Images(epub.epub.EpubBook(), "http://127.0.0.1:8000")
    assert images.add("http://127.0.0.1:8000/media/pictures/dot.png") == "images/image-1.png"
    assert images.add(src if src.startswith("https:") else "http://127.0.0.1:8000" + src) is None
