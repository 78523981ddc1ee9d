"""A guest's list counts (the total, the filter sidebar, a tag's sub-tags) are kept between the
list's pages until the content changes (`listing.counts`); a member's are counted on every page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fabula.community import actions as community_actions
from fabula.taxonomy import actions as taxonomy_actions
from fabula.test import quick_user, set_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def uncached_pages(settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request builds its page


def _page(client, address: str) -> tuple[str, int]:
    """The page and how many queries it cost."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode(), len(captured)


def _total(page: str) -> int:
    match = re.search(r'<p class="total">(\d+) stor', page)
    assert match, "no total on the page"
    return int(match.group(1))


def _sidebar_count(page: str, label: str) -> int:
    """The count beside a value of the filter sidebar."""
    match = re.search(re.escape(label) + r"\s*<span[^>]*>\(?(\d+)\)?</span>", page)
    assert match, label
    return int(match.group(1))


@pytest.fixture
def fandom_list(make_story, author, archive, uncached_pages):
    set_site(items_per_page=1)
    for n in range(3):
        make_story(author, title=f"Listed {n}", tags=[archive.fandom, archive.jim])
    return reverse("browse-tag", args=["categories", archive.fandom.pk])


def test_a_guests_counts_are_kept_between_the_lists_pages(client, fandom_list, archive):
    _page(client, reverse("browse-tag", args=["categories", archive.other_fandom.pk]))  # warm
    first, first_queries = _page(client, fandom_list)
    second, second_queries = _page(client, fandom_list + "?page=2&sort=title")
    assert _total(first) == _total(second) == 3
    assert "page 2 of 3" in second
    # Not asked again: the tag and its place in the tree (the tag, then its sub-tags a level at
    # a time: "Jim and Pam", then none below it), the sub-tags' count, the sidebar's tag
    # counts, their names and its other facets (which give the total).
    assert second_queries == first_queries - 7
    assert _sidebar_count(first, archive.jim.name) == _sidebar_count(second, archive.jim.name) == 3


def test_a_tags_kept_place_follows_the_wranglers_at_once(client, fandom_list, archive):
    wrangler = quick_user("Wrangler")
    sub_tags = '<section class="subtags"'
    assert sub_tags in _page(client, fandom_list)[0]
    taxonomy_actions.tag_rename(tag=archive.fandom, name="The Office (US)", by=wrangler)
    taxonomy_actions.tag_rename(tag=archive.subfandom, name="Jim & Pam", by=wrangler)
    page, _ = _page(client, fandom_list)
    assert "<h1>The Office (US)</h1>" in page
    assert "Jim &amp; Pam" in page and "Jim and Pam" not in page
    taxonomy_actions.tag_set_parent(tag=archive.subfandom, parent=None, by=wrangler)
    assert sub_tags not in _page(client, fandom_list)[0]
    sub_page, _ = _page(client, reverse("browse-tag", args=["categories", archive.subfandom.pk]))
    assert "The Office (US)" not in sub_page  # no longer its parent in the crumbs


def test_a_filtered_lists_total_is_the_sum_of_its_sidebars_groups(
    client, fandom_list, make_story, author, archive
):
    make_story(author, title="Sad", tags=[archive.fandom, archive.angst], completed=True)
    everything, _ = _page(client, fandom_list)
    without, _ = _page(client, fandom_list + f"?xtag={archive.angst.pk}")
    only, _ = _page(client, fandom_list + f"?tag={archive.angst.pk}&complete=yes")
    assert (_total(everything), _total(without), _total(only)) == (4, 3, 1)


def test_a_new_story_is_counted_for_guests_at_once_and_a_kudos_changes_no_count(
    client, fandom_list, make_story, author, archive
):
    before, _ = _page(client, fandom_list)
    assert _total(before) == 3
    story = make_story(author, title="Newcomer", tags=[archive.fandom, archive.angst])
    after, _ = _page(client, fandom_list)
    assert _total(after) == 4
    assert _sidebar_count(after, archive.jim.name) == 3
    assert _sidebar_count(after, archive.angst.name) == 1
    community_actions.kudos_give(story=story, user=quick_user("Fan"))
    _, queries = _page(client, fandom_list)
    again, kept_queries = _page(client, fandom_list)
    assert _total(again) == 4 and kept_queries == queries


def test_a_members_counts_follow_their_blocklist_at_once(client, fandom_list, make_story, archive):
    other = quick_user("Other Writer")
    make_story(other, title="By Another", tags=[archive.fandom])
    member = quick_user("Careful Reader")
    client.force_login(member)
    assert _total(_page(client, fandom_list)[0]) == 4
    community_actions.block_add(user=member, target=other)
    assert _total(_page(client, fandom_list)[0]) == 3
    client.logout()
    assert _total(_page(client, fandom_list)[0]) == 4  # guests never saw the block


def test_the_categories_page_counts_for_guests_follow_a_new_story(
    client, make_story, author, archive, uncached_pages
):
    categories = reverse("browse-kind", args=["categories"])
    make_story(author, title="First", tags=[archive.subfandom])
    _page(client, reverse("browse-kind", args=["characters"]))  # warm what every page reads
    page, first_queries = _page(client, categories)
    assert re.search(r">Jim and Pam</a> <span class=\"count\">1</span>", page)
    _, kept_queries = _page(client, categories)
    assert kept_queries == first_queries - 1  # the tree's counts
    make_story(author, title="Second", tags=[archive.subfandom])
    page, _ = _page(client, categories)
    assert re.search(r">Jim and Pam</a> <span class=\"count\">2</span>", page)
