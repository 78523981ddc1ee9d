"""Turning what an author gives us into HTML: typed HTML or Markdown, or an uploaded .txt,
.html or .docx file. Everything comes out through the one sanitiser (`fabula.lib.html`)."""

from __future__ import annotations

import io
import os

from markdown_it import MarkdownIt

from fabula.conf.markup import sanitize
from fabula.lib.html import looks_like_html, plain_to_html

FORMATS = [("html", "HTML"), ("markdown", "Markdown")]
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".docx")
MAX_UPLOAD_BYTES = 8 * 1024 * 1024

# CommonMark with raw HTML allowed: the sanitiser decides what of it survives.
_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False})


class UnreadableUpload(ValueError):
    """The file is not a text an author can post; the message says why."""


def to_html(text: str, text_format: str) -> str:
    """Typed text to safe HTML."""
    if text_format == "markdown":
        return sanitize(_markdown.render(text or ""))
    return sanitize(text or "")


def read_upload(name: str, data: bytes) -> str:
    """An uploaded chapter as safe HTML, or UnreadableUpload."""
    suffix = os.path.splitext(name.lower())[1]
    if suffix not in UPLOAD_SUFFIXES:
        raise UnreadableUpload("Upload a .txt, .html or .docx file.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableUpload("That file is too large to be a chapter.")
    if suffix == ".docx":
        return sanitize(_docx_to_html(data))
    text = _decode(data)
    if suffix == ".txt" and not looks_like_html(text):
        return plain_to_html(text)
    return sanitize(text)


def _decode(data: bytes) -> str:
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


def _docx_to_html(data: bytes) -> str:
    import zipfile

    import mammoth

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableUpload("That file is not a Word (.docx) document.")
    try:
        result = mammoth.convert_to_html(io.BytesIO(data))
    except Exception as error:  # mammoth raises many kinds on damaged files
        raise UnreadableUpload("That Word document could not be read.") from error
    return result.value
