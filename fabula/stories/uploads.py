"""Turning what an author gives us into HTML: typed HTML or Markdown, or an uploaded .txt,
.html or .docx file. Everything comes out through the one sanitiser (`fabula.lib.html`)."""

from __future__ import annotations

import codecs
import io
import os
import zipfile

from django.core.files.uploadedfile import UploadedFile
from markdown_it import MarkdownIt

from fabula.conf.limits import MAX_UPLOAD_BYTES
from fabula.conf.markup import sanitize
from fabula.conf.models import site_settings
from fabula.lib.html import looks_like_html, plain_to_html

FORMATS = [("html", "HTML"), ("markdown", "Markdown")]
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".docx")

# CommonMark with raw HTML allowed: the sanitiser decides what of it survives.
_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False})


class UnreadableUpload(ValueError):
    """The file is not a text an author can post; the message says why."""


def to_html(text: str, text_format: str) -> str:
    """Typed text to safe HTML."""
    if text_format == "markdown":
        return sanitize(_markdown.render(text or ""))
    return sanitize(text or "")


def read_upload(upload: UploadedFile) -> str:
    """An uploaded chapter as safe HTML, or UnreadableUpload. Its name and size are checked
    before a byte of it is read."""
    suffix = os.path.splitext((upload.name or "").lower())[1]
    if suffix not in UPLOAD_SUFFIXES:
        raise UnreadableUpload("Upload a .txt, .html or .docx file.")
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise UnreadableUpload(
            f"That file is {(upload.size or 0) / 1024 / 1024:,.1f} MB; an uploaded chapter is at "
            f"most {MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        )
    data = upload.read()
    if suffix == ".docx":
        return sanitize(_docx_to_html(data))
    text = _decode(data)
    if suffix == ".txt" and not looks_like_html(text):
        return plain_to_html(text)
    return sanitize(text)


# Byte order marks: Windows' Notepad saves "Unicode" text as UTF-16 with one.
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:  # UTF-32 first: its little-endian mark starts like UTF-16's
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise UnreadableUpload(f"That file is damaged {encoding.upper()} text.") from error
    if b"\x00" in data[:4096]:
        raise UnreadableUpload("That file is not text (it looks like a program or an image).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_printable(text):
            return text
    raise UnreadableUpload("That file is not text we can read (use UTF-8).")


def _mostly_printable(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return True
    bad = sum(1 for ch in sample if not ch.isprintable() and ch not in "\r\n\t")
    return bad / len(sample) < 0.02


# A .docx is a zip of XML. Its size unpacked is what mammoth's time and memory grow with (10 MB
# of XML: half a minute and some 300 MB), and a zip can pack that into a few KB: the sizes the
# zip declares are checked before anything is unpacked. A novel's document.xml is a few MB; no
# text compresses much better than 30:1, a run of one repeated character does by thousands.
MAX_DOCX_UNPACKED_BYTES = 8 * 1024 * 1024
MAX_DOCX_RATIO = 100  # unpacked / packed, for a part larger than a megabyte
# mammoth's time grows with paragraphs (some 0.2 ms each): a novel has a few thousand.
MAX_DOCX_PARAGRAPHS = 20_000


def _docx_to_html(data: bytes) -> str:
    _check_docx(data)  # before mammoth is even imported (a second, the first time)
    import mammoth

    try:
        result = mammoth.convert_to_html(io.BytesIO(data))
    except Exception as error:  # mammoth raises many kinds on damaged files
        raise UnreadableUpload("That Word document could not be read.") from error
    return result.value


def _check_docx(data: bytes) -> None:
    """Refuse a .docx that is no zip, that would unpack to more than a chapter's worth, or whose
    text is longer than a chapter or cut into more paragraphs than one has."""

    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise UnreadableUpload("That file is not a Word (.docx) document.") from error
    unpacked = sum(part.file_size for part in parts)
    packed_too_well = any(
        part.file_size > 1024 * 1024
        and part.file_size > MAX_DOCX_RATIO * max(part.compress_size, 1)
        for part in parts
    )
    if unpacked > MAX_DOCX_UNPACKED_BYTES or packed_too_well:
        raise UnreadableUpload(
            f"That Word document would unpack to {unpacked / 1024 / 1024:,.1f} MB from "
            f"{len(data) / 1024:,.0f} KB, which no chapter does: save it again from your word "
            "processor, or paste the text instead."
        )
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        characters, paragraphs = _document_size(docx)
    limit = site_settings().max_chapter_characters
    if characters > limit:
        raise UnreadableUpload(
            f"That Word document holds {characters:,} characters of text; a chapter has at "
            f"most {limit:,}."
        )
    if paragraphs > MAX_DOCX_PARAGRAPHS:
        raise UnreadableUpload(
            f"That Word document holds {paragraphs:,} paragraphs; a chapter has at most "
            f"{MAX_DOCX_PARAGRAPHS:,}: split it into chapters."
        )


_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _document_size(docx) -> tuple[int, int]:
    """(characters of text, paragraphs) of a .docx's main document, read as a stream by lxml
    (some 100 times faster than mammoth's conversion, whose time grows with the paragraphs)."""
    from lxml import etree

    try:
        stream = docx.open("word/document.xml")
    except KeyError as error:
        raise UnreadableUpload("That Word document has no text (no word/document.xml).") from error
    characters = paragraphs = 0
    try:
        with stream:
            for _event, element in etree.iterparse(
                stream, tag=(f"{_WORD}t", f"{_WORD}p"), resolve_entities=False, no_network=True
            ):
                if element.tag == f"{_WORD}t":
                    characters += len(element.text or "")
                else:
                    paragraphs += 1
                element.clear(keep_tail=True)
    except (etree.XMLSyntaxError, zipfile.BadZipFile) as error:
        raise UnreadableUpload("That Word document could not be read.") from error
    return characters, paragraphs
