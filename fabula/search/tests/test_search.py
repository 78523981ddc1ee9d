"""Full-text search: finding a passage, ranking, sorting, the malformed-query list, and the
rule that only stories the reader may see ever appear, on both databases."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fabula.search import indexing
from fabula.search.backends import backend
from fabula.stories import actions
from fabula.stories.models import Status
from fabula.test import chapter_url, warm_caches

FILLER = "<p>" + " ".join(["meadow"] * 60) + "</p>"


def results_of(client, **params):
    response = client.get(reverse("search:results"), params)
    assert response.status_code == 200, response.content[:500]
    return response, response.context["results"]


def titles(results):
    return [hit.card.story.title for hit in results.hits]


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def test_a_phrase_inside_chapter_three_finds_the_story_with_a_snippet_and_a_link(
    client, author, write_story
):
    story = write_story(
        author,
        "Quiet Harbour",
        [
            FILLER,
            FILLER,
            f"<p>{' '.join(['tide'] * 40)} the old lighthouse keeper sang to the gulls"
            f" {' '.join(['tide'] * 40)}</p>",
            FILLER,
        ],
    )
    write_story(author, "Scattered", ["<p>keeper of the old lighthouse; he sang</p>"])
    response, results = results_of(client, q='"lighthouse keeper sang"')
    assert titles(results) == ["Quiet Harbour"]
    hit = results.hits[0]
    assert hit.chapter_position == 3
    assert hit.chapter_url == chapter_url(story.pk, 3)
    # SQLite marks the phrase, PostgreSQL each of its words.
    assert re.search(r"<mark>(lighthouse keeper sang|lighthouse)</mark>", hit.snippet)
    assert "the old" in hit.snippet and "to the gulls" in hit.snippet
    assert "meadow" not in hit.snippet
    body = response.content.decode()
    assert f'href="{chapter_url(story.pk, 3)}"' in body
    assert re.search(r"<mark>[^<]*keeper", body)


MALFORMED = [
    '"unbalanced',
    'title:"open',
    '"',
    '""',
    "OR",
    "AND",
    "NOT",
    "-",
    "--",
    "- -",
    "title:",
    "author:",
    "a OR",
    "OR a",
    "a OR OR b",
    "-a",
    "x" * 10_000,
    "word " * 3000,
    "NEAR(a b)",
    "a*",
    "^a",
    "a:b",
    "{title}: a",
    "title : a",
    "(a",
    "a)",
    "a + b",
    '" OR "',
    "\x00",
    "a\x00b",
    "'; DROP TABLE stories_story; --",
    "1 OR 1=1",
    "%",
    "%s",
    "%(a)s",
    "\\",
    "' OR ''='",
    "<script>alert(1)</script>",
    "ÿ\u0301\u200b",
    "🐉",
    "a" * 300 + " OR",
    "tag:",
    'text:"a',
    "title:title:a",
]


@pytest.mark.parametrize("raw", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_queries_never_answer_500(client, author, write_story, raw):
    write_story(author, "Dragon Dreams", ["<p>a dragon sleeps</p>"])
    response = client.get(reverse("search:results"), {"q": raw, "sort": raw, "page": raw[:20]})
    assert response.status_code in (200, 404)  # 404 only for a page number past the end
    response = client.get(reverse("search:results"), {"q": raw})
    assert response.status_code == 200


def test_a_malformed_query_says_it_searched_the_words(client, author, write_story):
    write_story(author, "Dragon Dreams", ["<p>a dragon sleeps</p>"])
    response, results = results_of(client, q='"dragon sleeps')
    assert titles(results) == ["Dragon Dreams"]
    assert "quotation mark" in response.content.decode()


def test_title_and_author_weigh_more_than_text(client, author, other_author, write_story):
    write_story(author, "Many Words", ["<p>the comet, the comet, the comet came</p>"] * 3)
    write_story(author, "Comet", ["<p>nothing to see</p>"])
    response, results = results_of(client, q="comet")
    assert titles(results) == ["Comet", "Many Words"]
    write_story(other_author, "Another", ["<p>winter fox said comet</p>"] * 3)
    write_story(author, "Other", ["<p>a fox in winter</p>"])
    response, results = results_of(client, q="winter fox")
    assert titles(results)[0] == "Other" or titles(results)[0] == "Another"
    response, results = results_of(client, q='author:"winter fox"')
    assert titles(results) == ["Another"]


def test_field_prefixes_or_and_exclusions(client, author, archive, write_story):
    write_story(author, "Snowfall", ["<p>cold morning</p>"], tags=[archive.humor])
    write_story(author, "Heatwave", ["<p>snowfall was a dream</p>"], summary="<p>Warm</p>")
    write_story(author, "Rain", ["<p>wet and cold</p>", "<p>a humid afternoon</p>"])
    assert titles(results_of(client, q="title:snowfall")[1]) == ["Snowfall"]
    assert titles(results_of(client, q="text:snowfall")[1]) == ["Heatwave"]
    assert titles(results_of(client, q="summary:warm")[1]) == ["Heatwave"]
    assert titles(results_of(client, q="tag:humor")[1]) == ["Snowfall"]
    assert sorted(titles(results_of(client, q="title:rain OR title:heatwave")[1])) == [
        "Heatwave",
        "Rain",
    ]
    # An exclusion leaves out the story wherever the word appears, even in another chapter.
    assert titles(results_of(client, q="cold -humid")[1]) == ["Snowfall"]


def test_a_broad_query_orders_stories_by_chapters_found_without_scoring(
    client, author, write_story, monkeypatch
):
    from fabula.search import results as search_results
    from fabula.stories.models import Story

    monkeypatch.setattr(search_results, "SCORED_MATCHES", 2)  # so these few matches are "many"
    write_story(author, "Once", ["<p>a lantern</p>", FILLER])
    thrice = write_story(
        author, "Thrice", [FILLER, "<p>lantern</p>", "<p>lantern</p>", "<p>lantern</p>"]
    )
    write_story(author, "Also Once", ["<p>lantern light</p>"])
    hidden = write_story(author, "Hidden", ["<p>lantern</p>"] * 5)
    Story.objects.filter(pk=hidden.pk).update(status=Status.HIDDEN)
    write_story(author, "Excluded", ["<p>lantern</p>"] * 4 + ["<p>moth</p>"])
    response, results = results_of(client, q="lantern -moth")
    # Most chapters found first, then the newest: never the hidden or the excluded story.
    assert titles(results) == ["Thrice", "Also Once", "Once"]
    assert results.hits[0].chapter_url == chapter_url(thrice.pk, 2)
    assert "<mark>lantern</mark>" in str(results.hits[0].snippet)


def test_a_word_in_more_chapters_than_a_search_reads_finds_the_stories_of_the_first_ones(
    client, author, moderator, write_story, indexed, monkeypatch
):
    from fabula.moderation import actions as moderation
    from fabula.search import results as search_results

    monkeypatch.setattr(search_results, "SCORED_MATCHES", 1)
    monkeypatch.setattr(search_results, "READ_MATCHES", 3)
    # The oldest chapters, first in the index: a story the reader may not see takes no place
    # among those read.
    hidden = write_story(author, "Hidden", ["<p>lantern</p>"] * 3)
    with indexed():
        moderation.story_hide(story=hidden, by=moderator)
    shown = {"One", "Two", "Three", "Four", "Five"}
    for title in sorted(shown):
        write_story(author, title, ["<p>lantern</p>"])
    write_story(author, "Moonlit", ["<p>lantern moon</p>"])
    response, results = results_of(client, q="lantern")
    # Three chapters and the one that says there are more: four stories, a lower bound.
    assert not results.complete
    assert results.total == 4 and len(results.hits) == 4
    assert set(titles(results)) <= shown | {"Moonlit"}
    body = response.content.decode()
    assert "At least 4 stories found" in body
    assert "more than 3 chapters" in body
    # Narrowed, the search reads every match again and counts them exactly.
    response, results = results_of(client, q="lantern moon")
    assert results.complete and titles(results) == ["Moonlit"]
    assert "1 story found" in response.content.decode()
    assert "more than 3 chapters" not in response.content.decode()


def test_a_query_on_fields_alone_reads_no_more_stories_than_a_search_reads(
    client, author, write_story, monkeypatch
):
    from fabula.search import results as search_results
    from fabula.stories.models import Story

    monkeypatch.setattr(search_results, "SCORED_MATCHES", 1)
    monkeypatch.setattr(search_results, "READ_MATCHES", 2)
    hidden = write_story(author, "Winter Hidden", ["<p>a</p>"])
    Story.objects.filter(pk=hidden.pk).update(status=Status.HIDDEN)
    write_story(author, "Winter One", ["<p>a</p>"])
    write_story(author, "Winter Two", ["<p>b</p>"])
    _, results = results_of(client, q="title:winter")
    assert results.complete and sorted(titles(results)) == ["Winter One", "Winter Two"]
    write_story(author, "Winter Three", ["<p>c</p>"])
    write_story(author, "Winter Four", ["<p>d</p>"])
    _, results = results_of(client, q="title:winter")
    assert not results.complete
    assert results.total == 3 and "Winter Hidden" not in titles(results)


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("title", ["Alpha", "Beta", "Gamma"]),
        ("words", ["Gamma", "Beta", "Alpha"]),
        ("updated", ["Gamma", "Beta", "Alpha"]),
        ("reads", ["Beta", "Gamma", "Alpha"]),
        ("kudos", ["Alpha", "Gamma", "Beta"]),
    ],
)
def test_results_sort(client, author, write_story, sort, expected):
    from fabula.stories.models import Story

    for n, (title, reads, kudos) in enumerate([("Alpha", 1, 9), ("Beta", 7, 0), ("Gamma", 3, 5)]):
        story = write_story(author, title, ["<p>orchard " + "apple " * (n + 1) * 10 + "</p>"])
        Story.objects.filter(pk=story.pk).update(
            read_count=reads,
            kudos_count=kudos,
            updated_at=timezone.now() - timedelta(days=10 - n),
        )
    assert titles(results_of(client, q="orchard", sort=sort)[1]) == expected


def test_only_listed_stories_appear_in_results_counts_and_snippets(
    client, author, reader, moderator, archive, write_story, indexed
):
    secret = "zanzibar"
    write_story(author, "Public", [f"<p>{secret} in the open</p>"])
    write_story(
        author,
        "Draft",
        [f"<p>{secret} draft</p>"],
        status=Status.DRAFT,
        chapter_status=Status.DRAFT,
    )
    write_story(
        author,
        "Pending",
        [f"<p>{secret} pending</p>"],
        status=Status.PENDING,
        chapter_status=Status.PENDING,
    )
    hidden = write_story(author, "Hidden", [f"<p>{secret} hidden</p>"])
    from fabula.moderation import actions as moderation

    with indexed():
        moderation.story_hide(story=hidden, by=moderator)
    write_story(author, "Members", [f"<p>{secret} members</p>"], rating=archive.members_only)
    write_story(
        author,
        "Scheduled",
        [f"<p>{secret} soon</p>"],
        release_at=timezone.now() + timedelta(days=3),
    )
    # A story whose only chapter with the word is scheduled: the story is public, not that text.
    write_story(
        author,
        "Half Out",
        ["<p>nothing yet</p>", f"<p>{secret} later</p>"],
        release_at=timezone.now() + timedelta(days=3),
    )

    response, results = results_of(client, q=secret)
    assert titles(results) == ["Public"]
    assert results.total == 1
    sidebar = results.sidebar
    assert sum(choice.count for choice in sidebar.ratings) == 1
    assert [c.count for group in sidebar.tag_groups for c in group.choices] == [1]
    body = response.content.decode()
    for word in ("draft", "pending", "hidden", "members", "soon", "later"):
        assert f"</mark> {word}" not in body
    client.force_login(reader)
    assert sorted(titles(results_of(client, q=secret)[1])) == ["Members", "Public"]


def test_a_gated_story_is_found_but_its_passage_stays_behind_the_gate(
    client, author, archive, write_story
):
    write_story(author, "Grown Up", ["<p>the velvet curtain fell</p>"], rating=archive.adult)
    response, results = results_of(client, q="velvet")
    assert titles(results) == ["Grown Up"]
    assert results.hits[0].gated and not results.hits[0].snippet
    assert "velvet</mark>" not in response.content.decode()


def test_the_index_follows_the_actions(client, author, moderator, write_story, indexed):
    story = write_story(author, "Evolving", ["<p>first draft about pumpkins</p>"])
    assert titles(results_of(client, q="pumpkins")[1]) == ["Evolving"]
    chapter = story.chapters.get(position=1)
    with indexed():
        actions.chapter_update(chapter=chapter, title="One", body="<p>now about turnips</p>")
    assert titles(results_of(client, q="pumpkins")[1]) == []
    assert titles(results_of(client, q="turnips")[1]) == ["Evolving"]
    with indexed():
        actions.story_update(story=story, title="Renamed Tale", rating=story.rating)
    assert titles(results_of(client, q="title:renamed")[1]) == ["Renamed Tale"]
    with indexed():
        actions.story_delete(story=story)
    assert backend().count() == 0


def test_a_guests_search_follows_what_a_guest_may_see_of_each_story(
    client, author, reader, moderator, archive, write_story, indexed
):
    """The index keeps what a guest may see of a story beside its rows (`indexing.sights`):
    hiding, locking and a rating made for members only are each seen at once."""
    from fabula.moderation import actions as moderation
    from fabula.taxonomy.models import Rating

    story = write_story(author, "Heron Tale", ["<p>a quiet heron</p>"])
    write_story(author, "Other", ["<p>another heron</p>"])

    def found() -> list[str]:
        response, results = results_of(client, q="heron")
        assert results.total == len(results.hits)  # counted as shown
        return titles(results)

    assert found() == ["Heron Tale", "Other"] or found() == ["Other", "Heron Tale"]
    with indexed():
        moderation.story_hide(story=story, by=moderator)
    assert found() == ["Other"]
    with indexed():
        moderation.story_unhide(story=story, by=moderator)
    assert "Heron Tale" in found()

    def lock(locked: bool) -> None:
        with indexed():
            actions.story_update(
                story=story,
                title=story.title,
                rating=story.rating,
                tags=[archive.fandom],
                locked=locked,
            )

    lock(True)
    assert found() == ["Other"]
    client.force_login(reader)  # a member's search asks the story table, as every list does
    assert "Heron Tale" in found()
    client.logout()
    lock(False)
    assert "Heron Tale" in found()
    # A rating's gate is asked when searching: no row of the index is written for it.
    Rating.objects.filter(pk=story.rating_id).update(registered_only=True)
    assert found() == []


def test_a_story_made_public_by_the_release_of_its_chapter_is_found_by_guests(
    client, author, write_story, indexed
):
    from fabula.stories.models import Chapter

    story = write_story(
        author, "Soon", ["<p>an ibis</p>"], release_at=timezone.now() + timedelta(1)
    )
    assert titles(results_of(client, q="ibis")[1]) == []
    # Its time comes; the worker's round releases it.
    Chapter.objects.filter(story=story).update(release_at=timezone.now() - timedelta(minutes=1))
    with indexed():
        assert actions.release_due_chapters() == 1
    assert titles(results_of(client, q="ibis")[1]) == ["Soon"]


@pytest.mark.parametrize("sort", ["relevance", "title"])
def test_a_story_hidden_behind_the_index_back_is_never_shown(client, author, write_story, sort):
    """Whatever the index keeps, the page's stories are asked of the reader's list once more."""
    from fabula.stories.models import Story

    stale = write_story(author, "Stale", ["<p>an okapi</p>"])
    write_story(author, "Fresh", ["<p>an okapi too</p>"])
    Story.objects.filter(pk=stale.pk).update(status=Status.HIDDEN)  # no action: nothing told
    response, results = results_of(client, q="okapi", sort=sort)
    assert titles(results) == ["Fresh"]
    assert "Stale" not in response.content.decode()


def test_indexing_waits_for_the_commit(author, archive, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story = actions.story_create(
            authors=[author], title="Later", rating=archive.general, status=Status.PUBLISHED
        )
        actions.chapter_add(story=story, title="One", body="<p>words</p>")
        assert backend().count() == 0
    assert callbacks
    for callback in callbacks:
        callback()
    assert backend().count() == 1


def test_reindex_command_rebuilds_everything(client, author, write_story, capsys):
    from django.core.management import call_command

    write_story(author, "Kept", ["<p>saffron</p>", "<p>more saffron</p>"])
    backend().clear()
    assert titles(results_of(client, q="saffron")[1]) == []
    call_command("reindex")
    assert "Indexed 2 chapters" in capsys.readouterr().out
    assert titles(results_of(client, q="saffron")[1]) == ["Kept"]
    assert indexing.rebuild() == 2


def test_help_page_and_empty_search(client, db):
    assert "exact phrase" in client.get(reverse("search:help")).content.decode()
    response, results = results_of(client)
    assert not results.searched and results.hits == []


def test_result_pages_and_a_page_past_the_end(client, author, write_story):
    from fabula.test import set_site

    set_site(items_per_page=2)
    for n in range(3):
        write_story(author, f"Walnut {n}", ["<p>walnut</p>"])
    first = results_of(client, q="walnut", sort="title")[1]
    second = results_of(client, q="walnut", sort="title", page="2")[1]
    assert first.total == 3 and len(first.hits) == 2 and titles(second) == ["Walnut 2"]
    assert [link.label for link in first.pages][-1] == "Next ›"
    relevance = results_of(client, q="walnut", page="2")[1]
    assert len(relevance.hits) == 1
    assert client.get(reverse("search:results"), {"q": "walnut", "page": "3"}).status_code == 404


def test_a_results_page_costs_the_same_queries_for_few_and_many_results(
    client, author, write_story, django_assert_max_num_queries
):

    def count_queries():
        # 12, and 6 for the rate limiter's count of searches on PostgreSQL (a read and a write of
        # its row in the database cache; on SQLite the count is in memory).
        with django_assert_max_num_queries(18) as context:
            assert client.get(reverse("search:results"), {"q": "heron"}).status_code == 200
        return len(context.captured_queries)

    write_story(author, "Heron 0", ["<p>a heron</p>"])
    warm_caches()  # cached from here on, as on a running site
    few = count_queries()
    for n in range(1, 12):
        write_story(author, f"Heron {n}", ["<p>a heron</p>", "<p>another heron</p>"])
    assert count_queries() == few


def test_a_chapter_hidden_by_staff_leaves_the_index(
    client, author, moderator, write_story, indexed
):
    from fabula.moderation import actions as moderation

    story = write_story(author, "Two Parts", ["<p>opening words</p>", "<p>a quokka appears</p>"])
    assert titles(results_of(client, q="quokka")[1]) == ["Two Parts"]
    chapter = story.chapters.get(position=2)
    with indexed():
        moderation.chapter_hide(chapter=chapter, by=moderator, reason="spam")
    assert titles(results_of(client, q="quokka")[1]) == []
    with indexed():
        moderation.chapter_unhide(chapter=chapter, by=moderator)
    assert titles(results_of(client, q="quokka")[1]) == ["Two Parts"]


def test_index_work_of_a_rolled_back_transaction_is_dropped(client, author, write_story, indexed):
    from django.db import transaction

    story = write_story(author, "Quince", ["<p>quince jelly</p>"])
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.story_delete(story=story)
        raise RuntimeError("changed my mind")
    with indexed():  # a later commit must not carry out the abandoned removal
        write_story(author, "Other", ["<p>nothing here</p>"])
    assert titles(results_of(client, q="quince")[1]) == ["Quince"]


def test_the_story_rows_follow_title_and_authors(
    client, author, coauthor, archive, write_story, indexed
):
    story = write_story(author, "Old Lighthouse", ["<p>waves</p>"])
    with indexed():
        actions.story_update(
            story=story, title="New Harbour", rating=archive.general, tags=[archive.fandom]
        )
        actions.chapter_add(
            story=story,
            title="Guest part",
            body="<p>gulls</p>",
            status=Status.PUBLISHED,
            author=coauthor,
        )
    assert titles(results_of(client, q="title:harbour")[1]) == ["New Harbour"]
    assert titles(results_of(client, q="title:lighthouse")[1]) == []
    # The chapter's own author is found by the story's fields, in a query on fields alone.
    response, results = results_of(client, q='author:"midnight owl"')
    assert titles(results) == ["New Harbour"]
    assert results.hits[0].chapter_url == chapter_url(story.pk, 1)
    with indexed():
        actions.story_delete(story=story)
    assert titles(results_of(client, q="title:harbour")[1]) == []


def test_a_broad_query_on_fields_alone_is_not_scored(client, author, write_story, monkeypatch):
    from fabula.search import results as search_results

    monkeypatch.setattr(search_results, "SCORED_MATCHES", 1)
    write_story(author, "Winter One", ["<p>a</p>"])
    write_story(author, "Winter Two", ["<p>b</p>", "<p>c</p>"])
    assert titles(results_of(client, q="title:winter")[1]) == ["Winter Two", "Winter One"]


def test_searching_from_the_header_box_of_the_home_page(client, author, write_story):
    """The issue's 'done when': a phrase typed in the header's box of the home page finds the
    story, with its passage and a link to the chapter."""
    story = write_story(
        author,
        "Quiet Harbour",
        [FILLER, f"<p>{FILLER} the old lighthouse keeper sang to the gulls {FILLER}</p>"],
    )
    home = client.get(reverse("home")).content.decode()
    box = re.search(r'<form class="header-search"[^>]*>.*?</form>', home, re.S)
    assert box is not None, "no search box in the header"
    action = re.search(r'action="([^"]+)"', box.group())
    field = re.search(r'<input[^>]* type="search" name="(\w+)"', box.group())
    assert action is not None and field is not None
    assert 'method="get"' in box.group()
    response = client.get(action.group(1), {field.group(1): '"lighthouse keeper"'})
    page = response.content.decode()
    assert [hit.card.story.title for hit in response.context["results"].hits] == ["Quiet Harbour"]
    assert re.search(r'<p class="snippet">.*<mark>[^<]*lighthouse', page, re.S)
    assert f'href="{chapter_url(story, 2)}"' in page
