"""EPUB 3 e-books, with EPUB 2 navigation (NCX) for older readers ("epub").

The book is packaged by ebooklib; the pages inside are XHTML made with lxml (`xhtml.py`), so
that every file is well-formed and the result passes `epubcheck`. What is in it:

- `title.xhtml`: the title page, with the whole story header (summary, rating, tags, series,
  counts, dates, the story's address), the story notes and the site's printer copyright;
- `nav.xhtml` (EPUB 3) and `toc.ncx` (EPUB 2): the table of contents;
- `chapter-N.xhtml`: each chapter with its author's notes before and end notes after the text;
- `images/`: the pictures of the site's own media folder that the text shows (other pictures
  become links, as an EPUB may not load images from the web);
- metadata readers and calibre understand: title, authors, language, identifier, summary,
  subjects (the tags), publisher (the site), source (the address), publication date,
  modification date, and each series with the story's place in it, both as calibre's
  `calibre:series`/`calibre:series_index` and as EPUB 3's `belongs-to-collection`.

A book's bytes depend only on the story and the site settings (the modification time is the
story's, not the clock's), so building it twice gives the same file.
"""

from __future__ import annotations

import html
import io
import mimetypes
import posixpath
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import storages
from ebooklib import epub

from fabula.formats.book import Book, gather
from fabula.formats.registry import Format
from fabula.formats.xhtml import to_xhtml
from fabula.lib.html import html_to_plain
from fabula.lib.words import tidy_title
from fabula.stories.models import Chapter, Story

NAME = "epub"
STYLESHEET = """\
body { font-family: serif; line-height: 1.45; margin: 0 4%; }
h1, h2, h3 { font-family: sans-serif; line-height: 1.2; }
h1 { margin-top: 2em; }
.byline { font-size: 1.1em; margin-bottom: 2em; }
dl.header { margin: 1em 0; }
dl.header dt { font-weight: bold; float: left; clear: left; margin-right: 0.5em; }
dl.header dt::after { content: ":"; }
dl.header dd { margin: 0 0 0.3em 0; }
.summary, .notes, .end-notes { margin: 1em 0; }
.notes, .end-notes { border-left: 3px solid #999; padding-left: 0.8em; font-size: 0.95em; }
.chapter-author { font-style: italic; }
.copyright { font-size: 0.85em; margin-top: 3em; }
.center, .align-center { text-align: center; }
.align-right { text-align: right; }
.align-justify { text-align: justify; }
.big { font-size: 1.2em; }
img { max-width: 100%; }
"""
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"}


def render(story: Story, chapters: Sequence[Chapter]) -> bytes:
    return build_epub(gather(story, chapters))


def build_epub(book: Book) -> bytes:
    package = epub.EpubBook()
    _set_metadata(package, book)
    style = epub.EpubItem(
        uid="style", file_name="style.css", media_type="text/css", content=STYLESHEET.encode()
    )
    package.add_item(style)
    images = _Images(package, book.site_url)

    title_page = _Page("title", "title.xhtml", book.title, book.language, _title_page(book, images))
    pages = [title_page]
    for chapter in book.chapters:
        pages.append(
            _Page(
                f"chapter-{chapter.number}",
                f"chapter-{chapter.number}.xhtml",
                chapter.title,
                book.language,
                _chapter_page(book, chapter, images),
            )
        )
    for page in pages:
        package.add_item(page)
    package.toc = [epub.Link(page.file_name, page.title, page.id) for page in pages]
    package.add_item(epub.EpubNcx())
    nav = epub.EpubNav(title="Contents")
    nav.add_item(style)
    package.add_item(nav)
    package.spine = [title_page, nav, *pages[1:]]
    # Where readers jump for "contents" and "start reading": EPUB 2's guide, EPUB 3's landmarks.
    package.guide = [{"type": "toc", "title": "Contents", "href": "nav.xhtml"}]
    if len(pages) > 1:
        package.guide.append({"type": "text", "title": "Start", "href": pages[1].file_name})

    out = io.BytesIO()
    modified = _utc(book.updated) or datetime(2000, 1, 1)
    writer = _Writer(
        out, package, {"epub3_pages": False, "mtime": modified, "landmark_title": "Landmarks"}
    )
    writer.stamp = max(modified, datetime(1980, 1, 1)).timetuple()[:6]
    writer.process()
    writer.write()
    return out.getvalue()


class _Writer(epub.EpubWriter):
    """ebooklib's writer, with every file in the zip dated by the story (not by the clock), so
    the same story gives the same bytes."""

    stamp: tuple = (1980, 1, 1, 0, 0, 0)

    def write(self):
        self.out = _StampedZip(self.file_name, "w", zipfile.ZIP_DEFLATED, stamp=self.stamp)
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


class _StampedZip(zipfile.ZipFile):
    def __init__(self, *args, stamp: tuple, **kwargs):
        super().__init__(*args, **kwargs)
        self.stamp = stamp

    def writestr(self, name, data, compress_type=None, compresslevel=None):
        if isinstance(name, str):
            info = zipfile.ZipInfo(name, date_time=self.stamp)
            info.external_attr = 0o644 << 16
            name = info
        return super().writestr(
            name,
            data,
            compress_type=self.compression if compress_type is None else compress_type,
            compresslevel=compresslevel,
        )


