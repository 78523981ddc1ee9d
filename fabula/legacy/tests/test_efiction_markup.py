"""The printable view and the story index, compared with the pages eFiction 3.5 served.

The saved pages (shared/efiction/pages/) and Fabula's answers for a story built like theirs are
parsed with the same walker and compared landmark by landmark ((tag, id, class) of every
element with an id or a class), label by label and link by link.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fabula.lib.tests.markup import numbers_blanked, parse, squash
from fabula.test import shared_path

PRINT_ALL = "/viewstory.php?action=printable&textsize=0&sid=1&chapter=all"
PRINT_CH1 = "/viewstory.php?action=printable&textsize=0&sid=1&chapter=1"
INDEX = "/viewstory.php?sid=1&index=1"

# Fabula has challenges of its own, so an empty list reads "None" (as eFiction's challenges
# module and the seed print it); the saved site ran without the module and printed nothing.
CHALLENGES_NONE = ("Challenges: Series:", "Challenges: None Series:")


def saved(name: str):
    return parse(Path(shared_path("efiction", "pages", name)).read_bytes())


@pytest.fixture
def get(client, sid1):
    def fetch(url: str):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return parse(response.content)

    return fetch


@pytest.mark.parametrize(
    ("url", "page"),
    [
        (PRINT_ALL, "viewstory_printable_sid1_all.html"),
        (PRINT_CH1, "viewstory_printable_sid1_ch1.html"),
    ],
)
def test_printable_has_efictions_landmarks_labels_and_links(get, url, page):
    ours, theirs = get(url), saved(page)
    assert ours.landmarks() == theirs.landmarks()
    assert ours.labels() == theirs.labels()
    assert ours.links() == theirs.links()
    assert ours.anchors() == theirs.anchors()
    assert ours.text(id="pagetitle") == theirs.text(id="pagetitle")
    assert ours.text(id="archivedat") == theirs.text(id="archivedat")
    assert [squash(e.text) for e in ours.find_all(cls="chaptertitle")] == [
        squash(e.text) for e in theirs.find_all(cls="chaptertitle")
    ]
    assert [squash(e.text) for e in ours.find_all(cls="toplink")] == [
        squash(e.text) for e in theirs.find_all(cls="toplink")
    ]


@pytest.mark.parametrize(
    ("url", "page"),
    [
        (PRINT_ALL, "viewstory_printable_sid1_all.html"),
        (PRINT_CH1, "viewstory_printable_sid1_ch1.html"),
    ],
)
def test_printable_information_block_reads_like_efictions(get, url, page):
    ours, theirs = get(url), saved(page)
    assert ours.text(cls="content") == theirs.text(cls="content").replace(*CHALLENGES_NONE)
    assert ours.text(cls="content").startswith("Summary: Jim comes back from Stamford")
    assert "Published: May 29 2007 Updated: Jun 01 2007" in ours.text(cls="content")
    notes = [squash(e.text) for e in ours.find_all(cls="noteinfo")]
    assert notes == [squash(e.text) for e in theirs.find_all(cls="noteinfo")]


def test_printable_table_of_contents_matches(get):
    ours, theirs = get(PRINT_ALL), saved("viewstory_printable_sid1_all.html")
    contents = [
        squash(p.text) for p in ours.find_all("p") if p.text.strip()[:2] in ("1.", "2.", "3.", "4.")
    ]
    assert contents == [
        "1. Temptation by Night Swept",
        "2. Coals by Night Swept",
        "3. Technically True by Night Swept",
        "4. Reception by Night Swept",
    ]
    assert contents == [squash(p.text) for p in theirs.find_all("p") if squash(p.text) in contents]


def test_index_has_efictions_landmarks_labels_and_links(get):
    ours, theirs = get(INDEX), saved("viewstory_sid1_index.html")
    # eFiction's skin switcher and feed icon have no counterpart; everything else lines up.
    assert ours.landmarks() == theirs.landmarks(skip_ids={"skin", "rss"})
    ours_main, theirs_main = ours.within("mainpage"), theirs.within("mainpage")
    assert ours_main.landmarks() == theirs_main.landmarks()
    assert ours_main.labels() == theirs_main.labels()
    assert ours_main.links() == theirs_main.links()
    assert ours.text(id="pagetitle") == theirs.text(id="pagetitle")


def test_index_information_block_and_chapter_list_read_like_efictions(get):
    ours, theirs = get(INDEX), saved("viewstory_sid1_index.html")
    assert ours.text(cls="listbox") == theirs.text(cls="listbox").replace(*CHALLENGES_NONE)
    assert "Rated: PG-13 Categories: Jim and Pam, Present" in ours.text(cls="listbox")

    def chapter_lines(page):
        # Review counts and word counts are the saved site's own numbers.
        return [
            numbers_blanked(squash(p.text), r"Reviews - (\d+)\]", r"\((\d+) words\)")
            for p in page.within("output").find_all("p")
        ]

    assert chapter_lines(ours) == chapter_lines(theirs)
    assert (
        chapter_lines(ours)[0]
        == "1. Temptation by Night Swept [Reviews - N] (N words) Thanks for reading."
    )
    assert ours.text(id="sort").startswith("[Reviews - 0]")
