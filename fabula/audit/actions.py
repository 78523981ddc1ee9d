"""The one write of the audit log: `audit_record`, called by the action that does the deed,
in its transaction (a refused or rolled-back action leaves no line)."""

from __future__ import annotations

from django.db import models

from fabula.audit.models import AuditEntry


def audit_record(*, by, action: str, target: models.Model, reason: str = "") -> AuditEntry:
    """`by` (a member, or None / a guest for the system) did `action` to `target`."""
    model_name = target._meta.model_name
    assert model_name is not None  # None only for an Options not yet attached to a model
    return AuditEntry.objects.create(
        actor=by if getattr(by, "pk", None) else None,
        action=action,
        target_type=model_name,
        target_id=target.pk,
        target_label=str(target)[:300],
        reason=reason,
    )
