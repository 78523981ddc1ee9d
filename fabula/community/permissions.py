"""Who may do what with reviews, kudos and the rest. Story visibility itself stays in
`fabula.stories.permissions`; these checks build on it."""

from __future__ import annotations

from fabula.community.models import Review
from fabula.conf.models import site_settings
from fabula.stories.models import Series, Story
from fabula.stories.permissions import Viewer, can_view_story, is_author, is_moderator


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
    return settings.anonymous_reviews and not story.rating.registered_only


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
        and review.story_id is not None
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
    if not user.is_authenticated and story.rating.registered_only:
        return False
    return can_view_story(user, story) and not is_author(user, story)
