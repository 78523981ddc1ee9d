"""Running a search: from the query string of `/search/` to a page of results.

The reader's `listed_stories`, narrowed by the filters, go to the index once: it answers the
matching stories, best score first (a story scores as its best chapter). From that list come
the count, the page (for relevance) and a plain Story queryset for the other orders and the
sidebar's counts, so only stories the reader may see can ever appear anywhere on the page.
Snippets come from the first released chapter of each story on the page that matches; a story
behind an age or warning gate the reader has not passed shows no passage of its text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from fabula.conf.models import site_settings
from fabula.lib.db import id_list
from fabula.search.backends import backend
from fabula.search.backends.base import MARK_END, MARK_START
from fabula.search.query import Query, parse
from fabula.search.snippets import passage
from fabula.stories.listing import filters
from fabula.stories.listing.cards import Addresses, Card, make_cards
from fabula.stories.listing.pages import (
    LIST_PARAMETERS,
    SORTS,
    Link,
    page_links,
    paginate,
    url_with,
)
from fabula.stories.models import Story
from fabula.stories.permissions import (
    guest_ratings,
    listed_stories,
    lists_alike_for_all,
    offered_stories,
    required_gate,
)

RELEVANCE = "relevance"
# Every query parameter the results page reads (`lib.serving.served`).
SEARCH_PARAMETERS = ("q", *LIST_PARAMETERS)
SCORED_MATCHES = 1_000  # matching chapters scored one by one, at most (see `find`)
# Matching chapters read, at most (see `find`): more than SCORED_MATCHES, so a query scored has
# had every match read. 5,000 since guests' searches no longer hash every visible story: the
# rest of a broad search (the matches, the sidebar's counts) then grows with it (docs/decisions.md,
# "What a guest may see, kept in the search index").
READ_MATCHES = 5_000
SEARCH_SORTS: dict[str, tuple[str, tuple]] = {
    RELEVANCE: (gettext_noop("Relevance"), ()),
    **SORTS,
    "kudos": (gettext_noop("Kudos"), ("-kudos_count", "-pk")),
    "reviews": (gettext_noop("Reviews"), ("-review_count", "-pk")),
}


@dataclass
class Hit:
    card: Card
    chapter_position: int | None = None
    chapter_url: str = ""
    snippet: SafeString | str = ""
    gated: bool = False


@dataclass
class SearchResults:
    query: Query
    state: filters.FilterState
    hits: list[Hit]
    page: Page | None
    sort: str
    sorts: list[Link]
    pages: list[Link]
    sidebar: filters.Sidebar | None
    # False: the words are in more than READ_MATCHES chapters, and these are the stories of the
    # first READ_MATCHES (`find`); the total is a lower bound.
    complete: bool = True

    @property
    def read_matches(self) -> int:
        return READ_MATCHES

    @property
    def total(self) -> int:
        return self.page.paginator.count if self.page else 0

    @property
    def searched(self) -> bool:
        return not self.query.is_empty or self.state.active


def matching(stories: QuerySet[Story], query: Query) -> QuerySet[Story]:
    """The stories of `stories` the query matches (all of them for an empty query)."""
    if query.is_empty:
        return stories
    engine = backend()
    sql, params = engine.match_sql(query, timezone.now())
    stories = stories.filter(pk__in=RawSQL(f"SELECT m.story_id FROM ({sql}) m", params))
    if query.excluded:
        sql, params = engine.excluded_sql(query)
        stories = stories.exclude(pk__in=RawSQL(sql, params))
    return stories


@dataclass
class Found:
    """The stories a query found among those a reader may see."""

    ranked: list[int]  # story ids, the best first
    first_chapter: dict[
        int, tuple[int, int]
    ]  # story id -> (chapter id, position) of its first match
    complete: bool = True  # False: found in the first READ_MATCHES matching chapters only


def find(stories: QuerySet[Story], query: Query, *, for_guests: bool = False) -> Found:
    """Every story of `stories` the query matches, best first, with its first matching chapter.
    `for_guests`: `stories` are every story a guest may list, unfiltered.

    Scoring a chapter (bm25, ts_rank) costs far more than finding it, and when a query's words
    are in thousands of chapters the scores tell little apart. So only a query that finds at most
    SCORED_MATCHES chapters is ranked by score (a story scores as its best chapter); the stories
    of a broader one come in the order of how many of their chapters hold the words, then the
    newest first.

    And a word found in most chapters is found in more of them the larger the archive: reading
    every match, then counting the sidebar over every story they hold, took seconds for one
    search of a 100,000-story archive. So no query reads more than READ_MATCHES matching
    chapters (of the stories the reader may see, filtered): past that, its stories are those of
    the first READ_MATCHES the index gives, `complete` says so, and the page says the count is
    a lower bound. Narrowing the search (a filter, another word) makes it whole again.

    Which matches a reader may see was asked of the story table: a subquery of `stories` that
    the database made into a set of every story's id before reading the first match (50-110 ms
    of a broad search at 100,000 stories, whatever the query). A guest's search, most of them,
    reads instead what the index keeps of each row's story (`indexing.sights`).
    """
    engine = backend()
    try:
        keep, keep_params = (
            _kept_for_guests()
            if for_guests and not query.fields_only  # the stories' own rows keep no sight
            else _kept(stories)
        )
    except EmptyResultSet:  # a filter that can match nothing (a tag that does not exist)
        return Found([], {})
    if query.excluded:
        excluded, excluded_params = engine.excluded_sql(query)
        keep, keep_params = (
            f"{keep} AND m.story_id NOT IN ({excluded})",
            [*keep_params, *excluded_params],
        )
    found = engine.matches(query, timezone.now(), keep, keep_params, SCORED_MATCHES, READ_MATCHES)
    matched = found.stories
    if found.scored:
        matched.sort(key=lambda match: (match.score, match.story_id))
    else:
        matched.sort(key=lambda match: (-match.chapters, -match.story_id))
    return Found(
        [match.story_id for match in matched],
        {match.story_id: (match.chapter_id, match.position) for match in matched},
        found.complete,
    )


def _kept(stories: QuerySet[Story]) -> tuple[str, list]:
    """SQL keeping the matches (`m`) of these stories."""
    visible, params = stories.order_by().values("pk").query.sql_with_params()
    return f"m.story_id IN ({visible})", list(params)


def _kept_for_guests() -> tuple[str, list]:
    """SQL keeping the matching chapters (`m`) a guest may see, by the sight the index keeps
    of each: their stories open to guests (`permissions.unlocked_stories` of the public ones),
    under a rating a guest may read, asked of the rating table (a handful of rows)."""
    ratings, params = guest_ratings().order_by().values("pk").query.sql_with_params()
    return f"m.open_to_guests AND m.rating_id IN ({ratings})", list(params)


def highlight(text: str) -> SafeString:
    """A snippet from the index as HTML: escaped, with <mark> around the words found."""
    return mark_safe(escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def choose_search_sort(requested: str | None, query: Query) -> str:
    if requested in SEARCH_SORTS and not (requested == RELEVANCE and query.is_empty):
        return requested
    return "updated" if query.is_empty else RELEVANCE


def search(
    request, params: QueryDict | None = None, *, per_page: int | None = None
) -> SearchResults:
    """The results page for a query string (`request.GET` unless given). Never raises on bad
    input; a page number past the end is a 404, as on every list."""
    params = request.GET if params is None else params
    query = parse(params.get("q"))
    state = filters.read_filters(params)
    sort = choose_search_sort(params.get("sort"), query)
    results = SearchResults(query, state, [], None, sort, [], [], None)
    if not results.searched:
        return results
    listed = filters.apply_filters(listed_stories(request.user), state)
    stories = listed  # what is counted: becomes the list found, for a query
    found = ranked = found_ids = None
    if not query.is_empty:
        guest_list = lists_alike_for_all(request.user) and not state.active
        found = find(listed, query, for_guests=guest_list)
        ranked = found.ranked
        results.complete = found.complete
        # Counts and other orders work from the list (READ_MATCHES bounds it). `find` kept only
        # stories of `stories` (the reader's, filtered), so the list alone says it: asking the
        # permissions and filters again in the sidebar's queries joined the story table to
        # every count for nothing (a third of the sidebar's time on a broad query).
        found_ids = id_list(ranked)  # thousands of ids: made into one parameter once
        stories = Story.objects.filter(pk__in=found_ids)
    per_page = per_page or site_settings().items_per_page
    total = len(ranked) if ranked is not None else stories.count()
    page = paginate(range(total), params.get("page"), per_page)  # a range: only the count matters
    offset = (page.number - 1) * per_page
    if sort == RELEVANCE:
        assert ranked is not None  # relevance is chosen only for a query, and a query ranks
        ids = ranked[offset : offset + per_page]
        # The page's stories asked of `listed` once more: whatever the index keeps, no story
        # a reader may not see is ever shown.
        by_id = {story.pk: story for story in listed.filter(pk__in=ids).select_related("rating")}
        page_stories = [by_id[pk] for pk in ids if pk in by_id]
    else:
        ordered = listed if found_ids is None else listed.filter(pk__in=found_ids)
        ordered = ordered.order_by(*SEARCH_SORTS[sort][1])
        page_stories = list(ordered.select_related("rating")[offset : offset + per_page])
    results.page = page
    results.hits = _hits(request, query, page_stories, found)
    results.sorts = [
        Link(gettext(label), url_with(params, sort=key, page=None), key == sort)
        for key, (label, _) in SEARCH_SORTS.items()
        if key != RELEVANCE or not query.is_empty
    ]
    results.pages = page_links(params, page)
    counted = filters.count_facets(stories, state, found_ids)
    results.sidebar = filters.sidebar(counted, state, params)
    return results


def _hits(request, query: Query, stories: list[Story], found: Found | None) -> list[Hit]:
    hits = [Hit(card) for card in make_cards(stories)]
    if found is None:
        return hits
    address = Addresses()
    for hit in hits:
        story = hit.card.story
        if story.pk in found.first_chapter:
            hit.chapter_position = found.first_chapter[story.pk][1]
            hit.chapter_url = address("chapter", story.pk, found.first_chapter[story.pk][0])
            # The passage stays behind an age or warning gate, like the text itself.
            hit.gated = required_gate(request, story) is not None
    shown = [hit for hit in hits if hit.chapter_url and not hit.gated]
    texts = backend().texts([found.first_chapter[hit.card.story.pk][0] for hit in shown])
    for hit in shown:
        text = passage(texts.get(found.first_chapter[hit.card.story.pk][0], ""), query)
        hit.snippet = highlight(text) if text else ""
    return hits


def feed_stories(user, params: QueryDict, limit: int = 25) -> list[Story]:
    """The newest stories matching a saved search, for its feed: by last update."""
    query = parse(params.get("q"))
    state = filters.read_filters(params)
    stories = matching(filters.apply_filters(offered_stories(user), state), query)
    ordered = stories.order_by(F("updated_at").desc(nulls_last=True), "-pk")
    return list(ordered.select_related("rating")[:limit])
