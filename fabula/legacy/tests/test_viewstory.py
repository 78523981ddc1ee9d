"""viewstory.php in every form old links take: reader pages move (301) to Fabula's addresses,
the story index and the printable view answer in place; bad numbers are 404s."""

from __future__ import annotations

import pytest

from fabula.lib.tests.markup import parse
from fabula.stories import actions
from fabula.stories.models import Status
from fabula.test import chapter_address

pytestmark = pytest.mark.django_db


def location(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 301, (url, response.status_code)
    return response["Location"]


@pytest.mark.parametrize(
    ("query", "target"),
    [
        ("sid=1", "/stories/1/chapters/1/"),
        ("sid=1&chapter=3", "/stories/1/chapters/3/"),
        ("chapter=3&sid=1", "/stories/1/chapters/3/"),
        ("sid=1&amp;chapter=2", "/stories/1/chapters/2/"),
        ("sid=1&amp;amp;chapter=2", "/stories/1/chapters/2/"),
        ("sid=1&chapter=2&textsize=2", "/stories/1/chapters/2/"),
        ("sid=01", "/stories/1/chapters/1/"),
        ("chapid=1", "/stories/1/chapters/1/"),
        ("chapid=4", "/stories/1/chapters/4/"),
        ("chapid=3&amp;textsize=0", "/stories/1/chapters/3/"),
    ],
)
def test_reader_pages_move_to_fabulas_chapter_pages(client, sid1, query, target):
    assert location(client, f"/viewstory.php?{query}") == chapter_address(target)


def test_a_chapter_id_gives_its_story_and_place_not_its_number(client, sid1):
    """chapid is eFiction's chapter number; the chapter's place in the story can differ."""
    story = sid1.story
    extra = actions.chapter_add(story=story, chapter_id=21415, title="Late", body="<p>Late.</p>")
    assert extra.position == 5
    assert location(client, "/viewstory.php?chapid=21415") == chapter_address(
        "/stories/1/chapters/5/"
    )


@pytest.mark.parametrize(
    "query",
    [
        "sid=1&index=1",
        "index=1&sid=1",
        "sid=1&amp;index=1",
        "chapid=2&index=1",
    ],
)
def test_the_story_index_answers_in_place(client, sid1, query):
    response = client.get(f"/viewstory.php?{query}")
    assert response.status_code == 200
    page = parse(response.content)
    assert page.text(id="pagetitle") == "The Last Temptation of Jim Halpert by Night Swept"
    assert page.find(cls="listbox")


@pytest.mark.parametrize(
    "query",
    [
        "action=printable&textsize=0&sid=1&chapter=all",
        "sid=1&action=printable&chapter=all",
        "chapter=all&sid=1&action=printable&textsize=12",
        "action=printable&amp;textsize=0&amp;sid=1&amp;chapter=all",
    ],
)
def test_the_whole_story_prints_in_place(client, sid1, query):
    response = client.get(f"/viewstory.php?{query}")
    assert response.status_code == 200
    page = parse(response.content)
    assert [e.text for e in page.find_all(cls="chaptertitle")] == [
        "Temptation by Night Swept",
        "Coals by Night Swept",
        "Technically True by Night Swept",
        "Reception by Night Swept",
    ]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("action=printable&textsize=0&sid=1&chapter=1", "Temptation by Night Swept"),
        ("action=printable&sid=1&chapter=3", "Technically True by Night Swept"),
        ("action=printable&sid=1", "Temptation by Night Swept"),
        ("action=printable&chapid=2", "Coals by Night Swept"),
        ("action=printable&amp;chapter=4&amp;sid=1", "Reception by Night Swept"),
    ],
)
def test_one_chapter_prints_in_place(client, sid1, query, title):
    response = client.get(f"/viewstory.php?{query}")
    assert response.status_code == 200
    page = parse(response.content)
    assert [e.text for e in page.find_all(cls="chaptertitle")] == [title]
    assert page.text(cls="toplink") == ""  # "Back to index" only with the whole story


@pytest.mark.parametrize(
    "query",
    [
        "sid=abc",
        "sid=",
        "sid=-1",
        "sid=0",
        "sid=1.0",
        "sid=1abc",
        "sid=%201",
        "sid=١",
        "sid=99",
        "sid=9223372036854775807",
        "sid=9223372036854775808",
        "sid=99999999999999999999999999999999",
        "",
        "chapter=1",
        "textsize=0",
        "sid=1&chapter=99",
        "sid=1&chapter=0",
        "sid=1&chapter=abc",
        "sid=1&chapter=",
        "sid=1&chapter=-2",
        "sid=1&chapter=99999999999999999999",
        "chapid=99",
        "chapid=abc",
        "chapid=",
        "chapid=99999999999999999999",
        "sid=1&index=1&chapid=77",
        "action=printable&sid=1&chapter=99",
        "action=printable&sid=1&chapter=none",
        "action=printable&sid=abc&chapter=all",
        "action=printable&chapter=all",
        "sid=abc&index=1",
        "sid=99&index=1",
    ],
)
def test_unknown_or_malformed_numbers_are_not_found(client, sid1, query):
    response = client.get(f"/viewstory.php?{query}")
    assert response.status_code == 404, (query, response.status_code)
    assert b"Last Temptation" not in response.content


def test_a_draft_chapter_is_not_found_for_readers(client, sid1):
    actions.chapter_add(
        story=sid1.story,
        chapter_id=50,
        title="Unfinished",
        body="<p>Secret draft words.</p>",
        status=Status.DRAFT,
    )
    for query in ("sid=1&chapter=5", "chapid=50", "action=printable&sid=1&chapter=5"):
        assert client.get(f"/viewstory.php?{query}").status_code == 404, query
    whole = client.get("/viewstory.php?action=printable&sid=1&chapter=all")
    assert b"Secret draft words" not in whole.content
    assert b"Unfinished" not in whole.content


@pytest.mark.parametrize("query", ["action=printable&sid=1&chapter=all", "sid=1&index=1"])
def test_the_pages_cost_a_few_queries_however_long_the_story(
    client, sid1, query, django_assert_num_queries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert client.get(f"/viewstory.php?{query}").status_code == 200
    for n in range(5, 12):
        actions.chapter_add(story=sid1.story, title=f"More {n}", body="<p>More.</p>")
    # Adding chapters retired the cached page: this is a full render again, with 11 chapters.
    with django_assert_max_num_queries(8):
        response = client.get(f"/viewstory.php?{query}")
    assert b"More 11" in response.content
    # A guest without a session gets the same page from the cache, without a query.
    with django_assert_num_queries(0):
        assert client.get(f"/viewstory.php?{query}").content == response.content