class _Page(epub.EpubHtml):
    """A page whose XHTML is made here, complete; ebooklib packages it as it is."""

    def __init__(self, uid: str, file_name: str, title: str, language: str, body: str):
        super().__init__(uid=uid, file_name=file_name, title=title, lang=language)
        self.xhtml = _document(title, language, body)

    def get_content(self, default=None) -> bytes:
        return self.xhtml


def _document(title: str, language: str, body: str) -> bytes:
    lang = html.escape(language)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'lang="{lang}" xml:lang="{lang}">\n<head>\n<meta charset="utf-8"/>\n'
        f"<title>{html.escape(title)}</title>\n"
        '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    ).encode()


def _title_page(book: Book, images: _Images) -> str:
    def text(value: str) -> str:
        return html.escape(value, quote=False)

    def fragment(value: str) -> str:
        return to_xhtml(value, base_url=book.site_url, image=images.add)

    out = [
        f'<section epub:type="titlepage"><h1>{text(book.title)}</h1>',
        f'<p class="byline">by {text(", ".join(book.authors))}</p>',
    ]
    if book.summary:
        out.append(f'<div class="summary">{fragment(book.summary)}</div>')
    out.append('<dl class="header">')
    for label, value in book.fields:
        out.append(f"<dt>{text(label)}</dt><dd>{text(value)}</dd>")
    address = html.escape(book.url)
    out.append(f'<dt>Address</dt><dd><a href="{address}">{address}</a></dd></dl>')
    if book.notes:
        out.append(f'<div class="notes"><h2>Story Notes</h2>{fragment(book.notes)}</div>')
    if book.copyright:
        out.append(f'<div class="copyright">{fragment(book.copyright)}</div>')
    out.append("</section>")
    return "\n".join(out)


def _chapter_page(book: Book, chapter, images: _Images) -> str:
    def fragment(value: str) -> str:
        return to_xhtml(value, base_url=book.site_url, image=images.add)

    out = [f'<section epub:type="chapter"><h2>{html.escape(chapter.title, quote=False)}</h2>']
    if chapter.by_other_author:
        out.append(f'<p class="chapter-author">by {html.escape(chapter.author, quote=False)}</p>')
    if chapter.notes:
        out.append(f'<div class="notes"><h3>Author\'s Notes</h3>{fragment(chapter.notes)}</div>')
    out.append(fragment(chapter.body))
    if chapter.end_notes:
        out.append(f'<div class="end-notes"><h3>End Notes</h3>{fragment(chapter.end_notes)}</div>')
    out.append("</section>")
    return "\n".join(out)


class _Images:
    """Pictures from the site's media storage, copied into the book once each."""

    def __init__(self, package: epub.EpubBook, site_url: str):
        self.package = package
        self.site_url = site_url
        self.added: dict[str, str] = {}  # media name -> name inside the book

    def add(self, src: str) -> str | None:
        """The address of this picture inside the book, or None if it is not the site's."""
        media = self._media_file(src)
        if media is None:
            return None
        if media not in self.added:
            number = len(self.added) + 1
            name = f"images/image-{number}{PurePosixPath(media).suffix.lower()}"
            with storages["default"].open(media, "rb") as picture:
                content = picture.read()
            self.package.add_item(
                epub.EpubImage(
                    uid=f"image-{number}",
                    file_name=name,
                    media_type=mimetypes.guess_type(media)[0],
                    content=content,
                )
            )
            self.added[media] = name
        return self.added[media]

    def _media_file(self, src: str) -> str | None:
        """The name in the media storage of a picture the site serves, or None."""
        media_prefix = self.site_url + settings.MEDIA_URL
        if not src.startswith(media_prefix):
            return None
        name = posixpath.normpath(src[len(media_prefix) :].split("?")[0].split("#")[0])
        if name.startswith(("/", "..")) or mimetypes.guess_type(name)[0] not in IMAGE_TYPES:
            return None
        return name if storages["default"].exists(name) else None


def _set_metadata(package: epub.EpubBook, book: Book) -> None:
    package.set_identifier(book.identifier)
    package.set_title(book.title)
    package.set_language(book.language)
    for number, author in enumerate(book.authors, start=1):
        package.add_author(author, uid=f"creator{number}")
    if book.summary:
        package.add_metadata("DC", "description", tidy_title(html_to_plain(book.summary)))
    package.add_metadata("DC", "publisher", book.site_name)
    package.add_metadata("DC", "source", book.url)
    published = _utc(book.published)
    if published:
        package.add_metadata("DC", "date", published.strftime("%Y-%m-%dT%H:%M:%SZ"))
    for subject in book.subjects:
        package.add_metadata("DC", "subject", subject)
    for number, place in enumerate(book.series, start=1):
        if number == 1:  # calibre knows one series per book
            package.add_metadata(
                None, "meta", "", {"name": "calibre:series", "content": place.title}
            )
            package.add_metadata(
                None, "meta", "", {"name": "calibre:series_index", "content": str(place.index)}
            )
        collection = f"series-{number}"
        package.add_metadata(
            None, "meta", place.title, {"property": "belongs-to-collection", "id": collection}
        )
        package.add_metadata(
            None, "meta", "series", {"refines": f"#{collection}", "property": "collection-type"}
        )
        package.add_metadata(
            None,
            "meta",
            str(place.index),
            {"refines": f"#{collection}", "property": "group-position"},
        )


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None)


FORMAT = Format(
    name=NAME,
    label="EPUB e-book",
    media_type="application/epub+zip",
    extension="epub",
    render=render,
    download_label="EPUB",
    in_catalog=True,
)
