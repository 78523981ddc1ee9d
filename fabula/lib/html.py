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
    # Control characters go first: nh3 keeps them, and XML (feeds, e-books) cannot hold them.
    return lambda value: cleaner.clean(without_control_characters(value)) if value else ""


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
