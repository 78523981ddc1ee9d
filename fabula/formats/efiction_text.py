"""eFiction's printable page as text, read and written ("efiction-text").

This is what eFiction's "print" view of a whole story reads like once copied out as text. The
layout, line by line (`render_text` writes exactly this; `parse_text` reads it back, so
text -> archive -> text gives the same bytes):

    TITLE by AUTHOR, CO-AUTHOR
    Summary: SUMMARY                 an inline summary, on the label's line; or, when the stored
                                     summary opens with a block (<p>), "Summary:" alone, a blank
                                     line, the summary, two blank lines
    Categories: A, B Characters: C, D        "Orphan" / "None" when empty
    KIND: X, Y                       one line per class kind of the site, by the kind's slug
    Challenges: None
    Series: None
    Chapters: N Completed: Yes Word count: W Read: R Published: DATE Updated: DATE
    Story Notes:                     only if the story has notes
    NOTES
                                     a blank line, then the table of contents:
    1. CHAPTER TITLE by AUTHOR       (a blank line after each entry)

    CHAPTER TITLE by AUTHOR          then each chapter:
    Author's Notes:                  only if the chapter has notes; the notes are the lines
    NOTES                            up to the first blank line (so they are printed without
                                     blank lines)
    TEXT                             paragraphs parted by blank lines, then one blank line
    End Notes:                       only if the chapter has end notes; they run to the next
    END NOTES                        chapter's heading
    PRINTER COPYRIGHT                only if the site has one (SiteSettings.printer_copyright)
    This story archived at URL       the last line, with no newline after it

Reading rules, where the layout alone would be ambiguous:

- title and authors are split on the LAST " by "; co-authors on ", "; so are tag lists
  (a category whose name holds ", " cannot be told from two categories);
- the chapter headings are found from the "Chapters:" count and the table of contents: a
  chapter runs from its heading to the first later line equal to the next chapter's heading;
- inside a chapter, the LAST "End Notes:" line after a blank line starts the end notes;
- the printer copyright is recognised (and dropped) only when it is this site's own.

Paragraphs become stored HTML through the reversible mapping of `blocks.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from fabula.conf.models import site_settings
from fabula.formats import efiction_fields
from fabula.formats.blocks import (
    compact_lines,
    html_to_text,
    note_to_html,
    starts_with_block,
    text_to_html,
)
from fabula.formats.efiction_fields import CATEGORY_PATH_SEPARATOR
from fabula.formats.errors import FormatError
from fabula.formats.registry import Format
from fabula.importers.dump import StoryDump, to_json_date
from fabula.lib.dates import parse_php_date
from fabula.stories.models import Chapter, Status, Story, shown_chapter_author
from fabula.stories.selectors import story_header
from fabula.taxonomy.models import TagKind

NAME = "efiction-text"
DEFAULT_DATE_FORMAT = "F d, Y"

SUMMARY = "Summary:"
CATEGORIES = "Categories: "
CHALLENGES = "Challenges:"
SERIES = "Series:"
STORY_NOTES = "Story Notes:"
AUTHORS_NOTES = "Author's Notes:"
END_NOTES = "End Notes:"
ARCHIVED_AT = "This story archived at "
BY = " by "
LIST_SEPARATOR = ", "

_CATEGORIES_LINE = re.compile(
    r"Categories: (?P<categories>.*?) Characters:(?: (?P<characters>.*))?\Z"
)
_CHAPTERS_LINE = re.compile(
    r"Chapters: (?P<count>\d+) Completed: (?P<completed>Yes|No) Word count: (?P<words>\d+)"
    r" Read: (?P<reads>\d+) Published: (?P<published>.*?) Updated: ?(?P<updated>.*)\Z"
)
_CONTENTS_ENTRY = re.compile(r"(?P<number>\d+)\. (?P<heading>.+)\Z")
_SID = re.compile(r"[?&]sid=(\d+)")
RATING = "rating"  # the key of the story's rating: the text names none, the importer gives it


# Writing ------------------------------------------------------------------------------------


def render(story: Story, chapters: Sequence[Chapter]) -> bytes:
    """The story with these chapters (in order), as UTF-8 text."""
    site = site_settings()
    return render_text(
        story,
        list(chapters),
        date_format=site.date_format or DEFAULT_DATE_FORMAT,
        extend_categories=site.extend_categories,
        copyright_html=site.printer_copyright,
        legacy_root=site.legacy_root,
    ).encode("utf-8")


def render_text(
    story: Story,
    chapters: list[Chapter],
    *,
    date_format: str = DEFAULT_DATE_FORMAT,
    extend_categories: bool = False,
    copyright_html: str = "",
    legacy_root: str = "",
) -> str:
    fields = efiction_fields.header_fields(
        story_header(story, chapters),
        date_format=date_format,
        extend_categories=extend_categories,
        chapter_count=len(chapters),
    )
    out = [f"{fields.title}{BY}{fields.authors}\n", _summary(story.summary)]
    out.append(f"{CATEGORIES}{fields.categories} Characters: {fields.characters}\n")
    out.extend(f"{name}: {values}\n" for name, values in fields.class_lines)
    out.append(f"{CHALLENGES} {fields.challenges}\n{SERIES} {fields.series}\n")
    out.append(
        f"Chapters: {fields.chapters} Completed: {fields.completed} Word count: {fields.word_count}"
        f" Read: {fields.read_count} Published: {fields.published} Updated: {fields.updated}\n"
    )
    notes = html_to_text(story.notes)
    if notes:
        out.append(f"{STORY_NOTES}\n{notes}\n")
    out.append("\n")
    out.extend(f"{chapter.position}. {_heading(chapter)}\n\n" for chapter in chapters)
    for chapter in chapters:
        out.append(f"{_heading(chapter)}\n")
        chapter_notes = compact_lines(html_to_text(chapter.notes))
        if chapter_notes:
            out.append(f"{AUTHORS_NOTES}\n{chapter_notes}\n\n")
        out.append(f"{html_to_text(chapter.body)}\n\n")
        end_notes = html_to_text(chapter.end_notes)
        if end_notes:
            out.append(f"{END_NOTES}\n{end_notes}\n")
    copyright_text = html_to_text(copyright_html)
    if copyright_text:
        out.append(f"{copyright_text}\n")
    out.append(ARCHIVED_AT + efiction_fields.archived_url(story, legacy_root))
    return "".join(out)


def _summary(summary_html: str) -> str:
    text = html_to_text(summary_html)
    if text and starts_with_block(summary_html):
        return f"{SUMMARY}\n\n{text}\n\n\n"
    return f"{SUMMARY} {text}\n"


def _heading(chapter: Chapter) -> str:
    return f"{chapter.title}{BY}{shown_chapter_author(chapter).pen_name}"


# Reading ------------------------------------------------------------------------------------


def parse(data: bytes, source: str) -> StoryDump:
    """Read a file of this format; dates are read in the site's date format."""
    site = site_settings()
    return parse_text(
        decode(data, source),
        source,
        date_format=site.date_format or DEFAULT_DATE_FORMAT,
        copyright_text=html_to_text(site.printer_copyright),
    )


