"""Who may do what with reviews, kudos and the rest. Story visibility itself stays in
`fabula.stories.permissions` (who may see a story, the members-only gate); these checks and
`review_for`, the loader of a review for views, build on it."""

from __future__ import annotations

from django.http import Http404

from fabula.community.models import Review
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
