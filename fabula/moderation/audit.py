"""The audit log: every staff action is written here, by the action that does it."""

from __future__ import annotations

from django.db import models

from fabula.moderation.models import AuditEntry


def record(*, actor, action: str, target: models.Model, reason: str = "") -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.model_name,
        target_id=target.pk,
        target_label=str(target)[:300],
        reason=reason,
    )
