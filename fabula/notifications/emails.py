"""Notification emails, as background jobs (registered in `apps.py`): one notification at once,
or a member's daily digest. Both render a text and an HTML template and mark what they sent,
so a job run twice sends nothing twice."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from fabula.accounts.models import User
from fabula.conf.models import site_settings
from fabula.jobs.runner import enqueue
from fabula.notifications.models import Notification

DIGEST_EVERY = timedelta(hours=23)  # "one email a day at most", whatever time cron runs


def _send(user: User, subject: str, template: str, context: dict) -> None:
    site = site_settings()
    context = {"site_settings": site, "user": user, **context}
    # A job has no request: the email speaks the member's chosen language, else the site's.
    with translation.override(user.language or settings.LANGUAGE_CODE):
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=f"[{site.site_name}] {subject}", body=text, to=[user.email]
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _digest_subject(user: User, count: int) -> str:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        return ngettext("%(count)d new notification", "%(count)d new notifications", count) % {
            "count": count
        }


def send_notification(*, notification_id: int, detail: str = "") -> None:
    """The job `email-notification`: one notification by email."""
    notification = (
        Notification.objects.select_related("user")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.user.email:
        return
    _send(
        notification.user,
        notification.text,
        "notification",
        {"notification": notification, "detail": detail},
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def send_digest(*, user_id: int, notification_ids: list[int]) -> None:
    """The job `email-digest`: these notifications of one member, in one email (those already
    emailed are left out)."""
    items = list(
        Notification.objects.filter(
            user_id=user_id, pk__in=notification_ids, emailed_at__isnull=True
        )
        .select_related("user")
        .order_by("created_at", "pk")
    )
    if not items:
        return
    user = items[0].user
    if user.email:
        _send(
            user,
            _digest_subject(user, len(items)),
            "digest",
            {"notifications": items},
        )
    Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=timezone.now())


def send_digests(*, now=None) -> int:
    """Queue a digest for each 'daily' member with notifications waiting, at most one a day (a
    member's last digest is their latest emailed notification). Returns how many were queued."""
    now = now or timezone.now()
    waiting = (
        Notification.objects.filter(
            emailed_at__isnull=True, user__alerts=User.Alerts.DAILY, user__is_active=True
        )
        .exclude(user__email="")
        .order_by("user_id", "created_at", "pk")
    )
    by_user: dict[int, list[int]] = {}
    for user_id, pk in waiting.values_list("user_id", "pk"):
        by_user.setdefault(user_id, []).append(pk)
    last_emailed = dict(
        Notification.objects.filter(user_id__in=by_user, emailed_at__isnull=False)
        .values("user_id")
        .annotate(last=Max("emailed_at"))
        .values_list("user_id", "last")
    )
    queued = 0
    for user_id, ids in by_user.items():
        last = last_emailed.get(user_id)
        if last and now - last < DIGEST_EVERY:
            continue
        enqueue("email-digest", user_id=user_id, notification_ids=ids)
        queued += 1
    return queued
