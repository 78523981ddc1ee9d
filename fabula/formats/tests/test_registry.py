"""The registry of formats, and the hyphenated command names of the `fabula` command."""

import pytest

from fabula.cli import django_arguments
from fabula.formats.registry import (
    UnknownFormat,
    catalog_formats,
    downloadable_formats,
    formats,
    get_format,
    readable_formats,
)


def test_efiction_text_is_registered_for_both_ways():
    fmt = get_format("efiction-text")
    assert (fmt.media_type, fmt.extension) == ("text/plain; charset=utf-8", "txt")
    assert fmt.readable and "efiction-text" in readable_formats()
    assert list(formats()) == [name for name in formats()]  # every module gave a unique name


def test_the_registry_says_which_formats_are_downloads_and_in_the_catalog():
    assert list(downloadable_formats()) == ["epub", "html", "txt", "efiction-text"]
    assert [fmt.name for fmt in catalog_formats()] == ["epub", "html"]
    assert get_format("epub").link_type == "application/epub+zip"


def test_an_unknown_format_names_the_known_ones():
    known = "known formats: epub, html, txt, efiction-text, atom, opds"
    with pytest.raises(UnknownFormat, match=f"unknown format 'pdf'; {known}"):
        get_format("pdf")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["fabula", "import-text", "a.txt"], ["fabula", "import_text", "a.txt"]),
        (["fabula", "import-efiction", "--dry-run"], ["fabula", "import_efiction", "--dry-run"]),
        (["fabula", "load-dump", "x"], ["fabula", "load_dump", "x"]),
        (["fabula", "write-dump"], ["fabula", "write_dump"]),
        (["fabula", "help", "import-text"], ["fabula", "help", "import_text"]),
        (["fabula", "export", "import-text"], ["fabula", "export", "import-text"]),  # an argument
        (["fabula", "migrate"], ["fabula", "migrate"]),
        (["fabula"], ["fabula"]),
    ],
)
def test_hyphenated_command_names_reach_django(argv, expected):
    assert django_arguments(argv) == expected
