from django.contrib import admin

from fabula.moderation.models import AuditEntry, Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "state", "story", "chapter", "review", "reporter"]
    list_filter = ["state"]
    raw_id_fields = ["story", "chapter", "review", "reporter", "handled_by"]


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
