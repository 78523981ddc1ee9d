"""What a member's token reads and does for them: favourites, follows, reading history and
position, marked for later, the blocklist, kudos and reviews; and members' reading lists, which
anyone may read when public. Each write is one community action, so its checks, counts, alerts
and rate limits apply as on the pages; who may see the story is `story_for`, as everywhere."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.db.models import Q
from ninja import Query, Status

from fabula.api import shapes
from fabula.api.problems import Problem
from fabula.api.reading import ERRORS, PageParams, acting_member, reader
from fabula.api.responses import page_of, respond
from fabula.api.routes import router
from fabula.api.shapes import Amount, Id, Shape
from fabula.api.tokens import member, writer
from fabula.community import actions, permissions, selectors
from fabula.community.actions import BLOCKABLE, FOLLOWABLE, Targets
from fabula.community.models import Favourite, Reading, Subscription
from fabula.lib.ratelimit import client_address
from fabula.stories.models import Block
from fabula.stories.permissions import (
    listed_stories,
    story_for,
    viewable_stories,
    visible_chapters,
)

TAGS = ["members"]

ListName = Literal["favourites", "follows"]
TargetKind = Literal["stories", "authors", "series"]
LIST_MODELS: dict[str, type[Favourite] | type[Subscription]] = {
    "favourites": Favourite,
    "follows": Subscription,
}


class Me(Shape):
    id: int
    pen_name: str
    scope: str


class TargetOut(Shape):
    kind: str
    id: int
    name: str
    created_at: datetime


class ReadingOut(Shape):
    story: shapes.StorySummary
    chapter_position: int | None
    place: float
    marked_for_later: bool
    last_read_at: datetime


class PlaceIn(Shape):
    chapter_position: Id
    place: float


class ReviewIn(Shape):
    body: str = ""
    rating: Amount | None = None
    chapter_position: Id | None = None


class ReviewOut(Shape):
    id: int
    story_id: int | None
    chapter_id: int | None
    name: str
    body: str
    rating: int | None
    created_at: datetime


class Done(Shape):
    done: bool


@router.get("/me", tags=TAGS, auth=member, response={200: Me, **ERRORS})
def me(request):
    token = request.auth
    return respond(
        request, {"id": token.user.pk, "pen_name": token.user.pen_name, "scope": token.scope}
    )


# ---------------------------------------------------------------------------------------------
# History, reading position, marked for later (before the lists: /me/history is not a list)


def reading_out(reading: Reading, summary: dict) -> dict:
    return {
        "story": summary,
        "chapter_position": reading.chapter.position if reading.chapter else None,
        "place": reading.position,
        "marked_for_later": reading.marked_for_later,
        "last_read_at": reading.last_read_at.isoformat(),
    }


@router.get(
    "/me/history",
    tags=TAGS,
    auth=member,
    response={200: shapes.page_schema(ReadingOut, "HistoryPage"), **ERRORS},
)
def history(request, params: Query[PageParams]):
    """What you read, the last first, with where you stopped (`place`: 0 to 1 into the
    chapter) and what you marked for later."""
    user = acting_member(request)
    rows = (
        Reading.objects.filter(user=user, story__in=viewable_stories(user))
        .select_related("chapter", "story__rating")
        .defer("chapter__body", "chapter__notes", "chapter__end_notes")
        .order_by("-last_read_at", "-pk")
    )
    one = page_of(request, rows)
    summaries = shapes.story_summaries([row.story for row in one.items], request)
    results = [reading_out(row, s) for row, s in zip(one.items, summaries, strict=True)]
    return respond(request, one.body(results), links=one.links)


@router.put("/me/history/{story_id}", tags=TAGS, auth=writer, response={200: Done, **ERRORS})
def save_place(request, story_id: Id, place: PlaceIn):
    """Remember where you are in a story: the chapter and how far into it (0 to 1). Nothing
    is kept (done: false) when your history is off."""
    user = acting_member(request)
    story = story_for(request, story_id, members=True)
    chapter = visible_chapters(user, story).filter(position=place.chapter_position).first()
    if chapter is None:
        raise Problem(422, "No such chapter", "The story has no such chapter for you.")
    saved = actions.reading_save_position(user=user, chapter=chapter, position=place.place)
    return {"done": saved is not None}


@router.put("/me/later/{story_id}", tags=TAGS, auth=writer, response={200: Done, **ERRORS})
def mark_for_later(request, story_id: Id):
    user = acting_member(request)
    actions.reading_mark_for_later(user=user, story=story_for(request, story_id, members=True))
    return {"done": True}


@router.delete("/me/later/{story_id}", tags=TAGS, auth=writer, response={200: Done, **ERRORS})
def unmark_for_later(request, story_id: Id):
    user = acting_member(request)
    story = story_for(request, story_id, members=True)
    actions.reading_mark_for_later(user=user, story=story, later=False)
    return {"done": True}


# ---------------------------------------------------------------------------------------------
# What a favourite, a follow or a block names


# The API's addresses name kinds in the plural, the community's rows in the singular.
SINGULAR = {"stories": "story", "authors": "author", "series": "series", "tags": "tag"}


def _target(request, kind: str, target_id: int, targets: Targets = FOLLOWABLE):
    """The story, author, series or tag an API address names."""
    return selectors.named_target(request, SINGULAR[kind], target_id, targets)


def _target_out(row) -> dict:
    """What a row of Favourite, Subscription or Block names."""
    if row.story_id:
        kind, id_, name = "stories", row.story_id, row.story.title
    elif row.author_id:
        kind, id_, name = "authors", row.author_id, row.author.pen_name
    elif getattr(row, "tag_id", None):  # blocks only
        kind, id_, name = "tags", row.tag_id, row.tag.name
    else:
        kind, id_, name = "series", row.series_id, row.series.title
    return {"kind": kind, "id": id_, "name": name, "created_at": row.created_at.isoformat()}


# ---------------------------------------------------------------------------------------------
# Blocklist (before the lists: /me/blocks is not one of them)


BlockKind = Literal["stories", "tags", "authors"]


@router.get(
    "/me/blocks",
    tags=TAGS,
    auth=member,
    response={200: shapes.page_schema(TargetOut, "BlockPage"), **ERRORS},
)
def my_blocks(request, params: Query[PageParams]):
    """The stories, tags and authors you blocked (lists leave them out), newest first; your
    blocklist page."""
    user = acting_member(request)
    rows = (
        Block.objects.filter(user=user)
        .filter(
            # Blocked stories are out of the lists (`listed_stories`), not out of sight.
            Q(story__isnull=True)
            | Q(story__in=listed_stories(user, blocks=False).values("pk"))
            | Q(story__in=viewable_stories(user).values("pk"))
        )
        .select_related("story", "tag", "author")
        .order_by("-created_at", "-pk")
    )
    one = page_of(request, rows)
    return respond(request, one.body([_target_out(row) for row in one.items]), links=one.links)


@router.put("/me/blocks/{kind}/{target_id}", tags=TAGS, auth=writer, response={200: Done, **ERRORS})
def block(request, kind: BlockKind, target_id: Id):
    """Block a story, a tag or an author: no list, search or feed shows it to you again."""
    user = acting_member(request)
    actions.block_add(user=user, target=_target(request, kind, target_id, BLOCKABLE))
    return {"done": True}


@router.delete(
    "/me/blocks/{kind}/{target_id}", tags=TAGS, auth=writer, response={200: Done, **ERRORS}
)
def unblock(request, kind: BlockKind, target_id: Id):
    """Take a story, a tag or an author off your blocklist; `done` is false when it was not
    there."""
    user = acting_member(request)
    return {
        "done": actions.block_remove(user=user, target=_target(request, kind, target_id, BLOCKABLE))
    }


# ---------------------------------------------------------------------------------------------
# Favourites and follows


@router.get(
    "/me/{list_name}",
    tags=TAGS,
    auth=member,
    response={200: shapes.page_schema(TargetOut, "TargetPage"), **ERRORS},
)
def my_list(request, list_name: ListName, params: Query[PageParams]):
    """Your favourites or the stories, authors and series you follow, newest first (stories
    you may no longer see are left out)."""
    user = acting_member(request)
    rows = (
        LIST_MODELS[list_name]
        .objects.filter(user=user)
        .filter(Q(story__isnull=True) | Q(story__in=viewable_stories(user)))
        .select_related("story", "author", "series")
        .order_by("-created_at", "-pk")
    )
    one = page_of(request, rows)
    return respond(request, one.body([_target_out(row) for row in one.items]), links=one.links)


@router.put(
    "/me/{list_name}/{kind}/{target_id}", tags=TAGS, auth=writer, response={200: Done, **ERRORS}
)
def add_to_list(request, list_name: ListName, kind: TargetKind, target_id: Id):
    """Favourite or follow a story, an author or a series."""
    user = acting_member(request)
    target = _target(request, kind, target_id)
    if list_name == "favourites":
        actions.favourite_add(user=user, target=target)
    else:
        actions.subscribe(user=user, target=target)
    return {"done": True}


@router.delete(
    "/me/{list_name}/{kind}/{target_id}", tags=TAGS, auth=writer, response={200: Done, **ERRORS}
)
def remove_from_list(request, list_name: ListName, kind: TargetKind, target_id: Id):
    """Take a story, an author or a series off your favourites or follows; `done` is false
    when it was not there."""
    user = acting_member(request)
    target = _target(request, kind, target_id)
    remove = actions.favourite_remove if list_name == "favourites" else actions.unsubscribe
    return {"done": remove(user=user, target=target)}


# ---------------------------------------------------------------------------------------------
# Kudos and reviews


@router.post("/stories/{story_id}/kudos", tags=TAGS, auth=writer, response={200: Done, **ERRORS})
def kudos(request, story_id: Id):
    """Leave kudos; `done` is false when you already had."""
    user = acting_member(request)
    story = story_for(request, story_id, members=True)
    return {"done": actions.kudos_give(story=story, user=user) is not None}


@router.post(
    "/stories/{story_id}/reviews", tags=TAGS, auth=writer, response={201: ReviewOut, **ERRORS}
)
def review(request, story_id: Id, review: ReviewIn):
    """Review a story, or one of its chapters (`chapter_position`)."""
    user = acting_member(request)
    story = story_for(request, story_id, members=True)
    chapter = None
    if review.chapter_position is not None:
        chapter = visible_chapters(user, story).filter(position=review.chapter_position).first()
        if chapter is None:
            raise Problem(422, "No such chapter", "The story has no such chapter for you.")
    posted = actions.review_post(
        story=None if chapter else story,
        chapter=chapter,
        user=user,
        body=review.body,
        rating=review.rating,
        ip=client_address(request),
    )
    return Status(
        201,
        {
            "id": posted.pk,
            "story_id": posted.story_id,
            "chapter_id": posted.chapter_id,
            "name": posted.name,
            "body": posted.body,
            "rating": posted.rating,
            "created_at": posted.created_at,
        },
    )


# ---------------------------------------------------------------------------------------------
# Reading lists (anyone may read a public one; a private one is its owner's alone)


class ListEntryOut(Shape):
    story: shapes.StorySummary
    note: str


class ReadingListOut(Shape):
    id: int
    name: str
    owner: shapes.Ref
    public: bool
    count: int
    page: int
    pages: int
    results: list[ListEntryOut]


@router.get("/lists/{list_id}", tags=TAGS, response={200: ReadingListOut, 304: None, **ERRORS})
def reading_list(request, list_id: Id, params: Query[PageParams]):
    """A member's reading list in its order, each story with the member's note: the stories
    this reader may see (a private list is a 404 to all but its owner)."""
    user = reader(request)
    found = permissions.reading_list_for(user, list_id)
    stories = permissions.reading_list_stories(
        viewable_stories(user).select_related("rating"), found
    )
    one = page_of(request, stories)
    summaries = shapes.story_summaries(one.items, request)
    results = [
        {"story": summary, "note": story.list_note}
        for story, summary in zip(one.items, summaries, strict=True)
    ]
    return respond(
        request,
        {
            "id": found.pk,
            "name": found.name,
            "owner": {"id": found.owner_id, "name": found.owner.pen_name},
            "public": found.public,
            **one.body(results),
        },
        links=one.links,
    )
