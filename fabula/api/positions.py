"""Places in a Fabula EPUB as KOReader names them, and as Fabula does.

KOReader (its crengine) names a place in an EPUB with an *xpointer*: the spine item as
`DocFragment[N]` (1-based, in the order of the OPF's spine), then the path of elements inside
that file's `<body>`, then the character in a text node:

    /body/DocFragment[4]/body/section/p[3]/text().17

Fabula names a reader's place as a chapter and how far into it, from 0 to 1 (`Reading`).
Between the two stands a `BookMap`, made once from the very bytes of each EPUB built (so it is
true to that file): for each chapter file, its DocFragment number and its *blocks*, the
innermost block elements (paragraphs, headings, list items...) with their XPath-like paths and
the length of their text. A place is then a count of characters into the chapter's text:

- xpointer -> place: the block the path names (or the nearest one above it), the characters of
  the blocks before it plus the offset, over the chapter's characters;
- place -> xpointer: the block where that many characters into the chapter falls, and the
  offset inside it.

Both ways use the same counts, so a place survives the round trip to the block it is in. The
book's percentage (which KOReader also sends, and which older sync servers use alone) is the
same count over all the chapters.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

BLOCKS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre", "blockquote", "div",
    "section", "table", "tr", "td", "th", "hr", "figure", "figcaption", "ul", "ol", "dl",
}  # fmt: skip
XPOINTER = re.compile(
    r"^/body/DocFragment\[(\d+)\](/body(?:/[^/]+)*?)(?:/text\(\)(?:\[\d+\])?\.(\d+))?$"
)
CHAPTER_FILE = re.compile(r"chapter-(\d+)\.xhtml$")


@dataclass
class ChapterMap:
    chapter_id: int
    fragment: int  # its DocFragment number
    blocks: list[tuple[str, int]]  # (path from /body, characters of text)

    @property
    def characters(self) -> int:
        return sum(chars for _, chars in self.blocks)

    def to_json(self) -> dict:
        return {"id": self.chapter_id, "fragment": self.fragment, "blocks": self.blocks}

    @classmethod
    def from_json(cls, data: dict) -> ChapterMap:
        return cls(data["id"], data["fragment"], [(p, c) for p, c in data["blocks"]])


@dataclass
class Place:
    chapter_id: int
    place: float  # 0 to 1 into the chapter


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text_length(element) -> int:
    return len(" ".join("".join(element.itertext()).split()))


def _blocks(body) -> list[tuple[str, int]]:
    """The innermost block elements below `body`, in document order, with their paths."""
    found: list[tuple[str, int]] = []

    def walk(element, path: str) -> None:
        children = [c for c in element if _local(c.tag)]
        names = [_local(c.tag) for c in children]
        inner = [c for c in children if _local(c.tag) in BLOCKS]
        if element is not body and not inner:
            found.append((path, _text_length(element)))
            return
        for child, name in zip(children, names, strict=True):
            if name not in BLOCKS:
                continue
            same = [c for c, n in zip(children, names, strict=True) if n == name]
            step = f"{name}[{same.index(child) + 1}]" if len(same) > 1 else name
            walk(child, f"{path}/{step}")

    walk(body, "/body")
    return found


def book_map(data: bytes, chapter_ids: list[int]) -> list[ChapterMap]:
    """The map of an EPUB built by `formats.epub`: `chapter-N.xhtml` holds the N-th of
    `chapter_ids` (the chapters it was built from, in order)."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        container = etree.fromstring(book.read("META-INF/container.xml"))
        opf_path = container.find(".//{*}rootfile").get("full-path")
        opf = etree.fromstring(book.read(opf_path))
        hrefs = {
            item.get("id"): item.get("href") for item in opf.iterfind(".//{*}manifest/{*}item")
        }
        spine = [hrefs[ref.get("idref")] for ref in opf.iterfind(".//{*}spine/{*}itemref")]
        folder = posixpath.dirname(opf_path)
        maps = []
        for fragment, href in enumerate(spine, start=1):
            match = CHAPTER_FILE.search(href)
            if not match or int(match.group(1)) > len(chapter_ids):
                continue
            page = etree.fromstring(book.read(posixpath.join(folder, href)))
            body = page.find("{*}body")
            maps.append(ChapterMap(chapter_ids[int(match.group(1)) - 1], fragment, _blocks(body)))
    return maps


def _percentage(maps: list[ChapterMap], chapter: ChapterMap, characters: float) -> float:
    total = sum(m.characters for m in maps) or 1
    before = sum(m.characters for m in maps[: maps.index(chapter)])
    return round((before + characters) / total, 4)


def to_fabula(maps: list[ChapterMap], xpointer: str, percentage: float | None) -> Place | None:
    """The chapter and place an xpointer names in this book (by the percentage when the
    xpointer names no chapter of it); None when neither does."""
    match = XPOINTER.match(xpointer or "")
    chapter = None
    if match:
        chapter = next((m for m in maps if m.fragment == int(match.group(1))), None)
    if chapter is None or match is None:
        return _from_percentage(maps, percentage)
    path = re.sub(r"\[1\]", "", match.group(2))
    offset = int(match.group(3) or 0)
    before = 0
    for block, chars in chapter.blocks:
        plain = re.sub(r"\[1\]", "", block)
        if path == plain or path.startswith(plain + "/") or plain.startswith(path + "/"):
            place = (before + min(offset, chars)) / (chapter.characters or 1)
            return Place(chapter.chapter_id, round(min(place, 1.0), 4))
        before += chars
    return Place(chapter.chapter_id, 0.0)


def _from_percentage(maps: list[ChapterMap], percentage: float | None) -> Place | None:
    if not maps or percentage is None or not 0 <= percentage <= 1:
        return None
    target = percentage * sum(m.characters for m in maps)
    for chapter in maps:
        if target <= chapter.characters or chapter is maps[-1]:
            place = target / (chapter.characters or 1)
            return Place(chapter.chapter_id, round(min(max(place, 0.0), 1.0), 4))
        target -= chapter.characters
    return None


def to_koreader(maps: list[ChapterMap], chapter_id: int, place: float) -> tuple[str, float] | None:
    """The xpointer and book percentage of a place in a chapter; None if the book lacks it."""
    chapter = next((m for m in maps if m.chapter_id == chapter_id), None)
    if chapter is None:
        return None
    target = round(place * chapter.characters)
    for block, chars in chapter.blocks:
        if target < chars or (block, chars) == chapter.blocks[-1]:
            offset = max(min(target, chars), 0)
            pointer = f"/body/DocFragment[{chapter.fragment}]{block}/text().{offset}"
            return pointer, _percentage(maps, chapter, place * chapter.characters)
        target -= chars
    return f"/body/DocFragment[{chapter.fragment}]/body", _percentage(maps, chapter, 0)
