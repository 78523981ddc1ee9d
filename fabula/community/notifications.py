"""Alerts: what members hear about, on the notifications page and by email.

Each event writes one Notification per member concerned (never the member who caused it). The
email goes at once, or waits for the daily digest (`fabula send-digests`), or never, as the
member chose in their preferences. Emails use Django's mail framework with a text and an HTML
template, and leave after the database transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from fabula.accounts.models import User
from fabula.conf.models import site_settings
from fabula.stories.models import Chapter, Status, Story


def _models():
    from fabula.community import models

    return models


def _alert_mode(user: User) -> str:
    models = _models()
    prefs = models.MemberPreferences.objects.filter(user=user).first()
    return prefs.alerts if prefs else models.MemberPreferences.Alerts.IMMEDIATE


def notify(
    users: Iterable[User],
    *,
    kind: str,
    text: str,
    url: str,
    story: Story | None = None,
    review=None,
    actor: User | None = None,
) -> list:
    """Tell these members about something; skips the member who did it and duplicates."""
    Notification = _models().Notification
    seen: set[int] = set()
    made = []
    for user in users:
        if user.pk in seen or (actor is not None and user.pk == actor.pk) or not user.is_active:
            continue
        seen.add(user.pk)
        made.append(
            Notification.objects.create(
                user=user,
                kind=kind,
                text=text[:300],
                url=url,
                story=story,
                review=review,
            )
        )
    for notification in made:
        user = notification.user
        if kind == "review" and not getattr(user, "email_alerts", True):
            continue  # the member asked for no email about reviews of their work
        if _alert_mode(user) == "immediate" and user.email:
            transaction.on_commit(lambda n=notification: send_now(n))
    return made


def _authors(story: Story) -> list[User]:
    return [credit.user for credit in story.credits.select_related("user")]


def _review_url(review) -> str:
    if review.chapter_id:
        base = reverse("chapter", args=[review.story_id, review.chapter.position])
    elif review.story_id:
        base = reverse("story", args=[review.story_id])
    else:
        base = reverse("series", args=[review.series_id])
    return f"{base}#review-{review.parent_id or review.pk}"


def review_arrived(review) -> None:
    """The work's authors hear of a new review."""
    if review.story_id is None:
        recipients = [review.series.owner]
        title = review.series.title
    else:
        recipients = _authors(review.story)
        title = review.story.title
    where = f", chapter {review.chapter.title}" if review.chapter_id else ""
    notify(
        recipients,
        kind="review",
        text=f"{review.name or 'A guest'} reviewed {title}{where}.",
        url=_review_url(review),
        story=review.story,
        review=review,
        actor=review.user,
    )


def reply_arrived(reply) -> None:
    """The review's writer (and the authors, when someone else answers) hear of a reply."""
    parent = reply.parent
    title = reply.story.title if reply.story_id else reply.series.title
    recipients = []
    if parent.user_id:
        recipients.append(parent.user)
    if not reply.by_author and reply.story_id:
        recipients.extend(_authors(reply.story))
    who = f"{reply.name} (author)" if reply.by_author else reply.name
    notify(
        recipients,
        kind="reply",
        text=f"{who} replied to a review of {title}.",
        url=_review_url(reply),
        story=reply.story,
        review=reply,
        actor=reply.user,
    )


def _followers(story: Story) -> list[User]:
    """Members following the story, one of its authors or a series holding it; members who
    favourited the story or one of its authors hear too, as eFiction's alerts did."""
    models = _models()
    author_ids = list(story.credits.values_list("user_id", flat=True))
    series_ids = list(story.series_entries.values_list("series_id", flat=True))
    targets = Q(story=story) | Q(author_id__in=author_ids) | Q(series_id__in=series_ids)
    user_ids = set(models.Subscription.objects.filter(targets).values_list("user_id", flat=True))
    user_ids |= set(
        models.Favourite.objects.filter(Q(story=story) | Q(author_id__in=author_ids)).values_list(
            "user_id", flat=True
        )
    )
    return list(User.objects.filter(pk__in=user_ids - set(author_ids), is_active=True))


def chapter_released(chapter: Chapter, *, now=None) -> list:
    """Followers hear of a new chapter of a public story (a scheduled one once its time comes,
    see `alert_scheduled_releases`)."""
    story = chapter.story
    if story.status != Status.PUBLISHED or chapter.status != Status.PUBLISHED:
        return []
    if chapter.release_at and chapter.release_at > (now or timezone.now()):
        return []
    return notify(
        _followers(story),
        kind="chapter",
        text=f"New chapter of {story.title}: {chapter.title}.",
        url=reverse("chapter", args=[story.pk, chapter.position]),
        story=story,
    )


def alert_scheduled_releases(*, now=None, within: timedelta = timedelta(days=2)) -> int:
    """Alerts for scheduled chapters whose time came (`chapter_add` skips them when they
    are added). Run by `fabula send-digests`; a chapter already announced is not announced again.
    Returns how many chapters were announced."""
    Notification = _models().Notification
    now = now or timezone.now()
    due = Chapter.objects.filter(
        status=Status.PUBLISHED,
        release_at__lte=now,
        release_at__gt=now - within,
        story__status=Status.PUBLISHED,
    ).select_related("story")
    announced = 0
    for chapter in due:
        url = reverse("chapter", args=[chapter.story_id, chapter.position])
        if Notification.objects.filter(kind="chapter", story_id=chapter.story_id, url=url).exists():
            continue
        if chapter_released(chapter, now=now):
            announced += 1
    return announced


def coauthor_invited(*, user: User, story: Story, inviter: User, url: str = "") -> None:
    """For the posting area: a member was invited to co-author a story."""
    notify(
        [user],
        kind="coauthor",
        text=f"{inviter.pen_name} invites you to co-author {story.title}.",
        url=url or reverse("story", args=[story.pk]),
        story=story,
        actor=inviter,
    )


# ---------------------------------------------------------------------------------------------
# Email


def _send(user: User, subject: str, template: str, context: dict) -> None:
    site = site_settings()
    context = {"site": site, "user": user, **context}
    text = render_to_string(f"community/email/{template}.txt", context)
    html = render_to_string(f"community/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=f"[{site.site_name}] {subject}", body=text, to=[user.email]
    )
    message.attach_alternative(html, "text/html")
    message.send()


def send_now(notification) -> None:
    """One notification by email (alerts 'immediate')."""
    if notification.emailed_at is not None:
        return
    _send(notification.user, notification.text, "notification", {"notification": notification})
    type(notification).objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def send_digests(*, now=None) -> int:
    """Email each 'daily' member the notifications waiting since their last digest, at most
    once a day. Returns how many emails left."""
    models = _models()
    now = now or timezone.now()
    waiting = (
        models.Notification.objects.filter(
            emailed_at__isnull=True, user__community_preferences__alerts="daily"
        )
        .select_related("user", "user__community_preferences")
        .order_by("user_id", "created_at")
    )
    by_user: dict[int, list] = {}
    for notification in waiting:
        by_user.setdefault(notification.user_id, []).append(notification)
    sent = 0
    for items in by_user.values():
        user = items[0].user
        prefs = user.community_preferences
        if prefs.last_digest_at and now - prefs.last_digest_at < timedelta(hours=23):
            continue
        if user.email:
            _send(
                user,
                f"{len(items)} new notification{'s' if len(items) != 1 else ''}",
                "digest",
                {"notifications": items},
            )
            sent += 1
        models.Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=now)
        models.MemberPreferences.objects.filter(pk=prefs.pk).update(last_digest_at=now)
    return sent
