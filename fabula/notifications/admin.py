"""Staff see the notifications members were sent (read-only in practice)."""

from django.contrib import admin

from fabula.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "text", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    raw_id_fields = ("user", "story", "review")
