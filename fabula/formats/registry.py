"""Every format Fabula reads or writes, by name.

A format is a module with a `FORMAT` object: its name (as on the command line), a media type, a
file extension, `render(story, chapters) -> bytes` and, when Fabula can read it too,
`parse(data, source) -> CanonicalStory`. To add one, write the module and add its dotted path to
`FORMAT_MODULES`: nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import import_module

from fabula.formats.canonical import CanonicalStory
from fabula.stories.models import Chapter, Story

FORMAT_MODULES = [
    "fabula.formats.efiction_text",
    "fabula.formats.epub",
    "fabula.formats.html",
    "fabula.formats.txt",
    "fabula.formats.atom",
    "fabula.formats.opds",
]


@dataclass(frozen=True)
class Format:
    name: str  # e.g. "efiction-text", as `fabula export --format` takes it
    label: str  # for people: "eFiction printable text"
    media_type: str  # the Content-Type of a download
    extension: str  # without the dot
    render: Callable[[Story, Sequence[Chapter]], bytes]
    parse: Callable[[bytes, str], CanonicalStory] | None = None  # None: write-only

    @property
    def readable(self) -> bool:
        return self.parse is not None


class UnknownFormat(ValueError):
    pass


@cache
def formats() -> dict[str, Format]:
    """All formats by name, in the order of FORMAT_MODULES."""
    found = [import_module(path).FORMAT for path in FORMAT_MODULES]
    return {fmt.name: fmt for fmt in found}


def get_format(name: str) -> Format:
    try:
        return formats()[name]
    except KeyError:
        known = ", ".join(formats())
        raise UnknownFormat(f"unknown format {name!r}; known formats: {known}") from None


def readable_formats() -> dict[str, Format]:
    return {name: fmt for name, fmt in formats().items() if fmt.readable}
