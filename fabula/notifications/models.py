"""Notifications: one row per thing a member should hear about, shown on their notifications
page and, as they chose, emailed (`fabula.notifications.emails`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Something a member should hear about: a new chapter, a review, a reply, an invitation,
    their story validated or sent back.

    `story` and `review` name models of apps above this one by their labels (no import): the
    row goes when they go.
    """

    class Kind(models.TextChoices):
        CHAPTER = "chapter", _("New chapter")
        REVIEW = "review", _("New review")
        REPLY = "reply", _("Reply to a review")
        COAUTHOR = "coauthor", _("Co-author invitation")
        VALIDATED = "validated", _("Story validated")
        REJECTED = "rejected", _("Story sent back")
        GIFT = "gift", _("A story given to you")
        RELATED = "related", _("A work related to yours")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(
        max_length=300, help_text=_("One plain line shown on the page and in emails.")
    )
    url = models.CharField(
        max_length=300, help_text=_("Where the notification leads, a path on this site.")
    )
    story = models.ForeignKey(
        "stories.Story", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    review = models.ForeignKey(
        "community.Review", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "community_notification"  # created by the community app; kept with its rows
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="community_n_user_id_6c2efb_idx"),
            models.Index(fields=["emailed_at", "user"], name="community_n_emailed_d4021b_idx"),
        ]

    def __str__(self) -> str:
        return self.text
