from django.contrib import admin

from fabula.moderation.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "state", "story", "chapter", "review", "reporter"]
    list_filter = ["state"]
    raw_id_fields = ["story", "chapter", "review", "reporter", "handled_by"]
