"""What anyone may read: stories, chapters, the taxonomy, authors, series, challenges, reviews
(threaded), the recent and top lists, and search.

Every answer is built from the permission functions of `stories.permissions` (`listed_stories`,
`story_for`, `visible_chapters`, `required_gate`), the query functions of the pages (listing,
`community.selectors.review_threads`, `community.toplists`) and the search app's own `search`,
exactly as the pages are, for the member the token names or for a guest: what a page would not
show this reader, the API does not either.
"""

from __future__ import annotations

from typing import Literal

from django.contrib.sessions.backends.base import SessionBase
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Schema

from fabula.accounts.models import Pseud, User
from fabula.api import shapes
from fabula.api.limits import check_rate
from fabula.api.problems import Problem
from fabula.api.responses import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, page_of, respond
from fabula.api.routes import router
from fabula.api.shapes import (
    Amount,
    AuthorOut,
    ChallengeOut,
    ChapterOut,
    Id,
    KindOut,
    ReviewThread,
    SearchPage,
    SeriesOut,
    StoryOut,
    StorySummary,
    TagOut,
    TopList,
    page_schema,
)
from fabula.api.tokens import request_token, viewer
from fabula.community import toplists
from fabula.community.models import Review
from fabula.community.selectors import review_threads
from fabula.search.results import search as run_search
from fabula.stories.listing.browsing import (
    authors_with_counts,
    challenges_with_counts,
    series_items,
    series_with_counts,
    stories_tagged,
)
from fabula.stories.listing.pages import RECENT_SORT, SORTS, order_stories
from fabula.stories.models import Challenge, Series
from fabula.stories.permissions import (
    Gate,
    Viewer,
    credited_stories,
    listed_stories,
    required_gate,
    story_for,
    story_links,
    visible_chapters,
)
from fabula.stories.selectors import story_header
from fabula.taxonomy.models import Tag, TagKind

TAGS = ["reading"]

# The problems an operation may answer (each as problem+json: `site.FabulaAPI`).
ERRORS = {400: dict, 401: dict, 403: dict, 404: dict, 422: dict, 429: dict}
StorySort = Literal["title", "updated", "published", "words", "reads"]
assert set(StorySort.__args__) == set(SORTS)  # type: ignore[attr-defined]


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(DEFAULT_PER_PAGE, ge=1, le=MAX_PER_PAGE)


class StoryListParams(PageParams):
    sort: StorySort = "updated"


def stories_page(request, stories, sort: str):
    """A page of story summaries in this order (`responses.page_of`)."""
    one = page_of(request, order_stories(stories, sort).select_related("rating"))
    return respond(request, one.body(shapes.story_summaries(one.items, request)), links=one.links)


def reader(request) -> Viewer:
    """The reader this request speaks for (see `tokens`), set as `request.user` for the
    permission functions, with an empty session: gates are passed by parameter, never by a
    cookie, so an answer depends on the token and the address alone."""
    if not hasattr(request, "_api_rate_checked"):
        request._api_rate_checked = True
        check_rate(request, request_token(request))
    request.user = viewer(request)
    request.session = SessionBase()
    return request.user


def acting_member(request) -> User:
    """`reader`, for operations whose `auth` already demanded a member's token."""
    user = reader(request)
    assert isinstance(user, User), "the operation's auth asks for a token"
    return user


def check_gate(request, story, consent: bool) -> Gate | None:
    """Refuse the text of a story behind a gate: members-only for guests always, age and
    warning gates unless the reader says `consent=true` (as answering the gate page does)."""
    gate = required_gate(request, story)
    if gate == "registered":
        raise Problem(403, "Members only", "This story is for members: send a member's token.")
    if gate is not None and not consent:
        raise Problem(
            403,
            "Behind a gate",
            f"This story's rating asks readers to confirm ({gate}) first: add consent=true.",
        )
    return gate


# ---------------------------------------------------------------------------------------------
# Stories and chapters


