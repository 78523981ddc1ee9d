"""browse.php, viewuser.php, viewseries.php, authors.php, index.php, reviews.php, search.php and
rss.php move (301) to the Fabula page that shows the same thing; numbers nothing carries are
404s."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from fabula.legacy.tests.conftest import set_site
from fabula.stories import actions

pytestmark = pytest.mark.django_db


def location(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 301, (url, response.status_code)
    return response["Location"]


def tag_page(tag) -> str:
    return reverse("browse-tag", args=[tag.kind.slug, tag.pk])


def test_browse_types_move_to_fabulas_lists(client, sid1):
    expected = {
        "type=categories": reverse("browse-kind", args=["categories"]),
        "type=categories&catid=1": tag_page(sid1.jim_and_pam),
        "catid=2&type=categories": tag_page(sid1.present),
        "type=categories&amp;catid=2": tag_page(sid1.present),
        "type=characters&charid=2": tag_page(sid1.karen),
        "type=characters": reverse("browse-kind", args=["characters"]),
        "type=class&type_id=2&classid=13": tag_page(sid1.adult_language),
        "type=class&amp;type_id=1&amp;classid=1": tag_page(sid1.angst),
        "classid=13&type=class": tag_page(sid1.adult_language),
        f"type=ratings&rid={sid1.rating.pk}": reverse("browse-rating", args=[sid1.rating.pk]),
        "type=ratings": reverse("ratings"),
        "type=titles": reverse("titles"),
        "type=titles&let=B": reverse("titles-letter", args=["B"]),
        "type=titles&let=Other": reverse("titles-letter", args=["Other"]),
        "type=recent": reverse("recent"),
        "type=recent&offset=25": reverse("recent"),
        "type=series": reverse("series-list"),
        "type=authors": reverse("authors"),
    }
    for query, target in expected.items():
        assert location(client, f"/browse.php?{query}") == target, query


@pytest.mark.parametrize(
    "query",
    [
        "",
        "type=",
        "type=nonsense",
        "type=featured",
        "type=toplists",
        "type=Categories",
        "type=categories&catid=99",
        "type=categories&catid=abc",
        "type=categories&catid=",
        "type=categories&catid=-1",
        "type=categories&catid=99999999999999999999",
        "type=categories&catid=9223372036854775807",
        "type=characters&charid=13",
        "type=characters&charid=x",
        "type=class&type_id=1&classid=13",  # class 13 is a warning, not a genre
        "type=class&type_id=9&classid=1",
        "type=class",
        "type=class&classid=",
        "type=class&type_id=x&classid=1",
        "type=ratings&rid=999",
        "type=ratings&rid=abc",
        "type=titles&let=%3Cscript%3E",
        "type=titles&let=a/b",
    ],
)
def test_browse_links_to_nothing_are_not_found(client, sid1, query):
    assert client.get(f"/browse.php?{query}").status_code == 404, query


def test_profiles_series_and_the_front_page_move(client, sid1):
    omnibus = actions.series_create(owner=sid1.author, title="Omnibus", series_id=151)
    assert location(client, "/viewuser.php?uid=2") == reverse("author", args=[2])
    assert location(client, "/viewuser.php?uid=2&amp;action=storiesby") == reverse(
        "author", args=[2]
    )
    assert location(client, "/viewseries.php?seriesid=151") == reverse("series", args=[omnibus.pk])
    assert location(client, "/authors.php?list=authors") == reverse("authors")
    assert location(client, "/index.php") == reverse("home")
    reviews = reverse("community:story-reviews", args=[1])
    assert location(client, "/reviews.php?type=ST&item=1") == reviews
    assert location(client, "/reviews.php?type=ST&amp;item=1&amp;chapid=3") == reviews
    assert location(client, "/reviews.php?type=SE&item=151") == reverse(
        "community:series-reviews", args=[151]
    )


@pytest.mark.parametrize(
    "url",
    [
        "/viewuser.php",
        "/viewuser.php?uid=",
        "/viewuser.php?uid=abc",
        "/viewuser.php?uid=999",
        "/viewuser.php?uid=99999999999999999999",
        "/viewseries.php?seriesid=7",
        "/viewseries.php?seriesid=x",
        "/viewseries.php",
        "/reviews.php",
        "/reviews.php?type=ST",
        "/reviews.php?type=ST&item=99",
        "/reviews.php?type=ST&item=abc",
        "/reviews.php?type=XX&item=1",
        "/reviews.php?type=SE&item=9",
    ],
)
def test_other_scripts_with_nothing_to_show_are_not_found(client, sid1, url):
    assert client.get(url).status_code == 404, url


def search_target(client, query: str) -> tuple[str, list[tuple[str, str]]]:
    target = urlsplit(location(client, f"/search.php?{query}"))
    assert client.get(f"{target.path}?{target.query}").status_code == 200
    return target.path, parse_qsl(target.query)


def test_searches_move_to_the_search_page_with_their_filters(client, sid1):
    assert search_target(client, "") == (reverse("search:results"), [])
    assert search_target(client, "searchtype=title&searchterm=Last+Temptation")[1] == [
        ("q", 'title:"Last Temptation"')
    ]
    assert search_target(client, "searchtype=penname&amp;searchterm=Night")[1] == [
        ("q", 'author:"Night"')
    ]
    assert search_target(client, "searchtype=fulltext&searchterm=%22coals%22")[1] == [
        ("q", 'text:"coals"')
    ]
    assert search_target(client, "searchtype=advanced&searchterm=beach")[1] == [
        ("q", 'title:"beach" OR summary:"beach"')
    ]
    _, query = search_target(
        client,
        f"searchtype=advanced&catid=1,99&charid=2&rid={sid1.rating.pk},abc&complete=1"
        "&class_1=1&exclass_2=13&wordlow=1000&wordhigh=1000000",
    )
    assert query == [
        ("tag", str(sid1.jim_and_pam.pk)),
        ("tag", str(sid1.karen.pk)),
        ("tag", str(sid1.angst.pk)),
        ("xtag", str(sid1.adult_language.pk)),
        ("rating", str(sid1.rating.pk)),
        ("complete", "yes"),
        ("words_from", "1000"),
    ]


def test_the_rss_feed_moves_to_the_atom_feed(client, sid1):
    assert location(client, "/rss.php") == reverse("feed-recent")


def test_the_old_folder_itself_is_the_front_page(client, sid1):
    set_site(legacy_prefix="fanfiction")
    assert location(client, "/fanfiction/") == reverse("home")
    assert client.get("/fiction/").status_code == 404
    set_site(legacy_prefix="")
    assert client.get("/fanfiction/").status_code == 404


def test_fabulas_own_addresses_still_gain_their_slash(client, sid1):
    assert client.get("/stories/1")["Location"] == "/stories/1/"
    assert client.get("/fanfiction")["Location"] == "/fanfiction/"
