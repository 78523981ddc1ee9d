from django.contrib import admin

from fabula.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the actions, never edited."""

    list_display = ["created_at", "actor", "action", "target_type", "target_id", "target_label"]
    list_filter = ["action", "target_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
