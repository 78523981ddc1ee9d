"""Who hears of what happens in the community: reviews, replies and new chapters.

Each function decides the members concerned and the line they read, and hands them to
`fabula.notifications.actions.notify`, which writes the notifications and emails them (or not)
as each member chose. A new chapter's announcement is the job `announce-chapter` (registered in
`apps.py`), so the stories app asks for it by name and never imports this module.
"""

from __future__ import annotations

from django.db.models import Q

from fabula.accounts.models import User
from fabula.community.models import Favourite, Review, Subscription
from fabula.notifications.actions import notify
from fabula.notifications.models import Notification
from fabula.stories.models import Chapter, Story


def _authors(story: Story) -> list[User]:
    return [credit.user for credit in story.credits.select_related("user")]


def _tell(recipients: list[User], review: Review, *, kind: str, text: str) -> None:
    """Tell the members of a review or a reply, linked to it in its thread."""
    notify(
        recipients,
        kind=kind,
        text=text,
        url=review.get_absolute_url(),
        story=review.story,
        review=review,
        actor=review.user,
    )


def review_arrived(review: Review) -> None:
    """The work's authors hear of a new review."""
    story = review.story
    if story is None:
        # The model's check constraint: a review is of a story or of a series.
        assert review.series is not None
        recipients = [review.series.owner]
        title = review.series.title
    else:
        recipients = _authors(story)
        title = story.title
    where = f", chapter {review.chapter.title}" if review.chapter is not None else ""
    _tell(
        recipients,
        review,
        kind=Notification.Kind.REVIEW,
        text=f"{review.name or 'A guest'} reviewed {title}{where}.",
    )


def reply_arrived(reply: Review) -> None:
    """The review's writer (and the authors, when someone else answers) hear of a reply."""
    parent = reply.parent
    if parent is None:
        raise ValueError(f"Review {reply.pk} is not a reply.")
    story = reply.story
    if story is None:
        assert reply.series is not None  # the check constraint: a story's or a series'
        title = reply.series.title
    else:
        title = story.title
    recipients: list[User] = []
    if parent.user is not None:
        recipients.append(parent.user)
    if not reply.by_author and story is not None:
        recipients.extend(_authors(story))
    name = reply.signature.name
    who = f"{name} (author)" if reply.by_author else name
    _tell(
        recipients,
        reply,
        kind=Notification.Kind.REPLY,
        text=f"{who} replied to a review of {title}.",
    )


def _followers(story: Story) -> list[User]:
    """Members following the story, one of its authors or a series holding it; members who
    favourited the story or one of its authors hear too, as eFiction's alerts did. A story
    signed "Anonymous" is not announced to its authors' followers: that would name them."""
    author_ids = list(story.credits.values_list("user_id", flat=True))
    series_ids = list(story.series_entries.values_list("series_id", flat=True))
    followed_authors = [] if story.anonymous else author_ids
    targets = Q(story=story) | Q(author_id__in=followed_authors) | Q(series_id__in=series_ids)
    user_ids = set(Subscription.objects.filter(targets).values_list("user_id", flat=True))
    user_ids |= set(
        Favourite.objects.filter(Q(story=story) | Q(author_id__in=followed_authors)).values_list(
            "user_id", flat=True
        )
    )
    return list(User.objects.filter(pk__in=user_ids - set(author_ids), is_active=True))


def chapter_announce(*, chapter_id: int, once: bool = False) -> int:
    """The job `announce-chapter`: followers hear of a new chapter of a public story, if it is
    public and released by the time the job runs. `once` (a scheduled chapter the worker just
    released, which validation may have announced already) skips a chapter already announced.
    Returns how many members were told."""
    chapter = Chapter.objects.select_related("story").filter(pk=chapter_id).first()
    if chapter is None:
        return 0
    story = chapter.story
    if not chapter.is_public():
        return 0
    url = chapter.get_absolute_url()
    if once and Notification.objects.filter(kind="chapter", story=story, url=url).exists():
        return 0
    told = notify(
        _followers(story),
        kind=Notification.Kind.CHAPTER,
        text=f"New chapter of {story.title}: {chapter.title}.",
        url=url,
        story=story,
    )
    return len(told)
