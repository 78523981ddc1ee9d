"""Stored story HTML made into well-formed, current XHTML for e-books and one-file HTML.

Stories keep the HTML authors wrote (sanitised, see `fabula.lib.html`), which may hold elements
HTML5 made obsolete (`center`, `big`, `strike`, `tt`, `acronym`, `align="..."`) and addresses
relative to the site. An EPUB reader, and `epubcheck`, want XHTML that is well-formed and
current, with every resource inside the book. `to_xhtml` rewrites one fragment:

- obsolete elements become their current equivalent (or a `span`/`div` with a class that the
  book's stylesheet styles), `align` becomes a class, `a name` is dropped;
- links relative to the site are made absolute (`base_url`); links to an anchor elsewhere
  (`#...`) become plain text, as the anchor is in another file of the book;
- each image's address goes through `image`: it returns the address to use (inside the book)
  or None, and then the image becomes a link to it with its alternative text;
- characters XML cannot hold (control characters) are removed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from fabula.formats.blocks import BLOCK_TAGS
from fabula.lib.text import xml_safe

# Obsolete element -> (current element, class to keep its look, or "").
_RENAMED = {
    "center": ("div", "center"),
    "big": ("span", "big"),
    "strike": ("s", ""),
    "tt": ("code", ""),
    "acronym": ("abbr", ""),
    "font": ("span", ""),
}
_ALIGNMENTS = {"left", "right", "center", "justify"}
_DIMENSION = re.compile(r"\d+\Z")
# Elements allowed only in a particular parent; elsewhere they become a plain box.
_PLACED = {"summary": "details", "li": ("ul", "ol"), "rt": "ruby", "rp": "ruby"}

ImageResolver = Callable[[str], "str | None"]


def keep_remote(src: str) -> str:
    """For one-file HTML: images stay where they are on the web."""
    return src


def to_xhtml(
    value: str, *, base_url: str, image: ImageResolver = keep_remote, blocks: bool = True
) -> str:
    """One stored HTML fragment as XHTML (see the module's rules); "" for an empty one.

    With `blocks` (the default) text and inline elements that stand outside any block are
    wrapped in paragraphs, so the result may be placed in a `div` or `section`: a note stored
    inline ("Thanks to my beta!") becomes `<p>Thanks to my beta!</p>`."""
    value = xml_safe(value)
    if not value.strip():
        return ""
    root = lxml_html.fragment_fromstring(value, create_parent="div")
    for element in list(root.iter()):
        if not isinstance(element.tag, str):  # comments and processing instructions
            _drop_keeping_tail(element)
            continue
        _modernise(element)
        if element.tag == "a":
            _fix_link(element, base_url)
        elif element.tag == "img":
            _fix_image(element, base_url, image)
    if blocks:
        _wrap_loose_inline(root)
    out = [html.escape(root.text or "", quote=False)]
    out += [etree.tostring(child, encoding="unicode", method="xml") for child in root]
    return "".join(out)


def _wrap_loose_inline(root) -> None:
    """Put runs of text and inline elements directly under `root` into `<p>` elements."""
    children = list(root)
    leading = root.text or ""
    root.text = None
    for child in children:
        root.remove(child)
    run = None  # the paragraph being filled, if any

    def add_text(text: str) -> None:
        nonlocal run
        if not text.strip() and run is None:
            return
        if run is None:
            run = etree.SubElement(root, "p")
        if len(run):
            run[-1].tail = (run[-1].tail or "") + text
        else:
            run.text = (run.text or "") + text

    add_text(leading)
    for child in children:
        tail, child.tail = child.tail or "", None
        if child.tag in BLOCK_TAGS:
            run = None
            root.append(child)
        else:
            if run is None:
                run = etree.SubElement(root, "p")
            run.append(child)
        add_text(tail)


def _modernise(element) -> None:
    renamed = _RENAMED.get(element.tag)
    if renamed:
        element.tag, css_class = renamed
        if css_class:
            _add_class(element, css_class)
    parents = _PLACED.get(element.tag)
    if parents:
        parent = element.getparent()
        allowed = (parents,) if isinstance(parents, str) else parents
        if parent is None or parent.tag not in allowed:
            element.tag = "div"
    align = element.attrib.pop("align", "").strip().lower()
    if align in _ALIGNMENTS:
        _add_class(element, f"align-{align}")
    if element.tag == "a":
        element.attrib.pop("name", None)
    for attribute in list(element.attrib):
        # Attribute names from outside may not be valid XML names; lxml refuses those.
        if ":" in attribute or not re.fullmatch(r"[A-Za-z_][\w.-]*", attribute):
            del element.attrib[attribute]


def _fix_link(element, base_url: str) -> None:
    href = (element.get("href") or "").strip()
    if not href or href.startswith("#"):
        # An anchor with nowhere to go (epubcheck wants every `a` to have an href).
        element.attrib.pop("href", None)
        element.tag = "span"
    elif not urlsplit(href).scheme:
        element.set("href", urljoin(base_url + "/", href))


def _fix_image(element, base_url: str, image: ImageResolver) -> None:
    src = (element.get("src") or "").strip()
    absolute = urljoin(base_url + "/", src) if src else ""
    for dimension in ("width", "height"):
        if not _DIMENSION.match(element.get(dimension, "")):
            element.attrib.pop(dimension, None)
    inside = image(absolute) if absolute else None
    if inside is not None:
        element.set("src", inside)
        element.set("alt", element.get("alt", ""))
        return
    # Not in the book: a link to the picture, named by its alternative text.
    link = etree.Element("a", href=absolute) if absolute else etree.Element("span")
    link.text = f"[{element.get('alt') or 'image'}]"
    link.tail = element.tail
    element.getparent().replace(element, link)


def _add_class(element, name: str) -> None:
    classes = element.get("class", "").split()
    if name not in classes:
        element.set("class", " ".join([*classes, name]))


def _drop_keeping_tail(element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)
