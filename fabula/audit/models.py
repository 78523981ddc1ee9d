"""The audit log: one row per staff action, whoever's code did it.

It sits below every app that writes it (stories, moderation, …), so an action anywhere can
record the staff member it acted for without importing the moderation pages' app.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """One staff action: who, what, on what, why. Never edited, never deleted by the site."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    target_type = models.CharField(max_length=20)
    target_id = models.PositiveBigIntegerField(null=True)
    target_label = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "moderation_auditentry"  # it began in the moderation app; the rows stay
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} {self.target_type} {self.target_id}"
