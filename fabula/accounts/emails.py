"""Emails to members, sent as background jobs so a slow mail server never slows a page."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from fabula.accounts.models import User
from fabula.lib.jobs import enqueue, job


@job
def email_member(*, user_id: int, subject: str, body: str) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def notify(user, subject: str, body: str, *, alert: bool = True) -> None:
    """Email a member; `alert` emails respect the member's "email alerts" preference."""
    if not user.email or (alert and not user.email_alerts):
        return
    enqueue(email_member, user_id=user.pk, subject=subject, body=body)
