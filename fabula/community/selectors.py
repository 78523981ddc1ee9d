"""Reads for community pages and panels, each a fixed handful of queries however many reviews,
kudos or followers a story has."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from fabula.accounts.models import User
from fabula.community.actions import FOLLOWABLE, Targets
from fabula.community.models import Favourite, Kudos, Reading, Review, Subscription
from fabula.notifications.models import Notification
from fabula.stories.models import Block, Chapter, Series, Story
from fabula.stories.permissions import listed_stories, story_for
from fabula.taxonomy.models import Tag

REVIEWS_ON_PAGE = 20


def named_target(
    request, kind: str, pk: int, targets: Targets = FOLLOWABLE
) -> Story | User | Series | Tag:
    """The story, author, series or tag a member names ("story", "author", "series", "tag"),
    if `targets` allows its kind and they may see it: otherwise a 404 (a story they may not
    see is not there for them). The pages and the API both ask here."""
    if kind not in targets.fields.values():
        raise Http404(targets.refusal)
    if kind == "story":
        return story_for(request, pk, members=True)
    if kind == "author":
        return get_object_or_404(User, pk=pk, is_active=True)
    if kind == "series":
        return get_object_or_404(Series, pk=pk)
    return get_object_or_404(Tag, pk=pk)


def review_threads(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """Top-level, visible reviews with their visible replies: two queries in all. Each comes
    with its story, which `Review.signature` reads."""
    replies = (
        Review.objects.filter(hidden=False)
        .select_related("pseud", "story")
        .only(
            "id",
            "parent_id",
            "story_id",
            "chapter_id",
            "series_id",
            "user_id",
            "pseud",
            "pseud__user_id",
            "pseud__name",
            "story__anonymous",  # for `Review.signature`
            "name",
            "body",
            "rating",
            "by_author",
            "hidden",
            "created_at",
            "updated_at",
        )
        .order_by("created_at", "pk")
    )
    return (
        reviews.filter(parent__isnull=True, hidden=False)
        .select_related("chapter", "pseud", "story")
        .defer(
            "chapter__body",
            "chapter__notes",
            "chapter__end_notes",
            "story__summary",
            "story__notes",
            "story__moderation_note",
        )
        .prefetch_related(Prefetch("replies", queryset=replies))
    )


def latest_reviews(
    *, story: Story, chapter: Chapter | None = None, limit: int = REVIEWS_ON_PAGE
) -> list[Review]:
    """The newest reviews of a chapter (or of the whole story), oldest first on the page."""
    counted = chapter if chapter else story
    if not counted.review_count and counted.rating_average is None:
        return []  # the stored counts say there is none: spare the query
    reviews = (
        Review.objects.filter(chapter=chapter) if chapter else Review.objects.filter(story=story)
    )
    newest = list(review_threads(reviews).order_by("-created_at", "-pk")[:limit])
    return newest[::-1]


@dataclass
class MemberState:
    """What one member has done with one story, for the buttons on its pages."""

    gave_kudos: bool = False
    favourite: bool = False
    subscribed: bool = False
    marked_for_later: bool = False
    chapter_id: int | None = None
    position: float | None = None


def member_state(user, story: Story) -> MemberState:
    """One query, however much the member did: chapter pages have a tight query budget."""
    if not user.is_authenticated:
        return MemberState()
    mine = {"story": OuterRef("pk"), "user": user}
    reading = Reading.objects.filter(**mine)
    row = (
        Story.objects.filter(pk=story.pk)
        .annotate(
            gave_kudos=Exists(Kudos.objects.filter(**mine)),
            favourite=Exists(Favourite.objects.filter(**mine)),
            subscribed=Exists(Subscription.objects.filter(**mine)),
            marked_for_later=Subquery(reading.values("marked_for_later")[:1]),
            reading_chapter=Subquery(reading.values("chapter_id")[:1]),
            reading_position=Subquery(reading.values("position")[:1]),
        )
        .values(
            "gave_kudos",
            "favourite",
            "subscribed",
            "marked_for_later",
            "reading_chapter",
            "reading_position",
        )
        .first()
    )
    if row is None:
        return MemberState()
    return MemberState(
        gave_kudos=row["gave_kudos"],
        favourite=row["favourite"],
        subscribed=row["subscribed"],
        marked_for_later=bool(row["marked_for_later"]),
        chapter_id=row["reading_chapter"],
        position=row["reading_position"],
    )


def continue_reading(user, limit: int = 5) -> list[Reading]:
    """The member's stories in progress, newest first, that they may still see."""
    return list(
        Reading.objects.filter(user=user, chapter__isnull=False, story__in=listed_stories(user))
        .select_related("story", "chapter")
        .only(
            "id",
            "position",
            "last_read_at",
            "story__id",
            "story__title",
            "story__chapter_count",
            "chapter__id",
            "chapter__position",
            "chapter__title",
            "chapter__story_id",
        )
        .order_by("-last_read_at")[:limit]
    )


def unread_notifications(user) -> int:
    """How many of the member's notifications they have not read yet."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def author_buttons(user, author: User) -> dict[str, bool]:
    """Whether the member follows, favours and hides an author: one query for three buttons."""
    mine = {"user": user, "author": OuterRef("pk")}
    row = (
        User.objects.filter(pk=author.pk)
        .annotate(
            follows=Exists(Subscription.objects.filter(**mine)),
            favourite=Exists(Favourite.objects.filter(**mine)),
            blocked=Exists(Block.objects.filter(**mine)),
        )
        .values("follows", "favourite", "blocked")
        .first()
    )
    return {name: bool(value) for name, value in row.items()} if row else {}


def series_buttons(user, series: Series) -> dict[str, bool]:
    """Whether the member follows and favours a series."""
    mine = {"user": user, "series": series}
    return {
        "follows": Subscription.objects.filter(**mine).exists(),
        "favourite": Favourite.objects.filter(**mine).exists(),
    }


@dataclass
class MemberFavourites:
    """A member's favourites, by kind, as a reader of their page may see them."""

    stories: list[Favourite]
    authors: list[Favourite]
    series: list[Favourite]


def member_favourites(member: User, reader) -> MemberFavourites:
    """Newest first. Stories the reader may not see are left out, except on the member's own
    page: they keep their favourite drafts or hidden stories in view."""
    is_self = reader.is_authenticated and reader.pk == member.pk
    rows = (
        Favourite.objects.filter(user=member)
        .select_related("story", "author", "series")
        .order_by("-created_at")
    )
    visible_ids = set(
        listed_stories(reader)
        .filter(pk__in=rows.filter(story__isnull=False).values("story_id"))
        .values_list("pk", flat=True)
    )
    found = MemberFavourites(stories=[], authors=[], series=[])
    for row in rows:
        if row.story_id:
            if row.story_id in visible_ids or is_self:
                found.stories.append(row)
        elif row.author_id:
            found.authors.append(row)
        else:
            found.series.append(row)
    return found
