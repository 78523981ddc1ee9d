"""`notify()`, the one way to tell members something, and the other writes on notifications.

Every alert writes one Notification per member concerned (never the member who caused it).
The email is a background job (`email-notification`, see `emails.py`): sent at once, or left
for the daily digest (`fabula send-digests`), or never, as the member's `User.alerts` says.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model
from django.utils import timezone

from fabula.accounts.models import User
from fabula.jobs.runner import enqueue
from fabula.notifications.models import Notification


def notify(
    users: Iterable[User],
    *,
    kind: str,
    text: str,
    url: str,
    story: Model | None = None,
    review: Model | None = None,
    actor: User | None = None,
    detail: str = "",
    email: bool = True,
    urgent: bool = False,
) -> list[Notification]:
    """Tell these members about something; skips the member who did it, inactive members and
    duplicates. `detail` is more text for the email only (a rejection's reason); `email=False`
    keeps it to the notifications page; `urgent` emails at once whatever the member chose (a
    story sent back: its authors must hear)."""
    seen: set[int] = set()
    made = []
    for user in users:
        if user.pk in seen or (actor is not None and user.pk == actor.pk) or not user.is_active:
            continue
        seen.add(user.pk)
        # By id: this app sits below stories and community, so it knows their models only by
        # label (the ForeignKeys name them as strings), and the type checker would want the class.
        notification = Notification.objects.create(
            user=user,
            kind=kind,
            text=text[:300],
            url=url,
            story_id=story.pk if story is not None else None,
            review_id=review.pk if review is not None else None,
        )
        made.append(notification)
        wants_now = urgent or user.alerts == User.Alerts.IMMEDIATE
        if email and user.email and wants_now:
            enqueue("email-notification", notification_id=notification.pk, detail=detail)
    return made


def notification_mark_all_read(*, user: User) -> int:
    """The member has seen all their notifications; returns how many were unread."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
