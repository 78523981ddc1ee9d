"""Who may do what with reviews, kudos and the rest. Story visibility itself stays in
`fabula.stories.permissions` (who may see a story, the members-only gate); these checks and
`review_for`, the loader of a review for views, build on it."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from fabula.community.models import ReadingList, ReadingListEntry, Review
from fabula.conf.models import site_settings
from fabula.stories.models import Series, Story
from fabula.stories.permissions import (
    Viewer,
    behind_members_gate,
    can_view_story,
    check_view_story,
    is_author,
    is_moderator,
)


def review_for(request, review_id: int) -> Review:
    """The review an address names, if the reader may see its story and is past the story's
    members-only gate: else 404 (no such review, hidden, of a series, or of a story they may
    not see) or 403."""
    review = (
        Review.objects.select_related("story__rating", "chapter", "series")
        .filter(pk=review_id)
        .first()
    )
    if review is None or review.hidden or review.story is None:
        raise Http404("No such review.")
    check_view_story(request.user, review.story, members=True)
    return review


def is_locked(user: Viewer) -> bool:
    """Staff may lock a member: they still read, but may not review or reply."""
    return user.is_authenticated and getattr(user, "locked", False)


def can_review(user: Viewer, story: Story) -> bool:
    """Reviews must be open on the site; guests need anonymous reviews allowed too. Authors
    answer reviews of their own work rather than review it."""
    settings = site_settings()
    if not settings.reviews_allowed or not can_view_story(user, story):
        return False
    if user.is_authenticated:
        return not is_author(user, story) and not is_locked(user)
    return settings.anonymous_reviews and not behind_members_gate(user, story)


def can_review_series(user: Viewer, series: Series) -> bool:
    """As for stories: reviews open, guests only with anonymous reviews; a series' owner
    does not review it."""
    settings = site_settings()
    if not settings.reviews_allowed:
        return False
    if user.is_authenticated:
        return series.owner_id != user.pk and not is_locked(user)
    return settings.anonymous_reviews


def can_reply(user: Viewer, review: Review) -> bool:
    """Any member who may see the work may answer a review (its authors' answers are marked)."""
    return (
        user.is_authenticated
        and not is_locked(user)
        and site_settings().reviews_allowed
        and review.story is not None
        and can_view_story(user, review.story)
    )


def can_edit_review(user: Viewer, review: Review) -> bool:
    """Only the writer edits their words; staff may hide or delete but not rewrite them."""
    return user.is_authenticated and review.user_id == user.pk


def can_delete_review(user: Viewer, review: Review) -> bool:
    if not user.is_authenticated:
        return False
    if review.user_id == user.pk or is_moderator(user):
        return True
    story = review.story
    return bool(story and site_settings().authors_delete_reviews and is_author(user, story))


def can_give_kudos(user: Viewer, story: Story) -> bool:
    """Kudos are for other people's work; guests only where guests may read."""
    if behind_members_gate(user, story):
        return False
    return can_view_story(user, story) and not is_author(user, story)


# ---------------------------------------------------------------------------------------------
# Reading lists


def can_view_reading_list(user: Viewer, reading_list: ReadingList) -> bool:
    """A public list: anyone; a private one: its owner only."""
    return reading_list.public or (user.is_authenticated and reading_list.owner_id == user.pk)


def can_manage_reading_list(user: Viewer, reading_list: ReadingList) -> bool:
    return user.is_authenticated and user.is_active and reading_list.owner_id == user.pk


def reading_list_for(user: Viewer, list_id: int, *, manage: bool = False) -> ReadingList:
    """The list an address names, or a 404: for a list the reader may not see (a private list
    is as if missing), and with `manage` for one that is not theirs."""
    reading_list = ReadingList.objects.select_related("owner").filter(pk=list_id).first()
    allowed = can_manage_reading_list if manage else can_view_reading_list
    if reading_list is None or not allowed(user, reading_list):
        raise Http404("No such reading list.")
    return reading_list


def visible_reading_lists(user: Viewer, owner) -> QuerySet[ReadingList]:
    """The lists of `owner` this reader may see: all for the owner, the public ones for others."""
    lists = ReadingList.objects.filter(owner=owner)
    if not (user.is_authenticated and user.pk == owner.pk):
        lists = lists.filter(public=True)
    return lists


def reading_list_stories(
    stories: QuerySet[Story], reading_list: ReadingList, *, newest_first: bool = False
) -> QuerySet[Story]:
    """`stories` (what the reader may see or take: `viewable_stories`, `offered_stories`) that
    are on the list, in its order (or the latest added first), each with its `list_note`: a
    story the reader may not see is left out, never shown by its title."""
    entry = ReadingListEntry.objects.filter(reading_list=reading_list, story=OuterRef("pk"))
    on_list = stories.filter(
        pk__in=ReadingListEntry.objects.filter(reading_list=reading_list).values("story_id")
    ).annotate(
        list_position=Subquery(entry.values("position")[:1]),
        list_added=Subquery(entry.values("added_at")[:1]),
        list_note=Subquery(entry.values("note")[:1]),
        list_entry=Subquery(entry.values("pk")[:1]),
    )
    if newest_first:
        return on_list.order_by("-list_added", "-pk")
    return on_list.order_by("list_position", "pk")
