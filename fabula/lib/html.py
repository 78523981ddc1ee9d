"""HTML that authors give us, made safe, and turned into plain text.

Every piece of HTML from outside (story text, notes, summaries, bios, imports) goes through
`sanitize` before it is stored; templates then print it as it is. The tags the site allows come
in as an argument: callers use `fabula.conf.markup`, which passes the administrator's choice.
"""

import html
import re
from collections.abc import Callable

import nh3

from fabula.lib.text import without_control_characters

ALLOWED_TAGS = {
    "a",
    "abbr",
    "acronym",
    "address",
    "b",
    "big",
    "blockquote",
    "br",
    "center",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
}
ALLOWED_ATTRIBUTES = {
    "*": {"title", "lang", "dir", "class", "align"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
}


def allowed_tags(choice: str) -> set[str]:
    """The tags an administrator's list allows: only those of ALLOWED_TAGS (an administrator can
    narrow the list, never open it to scripts, styles, frames or forms); empty means all of them.
    """
    chosen = {name.strip("<>/ ").lower() for name in choice.replace(",", " ").split()}
    return (chosen & ALLOWED_TAGS) if chosen else set(ALLOWED_TAGS)


def sanitize(value: str, *, allowed: str) -> str:
    """Keep the markup a story needs; drop scripts, event handlers, styles and unsafe URLs.

    `allowed` is an administrator's choice of tags (see `allowed_tags`). The site's own choice is
    read and passed in by `fabula.conf.markup`, which is what actions call: lib reads no app."""
    return sanitizer(allowed=allowed)(value) if value else ""


def sanitizer(*, allowed: str) -> Callable[[str], str]:
    """`sanitize` with one choice of tags, for many values in a row (an import sanitises tens of
    thousands; building the cleaner each time would cost more than nh3)."""
    cleaner = nh3.Cleaner(
        tags=allowed_tags(allowed),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow ugc",
    )

    def clean(value: str) -> str:
        # Control characters go first: nh3 keeps them, and XML (feeds, e-books) cannot hold
        # them. Style sheets go next, where their end is known (see `_without_style_sheets`).
        return cleaner.clean(_without_style_sheets(without_control_characters(value)))

    return lambda value: clean(value) if value else ""


# The tags nh3 would drop with everything inside them: style sheets, and SVG and MathML (foreign
# content, where a <style> is no longer raw text and can hold the rest of the page).
_SWALLOWING = re.compile(r"<(/?)(style|svg|math)\b[^>]{0,2000}>", re.I)


def _without_style_sheets(value: str) -> str:
    """`value` without its style sheets and without SVG and MathML tags, in one linear pass.

    nh3 drops a <style> element whole; inside an <svg>, an unclosed <style> held the rest of a
    chapter, which vanished without a word. Here a style sheet with its end tag goes; one
    without loses only its tag, so the text after it stays; and svg/math tags go (never
    allowed, nh3 would drop them with their text) so the words inside them stay as text."""
    out, position, sheet = [], 0, None  # sheet: where the open style sheet's text begins
    for tag in _SWALLOWING.finditer(value):
        closing, name = tag.group(1), tag.group(2).lower()
        if sheet is not None:
            if closing and name == "style":
                position, sheet = tag.end(), None
            continue
        out.append(value[position : tag.start()])
        position = tag.end()
        if name == "style" and not closing:
            sheet = tag.end()
    if sheet is not None:  # never closed: keep what follows its tag, tags like it removed
        out.append(_SWALLOWING.sub("", value[sheet:]))
    else:
        out.append(value[position:])
    return "".join(out)


_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|blockquote|tr)\s*>|<br\s*/?>", re.I)


def html_to_plain(value: str) -> str:
    """The words of an HTML fragment, for counting and snippets (not for display)."""
    return html.unescape(_TAG.sub(" ", _BLOCK_END.sub("\n", value)))


def escape(value: str) -> str:
    return html.escape(value, quote=True)


def plain_to_html(text: str) -> str:
    """Plain text as eFiction showed it: blank lines part paragraphs, a newline is a line break."""
    paragraphs = re.split(r"\n\s*\n", text.strip().replace("\r\n", "\n"))
    return "\n".join(
        "<p>" + escape(p.strip("\n")).replace("\n", "<br />\n") + "</p>"
        for p in paragraphs
        if p.strip()
    )


def looks_like_html(text: str) -> bool:
    """eFiction's rule: text with <p> or <br> is HTML; anything else is plain text."""
    return bool(re.search(r"<(p|br)\b", text, re.I))