@router.get("/stories", tags=TAGS, response={200: page_schema(StorySummary, "StoryPage"), **ERRORS})
def story_list(request, params: Query[StoryListParams]):
    """The stories this reader's lists show, in the order asked for."""
    return stories_page(request, listed_stories(reader(request)), params.sort)


@router.get("/recent", tags=TAGS, response={200: page_schema(StorySummary, "RecentPage"), **ERRORS})
def recent(request, params: Query[PageParams]):
    """The recently updated stories, newest first: the site's "Recently updated" page."""
    return stories_page(request, listed_stories(reader(request)), RECENT_SORT)


@router.get("/stories/{story_id}", tags=TAGS, response={200: StoryOut, 304: None, **ERRORS})
def story_detail(request, story_id: Id):
    """A story's whole header, its counts and its chapter list (no text)."""
    user = reader(request)
    story = story_for(request, story_id, members=True, load="credits")
    chapters = list(visible_chapters(user, story).defer("body", "notes", "end_notes"))
    body = shapes.story_out(
        story,
        story_header(story, chapters),
        story_links(user, story),
        chapters,
        required_gate(request, story),
        request,
    )
    return respond(request, body, last_modified=story.updated_at)


@router.get(
    "/stories/{story_id}/chapters/{position}",
    tags=TAGS,
    response={200: ChapterOut, 304: None, **ERRORS},
)
def chapter_detail(request, story_id: Id, position: Id, consent: bool = False):
    """One chapter's text and notes. A story behind an age or warning gate needs
    `consent=true`; a members-only one needs a member's token."""
    user = reader(request)
    story = story_for(request, story_id, members=True, load="credits")
    check_gate(request, story, consent)
    chapter = (
        visible_chapters(user, story).filter(position=position).select_related("author").first()
    )
    if chapter is None:
        raise Http404("No such chapter.")
    return respond(request, shapes.chapter_out(chapter), last_modified=chapter.updated_at)


# ---------------------------------------------------------------------------------------------
# Taxonomy


@router.get("/taxonomy", tags=TAGS, response={200: list[KindOut], 304: None, **ERRORS})
def taxonomy(request):
    """Every kind of tag with its tags as a tree (sub-categories under their category)."""
    reader(request)
    kinds = list(TagKind.objects.order_by("order", "slug"))
    tags = list(Tag.objects.filter(synonym_of__isnull=True).order_by("order", "name"))
    kind_of = {tag.pk: tag.kind_id for tag in tags}
    nodes = {tag.pk: {"id": tag.pk, "name": tag.name} for tag in tags}
    children: dict[int, list] = {tag.pk: [] for tag in tags}
    roots: dict[int, list] = {kind.pk: [] for kind in kinds}
    for tag in tags:
        nodes[tag.pk]["children"] = children[tag.pk]
        if tag.parent_id in nodes and kind_of[tag.parent_id] == tag.kind_id:
            children[tag.parent_id].append(nodes[tag.pk])
        else:
            roots[tag.kind_id].append(nodes[tag.pk])
    body = [
        {"slug": kind.slug, "name": kind.name, "role": kind.role, "tags": roots[kind.pk]}
        for kind in kinds
    ]
    return respond(request, body)


@router.get("/tags/{tag_id}", tags=TAGS, response={200: TagOut, 304: None, **ERRORS})
def tag_detail(request, tag_id: Id):
    """A tag, where it sits in its tree, and how many stories this reader may see carry it."""
    user = reader(request)
    tag = get_object_or_404(Tag.objects.select_related("kind", "parent"), pk=tag_id)
    body = {
        "id": tag.pk,
        "name": tag.name,
        "kind": tag.kind.slug,
        "description": tag.description,
        "parent": {"id": tag.parent.pk, "name": tag.parent.name} if tag.parent else None,
        "children": [{"id": c.pk, "name": c.name} for c in tag.children.order_by("order", "name")],
        "story_count": stories_tagged(listed_stories(user), tag.pk).count(),
    }
    return respond(request, body)


