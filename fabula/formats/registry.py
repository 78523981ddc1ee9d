"""Every format Fabula reads or writes, by name, and the lists of them the site shows.

A format is a module with a `FORMAT` object: its name (as on the command line), a media type, a
file extension, `render(story, chapters) -> bytes` and, when Fabula can read it too,
`parse(data, source) -> StoryDump` (a one-story dump, which the dump loader writes). Its flags
say where it is offered: `download_label` puts it among a story page's download links (and lets
`/downloads/<id>/<name>/` serve it), `in_catalog` among an OPDS entry's acquisition links.

To add a format, write its module and add its dotted path to `FORMAT_MODULES`: the download
links, the downloads view, the OPDS catalog and `fabula export`/`import-text` read this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import import_module

from fabula.importers.dump import StoryDump
from fabula.stories.models import Chapter, Story

# In the order a story page offers the downloads.
FORMAT_MODULES = [
    "fabula.formats.epub",
    "fabula.formats.html",
    "fabula.formats.txt",
    "fabula.formats.efiction_text",
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
    parse: Callable[[bytes, str], StoryDump] | None = None  # None: write-only
    download_label: str = ""  # the story page's link text ("EPUB"); empty: not a download
    in_catalog: bool = False  # among the download links of an OPDS catalog entry
    file_suffix: str = ""  # ends a download's file name before the extension ("-efiction")

    @property
    def readable(self) -> bool:
        return self.parse is not None

    @property
    def downloadable(self) -> bool:
        return bool(self.download_label)

    @property
    def link_type(self) -> str:
        """The media type without its parameters, as links announce it ("text/html")."""
        return self.media_type.partition(";")[0].strip()


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


def downloadable_formats() -> dict[str, Format]:
    """The formats a reader may download, in the order a story page offers them."""
    return {name: fmt for name, fmt in formats().items() if fmt.downloadable}


def catalog_formats() -> list[Format]:
    """The formats an OPDS catalog entry offers."""
    return [fmt for fmt in formats().values() if fmt.in_catalog]
