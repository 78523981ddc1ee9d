"""Text blocks <-> stored HTML: the reversible mapping every text format relies on.

Plain text, as eFiction's printable page reads when copied out, is a run of paragraphs parted by
one blank line; a single line break inside a paragraph is a `<br>`. Stored HTML is Fabula's.

`text_to_html` writes text as HTML so that `html_to_text` gives back the very same characters:

- the text is split on "\\n\\n" (left to right) into paragraphs, each stored as `<p>...</p>`;
  a third newline therefore starts the next paragraph with a line break, and four newlines
  make an empty paragraph `<p></p>`: blank lines are kept exactly, however many there are;
- a "\\n" inside a paragraph becomes `<br />`;
- the characters are HTML-escaped (and unescaped on the way back), spaces and non-breaking
  spaces are kept as they are.

`html_to_text` also lays out ANY stored HTML (a story written in Fabula) the same way:
paragraphs and other block elements (div, blockquote, headings, list items, ...) become
paragraphs parted by a blank line, `<br>` a newline, other tags are dropped and entities
unescaped. Whitespace in the HTML source that holds a line break is only source formatting:
it is dropped at the edges of a paragraph or line and read as one space elsewhere. Other
whitespace is kept exactly, which is what makes the round trip exact: text written by
`text_to_html` never holds a raw line break.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Elements that start and end a paragraph of text. `p` is special: even an empty `<p></p>` is a
# paragraph (an extra blank line); other elements only part the text around them.
BLOCK_TAGS = frozenset(
    """
    address article aside blockquote center dd details div dl dt figcaption figure footer h1
    h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th
    thead tr ul
    """.split()
)
_SKIPPED_TAGS = frozenset({"script", "style", "template", "title"})
_FIRST_TAG = re.compile(r"\s*<([a-zA-Z][a-zA-Z0-9]*)")
# ASCII whitespace only: a non-breaking space is text, never formatting.
_SOURCE_BREAK = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")
_EDGE_BREAK_START = re.compile(r"\A[ \t\r\f]*\n[ \t\r\n\f]*")
_EDGE_BREAK_END = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*\Z")
_ASCII_SPACE = " \t\r\n\f"


def escape_text(text: str) -> str:
    """Escape for an HTML text node (quotes need no escaping there)."""
    return html.escape(text, quote=False)


def text_to_html(text: str, *, inline: bool = False) -> str:
    """Text as HTML paragraphs (see the module's rule); `inline` stores it without `<p>`."""
    if inline:
        return _lines_to_html(text)
    return "\n".join(f"<p>{_lines_to_html(paragraph)}</p>" for paragraph in text.split("\n\n"))


def note_to_html(text: str) -> str:
    """A note: one paragraph is stored inline (as eFiction stored notes), more as `<p>`s."""
    return text_to_html(text, inline="\n\n" not in text)


def _lines_to_html(text: str) -> str:
    return escape_text(text).replace("\n", "<br />")


def starts_with_block(value: str) -> bool:
    """Does this HTML open with a block element (so a label before it stands on its own line)?"""
    match = _FIRST_TAG.match(value)
    return match is not None and match.group(1).lower() in BLOCK_TAGS


def html_to_text(value: str) -> str:
    """Any HTML fragment laid out as text paragraphs (see the module's rule)."""
    reader = _TextLayout()
    reader.feed(value)
    reader.close()
    return "\n\n".join(reader.paragraphs)


def compact_lines(text: str) -> str:
    """The text with its empty lines left out: for a block that a blank line ends."""
    return "\n".join(line for line in text.split("\n") if line)


class _TextLayout(HTMLParser):
    """Collects paragraphs. A line break is kept as None among the text pieces until the
    paragraph is finished, so source line breaks can be told from `<br>`s."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._pieces: list[str | None] = []
        self._paragraph_open = False  # a <p> was opened since the last paragraph ended
        self._pre_depth = 0
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip_depth += 1
        elif tag == "br":
            self._pieces.append(None)
        elif tag in BLOCK_TAGS:
            self._finish_paragraph()
            self._paragraph_open = tag == "p"
            if tag == "pre":
                self._pre_depth += 1

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag in BLOCK_TAGS or tag in _SKIPPED_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in BLOCK_TAGS:
            self._finish_paragraph()
            if tag == "pre":
                self._pre_depth = max(0, self._pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._pre_depth:
            # Inside <pre> a line break in the source is a real one.
            for i, line in enumerate(data.split("\n")):
                if i:
                    self._pieces.append(None)
                self._pieces.append(line)
        else:
            self._pieces.append(data)

    def close(self) -> None:
        super().close()
        self._finish_paragraph()

    def _finish_paragraph(self) -> None:
        lines: list[str] = []
        current: list[str] = []
        for piece in self._pieces:
            if piece is None:
                lines.append("".join(current))
                current = []
            else:
                current.append(piece)
        lines.append("".join(current))
        text = "\n".join(_tidy_source_breaks(line) for line in lines)
        # Whitespace between blocks is formatting; an opened <p> is a paragraph even if empty.
        if self._paragraph_open or text.strip(_ASCII_SPACE):
            self.paragraphs.append(text)
        self._pieces = []
        self._paragraph_open = False


def _tidy_source_breaks(line: str) -> str:
    line = _EDGE_BREAK_START.sub("", line)
    line = _EDGE_BREAK_END.sub("", line)
    return _SOURCE_BREAK.sub(" ", line)