@router.get(
    "/tags/{tag_id}/stories",
    tags=TAGS,
    response={200: page_schema(StorySummary, "TagStoryPage"), **ERRORS},
)
def tag_stories(request, tag_id: Id, params: Query[StoryListParams]):
    """The stories this reader may see that carry the tag."""
    tag = get_object_or_404(Tag, pk=tag_id)
    return stories_page(
        request, stories_tagged(listed_stories(reader(request)), tag.pk), params.sort
    )


# ---------------------------------------------------------------------------------------------
# Authors and series


def _author(author: User, story_count: int, request) -> dict:
    return {
        "id": author.pk,
        "pen_name": author.pen_name,
        "url": request.build_absolute_uri(f"/authors/{author.pk}/"),
        "bio": author.bio,
        "website": author.website,
        "story_count": story_count,
        "pseuds": [
            {
                "id": pseud.pk,
                "name": pseud.name,
                "url": request.build_absolute_uri(pseud.get_absolute_url()),
                "default": pseud.is_default,
            }
            for pseud in author.pseuds.all()
        ],
    }


@router.get("/authors", tags=TAGS, response={200: page_schema(AuthorOut, "AuthorPage"), **ERRORS})
def author_list(request, params: Query[PageParams]):
    """Members credited on a story this reader may see, by pen name."""
    one = page_of(
        request, authors_with_counts(listed_stories(reader(request))).prefetch_related("pseuds")
    )
    results = [_author(a, a.story_count, request) for a in one.items]
    return respond(request, one.body(results), links=one.links)


@router.get("/authors/{user_id}", tags=TAGS, response={200: AuthorOut, 304: None, **ERRORS})
def author_detail(request, user_id: Id):
    user = reader(request)
    author = get_object_or_404(User, pk=user_id, is_active=True)
    count = credited_stories(user, listed_stories(user), author).count()
    return respond(request, _author(author, count, request))


@router.get(
    "/authors/{user_id}/stories",
    tags=TAGS,
    response={200: page_schema(StorySummary, "AuthorStoryPage"), **ERRORS},
)
def author_stories(request, user_id: Id, params: Query[StoryListParams]):
    """The stories credited to the author that this reader may see."""
    author = get_object_or_404(User, pk=user_id, is_active=True)
    user = reader(request)
    return stories_page(request, credited_stories(user, listed_stories(user), author), params.sort)


@router.get(
    "/authors/{user_id}/pseuds/{pseud_id}/stories",
    tags=TAGS,
    response={200: page_schema(StorySummary, "PseudStoryPage"), **ERRORS},
)
def pseud_stories(request, user_id: Id, pseud_id: Id, params: Query[StoryListParams]):
    """The stories signed with one of the author's pseuds that this reader may see."""
    pseud = get_object_or_404(
        Pseud.objects.select_related("user"), pk=pseud_id, user_id=user_id, user__is_active=True
    )
    user = reader(request)
    return stories_page(
        request, credited_stories(user, listed_stories(user), pseud.user, pseud), params.sort
    )


def _series(series: Series, story_count: int) -> dict:
    return {
        "id": series.pk,
        "title": series.title,
        "summary": series.summary,
        "owner": {"id": series.owner_id, "name": series.owner.pen_name},
        "story_count": story_count,
        "entries": [],
    }


@router.get("/series", tags=TAGS, response={200: page_schema(SeriesOut, "SeriesPage"), **ERRORS})
def series_list(request, params: Query[PageParams]):
    """Every series, with the number of its stories this reader may see (no entries: ask for
    one series for them)."""
    one = page_of(request, series_with_counts(listed_stories(reader(request))))
    return respond(
        request, one.body([_series(s, s.story_count) for s in one.items]), links=one.links
    )


