"""A small HTML walker for comparing pages with eFiction's: landmarks, labels, links, texts.

A landmark is an element with an id or a class, as (tag, id, class). Ends of elements are
matched the forgiving way browsers do, so eFiction's unclosed tags (its "Author's Notes:" span)
read the same as Fabula's closed ones.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from html.parser import HTMLParser

from fabula.lib.words import tidy_title

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    start: int = 0  # the walker's count when the element opened ...
    end: int = 0  # ... and when it closed: what lies between is inside it
    chunk: int = 0  # where its text starts among the walker's text chunks

    @property
    def landmark(self) -> tuple[str, str, str]:
        return (self.tag, self.attrs.get("id", ""), self.attrs.get("class", ""))

    def has(self, tag: str = "", id: str = "", cls: str = "") -> bool:
        return (
            (not tag or self.tag == tag)
            and (not id or self.attrs.get("id") == id)
            and (not cls or cls in self.attrs.get("class", "").split())
        )


@dataclass
class Page:
    elements: list[Element] = field(default_factory=list)

    def landmarks(self, *, skip_ids: AbstractSet[str] = frozenset()) -> list[tuple[str, str, str]]:
        return [
            e.landmark
            for e in self.elements
            if (e.attrs.get("id") or e.attrs.get("class")) and e.attrs.get("id") not in skip_ids
        ]

    def labels(self) -> list[str]:
        return [squash(e.text) for e in self.elements if e.has("span", cls="label")]

    def links(self) -> list[str]:
        return [e.attrs["href"] for e in self.elements if e.tag == "a" and "href" in e.attrs]

    def anchors(self) -> list[str]:
        return [e.attrs["name"] for e in self.elements if e.tag == "a" and "name" in e.attrs]

    def find_all(self, tag: str = "", id: str = "", cls: str = "") -> list[Element]:
        return [e for e in self.elements if e.has(tag, id, cls)]

    def find(self, tag: str = "", id: str = "", cls: str = "") -> Element:
        found = self.find_all(tag, id, cls)
        assert found, f"no <{tag or '*'} id={id!r} class={cls!r}> in the page"
        return found[0]

    def text(self, tag: str = "", id: str = "", cls: str = "") -> str:
        return squash(self.find(tag, id, cls).text)

    def within(self, id: str) -> Page:
        """The elements inside the element with this id (itself included)."""
        outer = self.find(id=id)
        return Page([e for e in self.elements if outer.start <= e.start < outer.end])


def squash(text: str) -> str:
    return tidy_title(text)


class _Walker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[Element] = []
        self.chunks: list[str] = []
        self.counter = 0

    def handle_starttag(self, tag, attrs):
        self.counter += 1
        element = Element(
            tag, {k: v or "" for k, v in attrs}, start=self.counter, chunk=len(self.chunks)
        )
        self.page.elements.append(element)
        if tag in VOID:
            element.end = self.counter
        else:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if not any(e.tag == tag for e in self.stack):
            return
        while self.stack:
            element = self.stack.pop()
            self._close(element)
            if element.tag == tag:
                break

    def handle_data(self, data):
        self.chunks.append(data)

    def _close(self, element: Element) -> None:
        self.counter += 1
        element.end = self.counter
        element.text = "".join(self.chunks[element.chunk :])

    def close(self):
        super().close()
        while self.stack:
            self._close(self.stack.pop())


def parse(html: str | bytes) -> Page:
    if isinstance(html, bytes):
        html = html.decode()
    walker = _Walker()
    walker.feed(html)
    walker.close()
    return walker.page


def numbers_blanked(text: str, *patterns: str) -> str:
    """The text with the numbers in each regex pattern's group replaced by N."""
    for pattern in patterns:
        text = re.sub(pattern, lambda m: m.group(0).replace(m.group(1), "N"), text)
    return text
