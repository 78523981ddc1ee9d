"""App passwords in the admin: staff may see who has which and revoke them (never the secret)."""

from django.contrib import admin

from fabula.formats.models import AppPassword


@admin.register(AppPassword)
class AppPasswordAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created_at", "last_used_at")
    search_fields = ("user__pen_name", "name")
    readonly_fields = ("user", "name", "lookup", "password", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False  # members make their own, and see the secret once