@router.get("/series/{series_id}", tags=TAGS, response={200: SeriesOut, 304: None, **ERRORS})
def series_detail(request, series_id: Id):
    """A series and its entries in order; stories this reader may not see are left out."""
    user = reader(request)
    series = get_object_or_404(Series.objects.select_related("owner"), pk=series_id)
    items = series_items(series, user)
    cards = {
        s["id"]: s for s in shapes.story_summaries([i.story for i in items if i.story], request)
    }
    body = _series(series, len(cards))
    body["entries"] = [
        {
            "position": item.position,
            "story": cards[item.story.pk] if item.story else None,
            "series": shapes.series_ref(item.subseries) if item.subseries else None,
        }
        for item in items
    ]
    return respond(request, body)


# ---------------------------------------------------------------------------------------------
# Challenges


def _challenge(challenge: Challenge, story_count: int) -> dict:
    owner = challenge.owner
    return {
        "id": challenge.pk,
        "title": challenge.title,
        "summary": challenge.summary,
        "challenger": owner.pen_name if owner else challenge.challenger,
        "owner": {"id": owner.pk, "name": owner.pen_name} if owner else None,
        "tags": [{"id": t.pk, "name": t.name} for t in challenge.tags.all()],
        "response_count": story_count,
        "created_at": challenge.created_at.isoformat(),
    }


@router.get(
    "/challenges", tags=TAGS, response={200: page_schema(ChallengeOut, "ChallengePage"), **ERRORS}
)
def challenge_list(request, params: Query[PageParams]):
    """Every challenge, by title, with the number of its responses this reader may see."""
    one = page_of(request, challenges_with_counts(listed_stories(reader(request))))
    return respond(
        request, one.body([_challenge(c, c.story_count) for c in one.items]), links=one.links
    )


def _challenge_for(request, challenge_id: int):
    challenge = (
        challenges_with_counts(listed_stories(reader(request))).filter(pk=challenge_id).first()
    )
    if challenge is None:
        raise Http404("No such challenge.")
    return challenge


@router.get(
    "/challenges/{challenge_id}", tags=TAGS, response={200: ChallengeOut, 304: None, **ERRORS}
)
def challenge_detail(request, challenge_id: Id):
    challenge = _challenge_for(request, challenge_id)
    return respond(request, _challenge(challenge, challenge.story_count))


@router.get(
    "/challenges/{challenge_id}/responses",
    tags=TAGS,
    response={200: page_schema(StorySummary, "ChallengeStoryPage"), **ERRORS},
)
def challenge_responses(request, challenge_id: Id, params: Query[StoryListParams]):
    """The stories answering the challenge that this reader may see."""
    challenge = _challenge_for(request, challenge_id)
    return stories_page(
        request, listed_stories(request.user).filter(challenges=challenge), params.sort
    )


# ---------------------------------------------------------------------------------------------
# Reviews, threaded


def _reply(review: Review) -> dict:
    signature = review.signature
    return {
        "id": review.pk,
        "parent_id": review.parent_id,
        "user_id": signature.user_id,  # none for an author's reply signed "Anonymous"
        "name": signature.name,
        "body": review.body,
        "by_author": review.by_author,
        "created_at": review.created_at.isoformat(),
    }


def reviews_page(request, reviews, shown_chapters: dict[int, int]):
    """A page of review threads, newest first, each with its replies (oldest first), as the
    reviews pages show them (`community.selectors.review_threads`: hidden ones left out).
    A review's chapter is named only when the reader may read it (`shown_chapters`: id to
    position)."""
    one = page_of(request, review_threads(reviews).order_by("-created_at", "-pk"))
    results = [
        {
            **_reply(review),
            "rating": review.rating,
            "chapter_id": review.chapter_id if review.chapter_id in shown_chapters else None,
            "chapter_position": shown_chapters.get(review.chapter_id or 0),
            "replies": [_reply(reply) for reply in review.replies.all()],
        }
        for review in one.items
    ]
    return respond(request, one.body(results), links=one.links)


