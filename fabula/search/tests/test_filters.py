"""Filters on search results and browse pages: each one, the counts beside the values, tags
with their sub-categories and synonyms, and bad values that must not break a page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fabula.stories.listing.filters import FilterState, count_facets, read_filters
from fabula.stories.models import Story
from fabula.taxonomy.models import Tag, TagKind
from fabula.taxonomy.selectors import tag_meanings


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def shelf(author, archive, write_story):
    """Four stories with the word "lantern", each differing in what the filters look at."""
    now = timezone.now()

    def put(title, chapters, updated_days_ago, **fields):
        story = write_story(
            author, title, ["<p>lantern " + "word " * 20 + "</p>"] * chapters, **fields
        )
        Story.objects.filter(pk=story.pk).update(updated_at=now - timedelta(days=updated_days_ago))
        return story

    return {
        "office": put(
            "Office", 1, 1, tags=[archive.fandom, archive.jim, archive.angst], completed=True
        ),
        "jimpam": put("Jim and Pam", 3, 30, tags=[archive.subfandom, archive.pam, archive.humor]),
        "parks": put(
            "Parks",
            2,
            400,
            tags=[archive.other_fandom, archive.humor, archive.violence],
            rating=archive.teen,
            language="fr",
        ),
        "plain": put("Plain", 1, 5, tags=[archive.other_fandom], completed=True),
    }


def found(client, url=None, **params):
    response = client.get(url or reverse("search:results"), {"q": "lantern", **params})
    assert response.status_code == 200
    if "results" in response.context:
        results = response.context["results"]
        return sorted(hit.card.story.title for hit in results.hits), results.sidebar
    listing = response.context["listing"]
    return sorted(card.story.title for card in listing.cards), listing.sidebar


def test_a_category_includes_its_sub_categories(client, shelf, archive):
    assert found(client, tag=archive.fandom.pk)[0] == ["Jim and Pam", "Office"]
    assert found(client, tag=archive.subfandom.pk)[0] == ["Jim and Pam"]


def test_a_synonym_counts_as_its_canonical_tag(client, shelf, archive):
    jimbo = Tag.objects.create(kind=archive.character, name="Jimbo", synonym_of=archive.jim)
    shelf["plain"].story_tags.create(tag=jimbo, position=5)
    assert found(client, tag=archive.jim.pk)[0] == ["Office", "Plain"]
    assert found(client, tag=jimbo.pk)[0] == ["Office", "Plain"]
    titles, sidebar = found(client)
    characters = next(g for g in sidebar.tag_groups if g.kind_name == "Characters")
    assert {c.label: c.count for c in characters.choices} == {"Jim": 2, "Pam": 1}


def test_include_several_and_exclude(client, shelf, archive):
    assert found(client, tag=[archive.other_fandom.pk, archive.humor.pk])[0] == ["Parks"]
    assert found(client, xtag=archive.humor.pk)[0] == ["Office", "Plain"]
    assert found(client, xtag=archive.fandom.pk)[0] == ["Parks", "Plain"]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"complete": "yes"}, ["Office", "Plain"]),
        ({"complete": "no"}, ["Jim and Pam", "Parks"]),
        ({"chapters": "one"}, ["Office", "Plain"]),
        ({"chapters": "many"}, ["Jim and Pam", "Parks"]),
        ({"lang": "fr"}, ["Parks"]),
        ({"words_from": "30"}, ["Jim and Pam", "Parks"]),
        ({"words_to": "30"}, ["Office", "Plain"]),
        (
            {"updated_from": (timezone.now() - timedelta(days=10)).date().isoformat()},
            ["Office", "Plain"],
        ),
        ({"updated_to": (timezone.now() - timedelta(days=100)).date().isoformat()}, ["Parks"]),
    ],
)
def test_each_filter(client, shelf, params, expected):
    assert found(client, **params)[0] == expected


def test_rating_filter_and_counts_beside_each_value(client, shelf, archive):
    assert found(client, rating=archive.teen.pk)[0] == ["Parks"]
    titles, sidebar = found(client)
    assert {c.label: c.count for c in sidebar.ratings} == {"G": 3, "PG-13": 1}
    assert {c.value: c.count for c in sidebar.complete} == {"yes": 2, "no": 2}
    assert {c.value: c.count for c in sidebar.chapters} == {"one": 2, "many": 2}
    assert {c.value: c.count for c in sidebar.languages} == {"en": 3, "fr": 1}
    genres = next(g for g in sidebar.tag_groups if g.kind_name == "Genres")
    assert {c.label: c.count for c in genres.choices} == {"Humor": 2, "Angst": 1}
    # Counts follow the filters already chosen.
    titles, sidebar = found(client, complete="yes")
    assert {c.label: c.count for c in sidebar.ratings} == {"G": 2}


def test_the_url_holds_the_whole_state(client, shelf, archive):
    url = (
        reverse("search:results")
        + f"?q=lantern&tag={archive.humor.pk}&xtag={archive.violence.pk}&complete=no&sort=title"
    )
    response = client.get(url)
    page = response.content.decode()
    assert [hit.card.story.title for hit in response.context["results"].hits] == ["Jim and Pam"]
    assert f'name="tag" value="{archive.humor.pk}" aria-label="Include Humor" checked' in page
    assert (
        f'name="xtag" value="{archive.violence.pk}" aria-label="Exclude Violence" checked' in page
    )
    assert 'name="q" value="lantern"' in page and 'name="sort" value="title"' in page
    # Links to other pages and sorts keep the filters.
    assert f"tag={archive.humor.pk}" in response.context["results"].sorts[0].url


def test_a_tag_row_escapes_its_name_once_in_every_language(client, shelf, archive):
    Tag.objects.filter(pk=archive.humor.pk).update(name='Humor & "Fun" <3')
    url = reverse("search:results") + f"?q=lantern&tag={archive.humor.pk}"
    page = client.get(url).content.decode()
    name = "Humor &amp; &quot;Fun&quot; &lt;3"
    assert (
        f'<tr><td><input type="checkbox" name="tag" value="{archive.humor.pk}"'
        f' aria-label="Include {name}" checked></td>'
        f'<td><input type="checkbox" name="xtag" value="{archive.humor.pk}"'
        f' aria-label="Exclude {name}"></td><td>{name} <span class="count">(2)</span></td></tr>'
    ) in page
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert f'aria-label="{name} einschließen" checked' in german


def test_browse_pages_take_the_same_filters(client, shelf, archive):
    rating_page = reverse("browse-rating", args=[archive.general.pk])
    titles, sidebar = found(client, rating_page, complete="yes")
    assert titles == ["Office", "Plain"]
    assert sidebar is not None
    tag_page = reverse("browse-tag", args=["categories", archive.fandom.pk])
    assert found(client, tag_page, xtag=archive.pam.pk)[0] == ["Office"]
    everything = reverse("browse")
    assert found(client, everything, tag=archive.humor.pk, xtag=archive.violence.pk)[0] == [
        "Jim and Pam"
    ]
    page = client.get(everything, {"tag": archive.humor.pk}).content.decode()
    assert 'class="filters"' in page and 'Humor <span class="count">(2)</span>' in page


def test_hidden_stories_never_show_in_counts(client, shelf, archive, author, write_story):
    write_story(
        author, "Members", ["<p>lantern</p>"], rating=archive.members_only, tags=[archive.humor]
    )
    titles, sidebar = found(client, reverse("browse"))
    genres = next(g for g in sidebar.tag_groups if g.kind_name == "Genres")
    assert {c.label: c.count for c in genres.choices}["Humor"] == 2
    assert "R" not in {c.label for c in sidebar.ratings}


@pytest.mark.parametrize(
    "params",
    [
        {"tag": "abc"},
        {"tag": "99999"},
        {"xtag": "-1"},
        {"rating": "x"},
        {"words_from": "many"},
        {"words_to": "1e9"},
        {"updated_from": "yesterday"},
        {"updated_to": "2024-13-45"},
        {"complete": "maybe"},
        {"chapters": "7"},
        {"lang": "x" * 500},
        {"tag": ["1"] * 500},
        {"tag": "\x00"},
        {"words_from": "9" * 40},
    ],
)
def test_bad_filter_values_are_ignored_not_errors(client, shelf, params):
    assert client.get(reverse("search:results"), {"q": "lantern", **params}).status_code == 200
    assert client.get(reverse("browse"), params).status_code == 200


def test_reading_filters_reports_what_it_ignored():
    from django.http import QueryDict

    state = read_filters(QueryDict("tag=3&tag=x&words_from=ten&updated_to=2024-02-30"))
    assert state.include == [3] and state.words_from is None and state.updated_to is None
    assert len(state.problems) == 3


def test_tag_meanings(archive):
    assert tag_meanings([archive.fandom.pk])[archive.fandom.pk] == {
        archive.fandom.pk,
        archive.subfandom.pk,
    }
    assert tag_meanings([12345]) == {12345: set()}


def test_tag_meanings_walk_the_whole_tree_and_its_synonyms(archive):
    from fabula.taxonomy.models import Tag

    grandchild = Tag.objects.create(
        kind=archive.category, name="Beach Games", parent=archive.subfandom
    )
    alias = Tag.objects.create(kind=archive.category, name="JAM", synonym_of=archive.subfandom)
    nickname = Tag.objects.create(kind=archive.character, name="Jimbo", synonym_of=archive.jim)
    meanings = tag_meanings([archive.fandom.pk, alias.pk, nickname.pk, archive.humor.pk])
    assert meanings[archive.fandom.pk] == {
        archive.fandom.pk,
        archive.subfandom.pk,
        alias.pk,
        grandchild.pk,
    }
    # A synonym means its canonical tag, with everything below that.
    assert meanings[alias.pk] == {archive.subfandom.pk, alias.pk, grandchild.pk}
    assert meanings[nickname.pk] == {archive.jim.pk, nickname.pk}
    assert meanings[archive.humor.pk] == {archive.humor.pk}


@pytest.mark.parametrize("url_name", ["search:results", "browse"])
def test_the_sidebar_folds_counts_the_filters_on_and_comes_after_the_results(
    client, shelf, archive, url_name
):
    """On phones the sidebar (a disclosure, closed there by its script) must not stand before
    the results: they come first in the page, and its summary says how many filters are on."""
    page = client.get(
        reverse(url_name),
        {
            "q": "lantern",
            "tag": [archive.humor.pk],
            "xtag": [archive.violence.pk],
            "complete": "no",
        },
    ).content.decode()
    assert page.index('class="results"') < page.index('class="filters"')
    assert '<details class="filter-panel" open>' in page
    assert re.search(r"<summary>Filters <span class=\"on\">\(3 on\)</span></summary>", page)
    assert 'src="/static/fabula/fold-filters.js"' in page
    plain = client.get(reverse(url_name), {"q": "lantern"}).content.decode()
    assert "<summary>Filters</summary>" in plain


def test_the_sidebar_shows_a_kinds_most_frequent_tags_the_name_deciding_ties(
    make_story, author, archive
):
    """Each kind shows its TAGS_PER_KIND tags found in most stories, ties at the last place
    decided by name, then any chosen tag beyond them; a synonym counts as its canonical tag."""
    kind = TagKind.objects.create(slug="tropes", name="Tropes", role="freeform")
    counts = {"K1": 6, "K2": 6, "K3": 5, "K4": 5, "K5": 4, "K6": 4, "K7": 3, "K8": 3}
    counts |= {"Zeta": 2, "Alpha": 2, "Mu": 2, "Omega": 1}
    tags = {name: Tag.objects.create(kind=kind, name=name, wrangled=True) for name in counts}
    also_alpha = Tag.objects.create(kind=kind, name="Also Alpha", synonym_of=tags["Alpha"])
    for n in range(6):
        on = [tags[name] for name, count in counts.items() if count > n]
        if n == 0:
            on.append(also_alpha)  # beside Alpha itself: the story counts once
        if n == 1:
            on = [also_alpha if tag == tags["Alpha"] else tag for tag in on]
        make_story(author, title=f"Story {n}", tags=[archive.fandom, *on])
    state = FilterState(include=[tags["Omega"].pk])
    shown = [
        row for row in count_facets(Story.objects.all(), state).tags if row.kind_slug == "tropes"
    ]
    assert [(row.name, row.stories) for row in shown] == [
        ("K1", 6), ("K2", 6), ("K3", 5), ("K4", 5), ("K5", 4), ("K6", 4), ("K7", 3), ("K8", 3),
        ("Alpha", 2), ("Mu", 2),  # and not Zeta, as frequent
        ("Omega", 1),  # chosen
    ]  # fmt: skip