def decode(data: bytes, source: str) -> str:
    """The file's text, or a FormatError saying why it is not UTF-8 text (and where)."""
    if data.startswith(b"PK\x03\x04"):
        raise FormatError(
            source, 1, "this is a ZIP archive (an EPUB?), not eFiction's printable text"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError(source, 1, "the file is UTF-16; save it as UTF-8 and try again")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FormatError(
            source,
            line,
            f"not UTF-8: byte 0x{data[error.start]:02x} at offset {error.start} cannot be read; "
            "convert the file to UTF-8 first (e.g. iconv -f WINDOWS-1252 -t UTF-8)",
        ) from None
    nul = text.find("\x00")
    if nul != -1:
        raise FormatError(
            source,
            text.count("\n", 0, nul) + 1,
            f"a NUL character at offset {nul}: this is a binary or UTF-16 file, not UTF-8 text",
        )
    # Windows line ends and a byte-order mark are accepted (such a file is then not written
    # back byte for byte).
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _matched(pattern: re.Pattern[str], line: str) -> re.Match[str]:
    """The match of a line that was already found to match `pattern` (while finding it)."""
    match = pattern.match(line)
    assert match is not None, f"{line!r} was found to match {pattern.pattern!r}"
    return match


@dataclass
class _Lines:
    """The file's lines, with errors that name the file and a 1-based line number."""

    source: str
    lines: list[str]

    def fail(self, index: int, message: str) -> FormatError:
        return FormatError(self.source, index + 1, message)

    def __getitem__(self, index: int) -> str:
        return self.lines[index]


def parse_text(
    text: str, source: str, *, date_format: str = DEFAULT_DATE_FORMAT, copyright_text: str = ""
) -> StoryDump:
    """Read the layout in this module's docstring into a one-story dump (see `_story_dump`).
    Raises FormatError naming file and line."""
    lines = _Lines(source, text.split("\n"))
    _check_looks_like_this_format(lines)
    last = _archived_line(lines)
    title, authors = _split_heading(lines, 0, "the first line should be 'TITLE by AUTHOR'")
    chapters_at = _find_chapters_line(lines, last)
    challenges_at, series_at = chapters_at - 2, chapters_at - 1
    _expect_label(lines, series_at, SERIES)
    _expect_label(lines, challenges_at, CHALLENGES)
    categories_at = _find_categories_line(lines, challenges_at)
    match = _matched(_CATEGORIES_LINE, lines[categories_at])
    counts = _matched(_CHAPTERS_LINE, lines[chapters_at])
    url = lines[last][len(ARCHIVED_AT) :].strip()
    sid = _SID.search(url)
    story = {
        "id": int(sid.group(1)) if sid else None,
        "key": "story",
        "title": title,
        "summary": _parse_summary(lines, categories_at),
        "completed": counts["completed"] == "Yes",
        "word_count": int(counts["words"]),
        "read_count": int(counts["reads"]),
        "published_at": to_json_date(
            _parse_date(lines, chapters_at, counts["published"], date_format)
        ),
        "updated_at": to_json_date(_parse_date(lines, chapters_at, counts["updated"], date_format)),
        "archived_at": url,
        "status": Status.PUBLISHED,
        "language": "en",
        "rating": RATING,
    }

    chapters_end = _copyright_start(lines, last, copyright_text)
    count = int(counts["count"])
    notes_text, contents_at = _parse_notes_and_contents(lines, chapters_at + 1, count, chapters_end)
    story["notes"] = note_to_html(notes_text) if notes_text else ""
    entries = [_matched(_CONTENTS_ENTRY, lines[contents_at + 1 + 2 * k]) for k in range(count)]
    headings = _find_headings(
        lines, [entry["heading"] for entry in entries], contents_at, chapters_end
    )
    numbers = [int(entry["number"]) for entry in entries]
    if any(b <= a for a, b in zip(numbers, numbers[1:], strict=False)):
        raise lines.fail(
            contents_at + 1, "the table of contents should number the chapters in increasing order"
        )
    chapters = []
    for k, (number, start) in enumerate(zip(numbers, headings, strict=True)):
        end = headings[k + 1] if k + 1 < count else chapters_end
        chapters.append(_parse_chapter(lines, start, end, number))
    return _story_dump(
        source,
        story,
        authors=_names(authors, empty=None),
        categories=_names(match["categories"], empty=efiction_fields.NO_CATEGORY),
        characters=_names(match["characters"] or "", empty=efiction_fields.NOTHING),
        classes=[_parse_class_line(lines, i) for i in range(categories_at + 1, challenges_at)],
        challenges=_names(_value(lines[challenges_at], CHALLENGES), empty=efiction_fields.NOTHING),
        series=_names(_value(lines[series_at], SERIES), empty=efiction_fields.NOTHING),
        chapters=chapters,
        lines={
            "story": last + 1,
            "categories": categories_at + 1,
            "challenges": challenges_at + 1,
            "series": series_at + 1,
            "chapters": chapters_at + 1,
        },
    )


def _story_dump(
    source: str,
    story: dict,
    *,
    authors: list[str],
    categories: list[str],
    characters: list[str],
    classes: list[tuple[str, list[str], int]],
    challenges: list[str],
    series: list[str],
    chapters: list[dict],
    lines: dict[str, int],
) -> StoryDump:
    """The story with what it names, as named records (`docs/dump-format.md`): the loader finds
    members by pen name, the category and character kinds of the archive, class kinds and tags
    by name, series and challenges by title, and makes what is missing (members who cannot log
    in until they set a password). `lines` gives the line each was read from."""
    dump = StoryDump(f"{NAME}:{source}")
    joined = to_json_date(timezone.now())

    def member(name: str, line: int) -> str:
        record = {"key": f"member:{name.strip().lower()}", "pen_name": name, "date_joined": joined}
        return dump.add("members", record, line=line)["key"]

    def tag(kind: str, name: str, line: int, parent: str | None = None) -> str:
        key = f"{kind}:{parent + CATEGORY_PATH_SEPARATOR if parent else ''}{name}"
        record = {"key": key, "kind": kind, "name": name, "parent": parent}
        return dump.add("tags", record, line=line)["key"]

    story["authors"] = [member(name, 1) for name in authors]
    line = lines["categories"]
    for role, name in (
        (TagKind.Role.CATEGORY, "Categories"),
        (TagKind.Role.CHARACTER, "Characters"),
    ):
        dump.add("tag_kinds", {"key": role, "role": role, "name": name}, line=line)
    story["tags"] = []
    for path in categories:  # "Parent > Child": a sub-category
        parent = None
        for part in path.split(CATEGORY_PATH_SEPARATOR):
            parent = tag(TagKind.Role.CATEGORY, part, line, parent)
        story["tags"].append(parent)
    story["tags"] += [tag(TagKind.Role.CHARACTER, name, line) for name in characters]
    for kind_name, names, line in classes:  # a kind with no names: the source site has it
        kind = f"class:{kind_name}"
        dump.add(
            "tag_kinds", {"key": kind, "role": TagKind.Role.CLASS, "name": kind_name}, line=line
        )
        story["tags"] += [tag(kind, name, line) for name in names]
    story["challenges"] = [
        dump.add("challenges", {"key": f"challenge:{t}", "title": t}, line=lines["challenges"])[
            "key"
        ]
        for t in challenges
    ]
    story_key = story["id"] if story["id"] is not None else story["key"]
    for title in series:
        record = {
            "key": f"series:{title}",
            "title": title,
            "owner": story["authors"][0] if story["authors"] else None,
            "entries": [{"story": story_key}],
        }
        dump.add("series", record, line=lines["series"])
    for chapter in chapters:
        chapter.update(
            key=f"chapter:{chapter['position']}",
            story=story_key,
            author=member(chapter["author"], lines["chapters"]),
            status=Status.PUBLISHED,
        )
        dump.add("chapters", chapter, line=lines["chapters"])
    dump.add("stories", story, line=lines["story"])
    return dump


def _check_looks_like_this_format(lines: _Lines) -> None:
    if not "".join(lines.lines).strip():
        raise lines.fail(0, "the file is empty")
    if lines[0].lstrip().startswith("<"):
        raise lines.fail(0, "this looks like HTML, not eFiction's printable text")
    if len(lines.lines) < 2 or not lines[1].startswith(SUMMARY):
        raise lines.fail(
            min(1, len(lines.lines) - 1),
            "expected 'Summary:' on the second line: this is not eFiction's printable text",
        )


def _archived_line(lines: _Lines) -> int:
    last = len(lines.lines) - 1
    while last > 0 and not lines[last].strip():  # tolerate newlines an editor added
        last -= 1
    if not lines[last].startswith(ARCHIVED_AT):
        raise lines.fail(
            last,
            "the last line should be 'This story archived at ADDRESS': the file seems truncated",
        )
    return last


def _split_heading(lines: _Lines, index: int, problem: str) -> tuple[str, str]:
    title, by, authors = lines[index].rpartition(BY)
    if not by or not title.strip() or not authors.strip():
        raise lines.fail(index, f"{problem}, not {lines[index]!r}")
    return title, authors


def _find_chapters_line(lines: _Lines, last: int) -> int:
    # At least the categories, challenges and series lines stand between it and the summary.
    for index in range(5, last):
        if _CHAPTERS_LINE.match(lines[index]):
            return index
    raise lines.fail(
        1,
        "no 'Chapters: N Completed: Yes|No Word count: N Read: N Published: DATE "
        "Updated: DATE' line after the summary: the file is truncated or in another format",
    )


def _expect_label(lines: _Lines, index: int, label: str) -> None:
    if not lines[index].startswith(label):
        raise lines.fail(index, f"expected a line starting with {label!r}, not {lines[index]!r}")


def _find_categories_line(lines: _Lines, challenges_at: int) -> int:
    # Searching up from the class lines: a summary may hold any text, the lines below it not.
    for index in range(challenges_at - 1, 1, -1):
        if _CATEGORIES_LINE.match(lines[index]):
            return index
    raise lines.fail(challenges_at, "no 'Categories: ... Characters: ...' line above this one")


def _value(line: str, label: str) -> str:
    return line[len(label) :].strip()


def _names(value: str, *, empty: str | None) -> list[str]:
    value = value.strip()
    if not value or value == empty:
        return []
    return [name.strip() for name in value.split(LIST_SEPARATOR) if name.strip()]


def _parse_class_line(lines: _Lines, index: int) -> tuple[str, list[str], int]:
    kind, colon, values = lines[index].partition(": ")
    if not colon or not kind.strip():
        raise lines.fail(
            index,
            f"expected a class line 'KIND: A, B' (e.g. 'Genres: Angst'), not {lines[index]!r}",
        )
    return kind, _names(values, empty=efiction_fields.NOTHING), index + 1


def _parse_summary(lines: _Lines, categories_at: int) -> str:
    first = lines[1]
    if first.startswith(SUMMARY + " "):  # inline: it may go on over more lines (<br>s)
        text = "\n".join([first[len(SUMMARY) + 1 :], *lines.lines[2:categories_at]])
        return text_to_html(text, inline=True) if text else ""
    if categories_at == 2:
        return ""
    block = lines.lines[2:categories_at]
    if len(block) >= 4 and block[0] == "" and block[-1] == "" and block[-2] == "":
        return text_to_html("\n".join(block[1:-2]))
    # Not the exact layout (a hand-edited file?): keep the text, as paragraphs.
    return text_to_html("\n".join(block).strip("\n"))


def _parse_date(lines: _Lines, index: int, value: str, date_format: str):
    value = value.strip()
    if not value:
        return None
    for fmt in dict.fromkeys([date_format, DEFAULT_DATE_FORMAT]):
        try:
            naive = parse_php_date(value, fmt)
        except ValueError:
            continue
        return timezone.make_aware(naive, timezone.get_default_timezone())
    raise lines.fail(index, f"{value!r} is not a date in the site's date format {date_format!r}")


def _copyright_start(lines: _Lines, last: int, copyright_text: str) -> int:
    """Where the chapters end: before this site's printer copyright, if the file has it."""
    if copyright_text:
        block = copyright_text.split("\n")
        start = last - len(block)
        if start > 0 and lines.lines[start:last] == block:
            return start
    return last


def _parse_notes_and_contents(lines: _Lines, after: int, count: int, end: int) -> tuple[str, int]:
    """The story notes (if any) and the index of the blank line opening the contents."""
    expected = (
        f"a blank line, {count} lines 'N. TITLE by AUTHOR' each followed by a blank line, "
        "then the first chapter's heading"
    )
    if lines[after] != STORY_NOTES:
        if not _contents_at(lines, after, count, end):
            raise lines.fail(after, f"no table of contents of {count} chapters here ({expected})")
        return "", after
    for index in range(after + 1, end):
        if _contents_at(lines, index, count, end):
            return "\n".join(lines.lines[after + 1 : index]), index
    raise lines.fail(
        after, f"no table of contents of {count} chapters after the story notes ({expected})"
    )


def _contents_at(lines: _Lines, index: int, count: int, end: int) -> bool:
    """Is there, at `index`, a blank line, `count` numbered entries each followed by a blank
    line, and then the first chapter's heading (or, with no chapters, the end)?"""
    after = index + 1 + 2 * count
    if after > end or lines[index] != "":
        return False
    if count == 0:
        return after == end
    for k in range(count):
        if not _CONTENTS_ENTRY.match(lines[index + 1 + 2 * k]) or lines[index + 2 + 2 * k] != "":
            return False
    return after < end and lines[after] == _matched(_CONTENTS_ENTRY, lines[index + 1])["heading"]


def _find_headings(lines: _Lines, headings: list[str], contents_at: int, end: int) -> list[int]:
    if not headings:
        return []
    found = [contents_at + 1 + 2 * len(headings)]  # the first follows the contents (checked)
    for k, heading in enumerate(headings[1:], start=1):
        start = found[-1] + 1
        index = next((i for i in range(start, end) if lines[i] == heading), None)
        if index is None:
            raise lines.fail(
                contents_at + 1 + 2 * k,
                f"chapter {k + 1}, {heading!r}, is in the table of contents but its heading is "
                f"not found after line {start}: the file seems truncated",
            )
        found.append(index)
    return found


def _parse_chapter(lines: _Lines, heading_at: int, end: int, number: int) -> dict:
    title, author = _split_heading(
        lines, heading_at, "a chapter heading should be 'TITLE by AUTHOR'"
    )
    # The chapter's text as it stood in the file: every line up to the next heading, each with
    # its newline.
    rest = "".join(line + "\n" for line in lines.lines[heading_at + 1 : end])
    notes = ""
    if rest.startswith(AUTHORS_NOTES + "\n"):
        rest = rest[len(AUTHORS_NOTES) + 1 :]
        blank = rest.find("\n\n")
        if blank == -1:
            raise lines.fail(heading_at + 1, "the author's notes should end with a blank line")
        notes, rest = rest[:blank], rest[blank + 2 :]
    marker = f"\n\n{END_NOTES}\n"
    split = rest.rfind(marker)
    if split != -1:
        body, end_notes = rest[:split], rest[split + len(marker) : -1]
    elif rest.endswith("\n\n"):
        body, end_notes = rest[:-2], ""
    else:
        raise lines.fail(end - 1, f"chapter {number}'s text should end with a blank line")
    return {
        "title": title,
        "author": author,
        "position": number,
        "notes": text_to_html(notes, inline=True) if notes else "",
        "body": text_to_html(body),
        "end_notes": note_to_html(end_notes) if end_notes else "",
    }


FORMAT = Format(
    name=NAME,
    label="eFiction printable text",
    media_type="text/plain; charset=utf-8",
    extension="txt",
    render=render,
    parse=parse,
    download_label="eFiction text",
    file_suffix="-efiction",
)