@router.get(
    "/stories/{story_id}/reviews",
    tags=TAGS,
    response={200: page_schema(ReviewThread, "StoryReviewPage"), **ERRORS},
)
def story_reviews(request, story_id: Id, params: Query[PageParams]):
    """The reviews of a story and of its chapters, threaded: the story's reviews page."""
    user = reader(request)
    story = story_for(request, story_id, members=True)
    shown = dict(visible_chapters(user, story).values_list("pk", "position"))
    return reviews_page(request, story.reviews.all(), shown)


@router.get(
    "/series/{series_id}/reviews",
    tags=TAGS,
    response={200: page_schema(ReviewThread, "SeriesReviewPage"), **ERRORS},
)
def series_reviews(request, series_id: Id, params: Query[PageParams]):
    """The reviews of a series, threaded: the series' reviews page."""
    reader(request)
    series = get_object_or_404(Series, pk=series_id)
    return reviews_page(request, Review.objects.filter(series=series), {})


# ---------------------------------------------------------------------------------------------
# Top lists


TopName = Literal[
    "most-read",
    "most-reviewed",
    "most-favourited",
    "most-kudos",
    "longest",
    "shortest",
    "prolific-authors",
    "favourite-authors",
    "top-reviewers",
]
assert set(TopName.__args__) == set(toplists.TITLES)  # type: ignore[attr-defined]


def _top(request, name: str, rows: list[dict]) -> dict:
    return {
        "name": name,
        "title": toplists.TITLES[name],
        "kind": "stories" if name in toplists.STORY_LISTS else "authors",
        "rows": [{**row, "url": request.build_absolute_uri(row["url"])} for row in rows],
    }


@router.get("/top", tags=TAGS, response={200: list[TopList], 304: None, **ERRORS})
def top_lists(request):
    """Every top list of the site's top page (the ten most read, reviewed, favourited... as a
    guest sees them; figures a few minutes old)."""
    reader(request)
    return respond(request, [_top(request, n, rows) for n, rows in toplists.all_lists().items()])


@router.get("/top/{name}", tags=TAGS, response={200: TopList, 304: None, **ERRORS})
def top_list(request, name: TopName):
    reader(request)
    return respond(request, _top(request, name, toplists.all_lists()[name]))


# ---------------------------------------------------------------------------------------------
# Search


class SearchParams(PageParams):
    q: str = ""
    sort: (
        Literal["relevance", "title", "updated", "published", "words", "reads", "kudos", "reviews"]
        | None
    ) = None
    tag: list[Id] = []
    xtag: list[Id] = []
    rating: list[Id] = []
    complete: Literal["yes", "no", ""] = ""
    words_from: Amount | None = None
    words_to: Amount | None = None
    updated_from: str = ""
    updated_to: str = ""
    lang: list[str] = []
    chapters: Literal["one", "many", ""] = ""


@router.get("/search", tags=TAGS, response={200: SearchPage, **ERRORS})
def search(request, params: Query[SearchParams]):
    """The search page's query language, filters and sorts (see /search/help/), with a
    snippet of the first matching chapter where the reader may read its text. An empty search
    finds nothing: give a query or a filter."""
    reader(request)
    query = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if key not in ("per_page", "fields"):
            query.setlist(key, values)
    try:
        found = run_search(request, query, per_page=params.per_page)
    except Http404:
        raise Problem(404, "No such page", "There are fewer pages of results.") from None
    # The search made each hit's card already: no second round of queries for them.
    summaries = [shapes.story_summary(hit.card, request) for hit in found.hits]
    body = {
        "count": found.total,
        "count_complete": found.complete,
        "page": found.page.number if found.page else 1,
        "pages": found.page.paginator.num_pages if found.page else 0,
        "notice": found.query.notice,
        "results": [
            {
                "story": summary,
                "chapter_position": hit.chapter_position,
                "snippet": str(hit.snippet),
            }
            for summary, hit in zip(summaries, found.hits, strict=True)
        ],
    }
    links = []
    if found.page:
        links = page_of(request, [], count=found.total).links
    return respond(request, body, links=links)
