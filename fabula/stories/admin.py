"""The admin pages of series and challenges: find them (search, filters), open them on the site,
and edit or delete them through the same actions as the site's own pages. Stories and chapters
are in `moderation/admin.py`, beside the staff decisions they take."""

from django.contrib import admin

from fabula.stories import actions
from fabula.stories.models import Challenge, Series


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "openness", "created_at"]
    list_filter = ["openness"]
    search_fields = ["title", "owner__pen_name"]
    fields = ["title", "summary", "openness", "owner", "created_at"]
    readonly_fields = ["owner", "created_at"]
    list_select_related = ["owner"]

    def has_add_permission(self, request):
        return False  # a series belongs to a member, who makes it on the site

    def save_model(self, request, obj, form, change):
        actions.series_update(
            series=obj, title=obj.title, summary=obj.summary, openness=obj.openness
        )

    def delete_model(self, request, obj):
        actions.series_delete(series=obj)

    def delete_queryset(self, request, queryset):
        for series in queryset:
            actions.series_delete(series=series)


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "challenger", "created_at"]
    search_fields = ["title", "challenger", "owner__pen_name"]
    list_filter = ["created_at"]
    raw_id_fields = ["owner"]
    filter_horizontal = ["tags"]
    list_select_related = ["owner"]
