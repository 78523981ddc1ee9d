"""The admin pages of reports, stories and chapters.

Stories and chapters are found here (search, filters) and decided on with the same actions as
the moderation pages (validate, hide, unhide, feature, delete), so counts, the audit log, the
authors' notifications and cached pages follow; their text is edited on the site, where the
author's form checks it.
"""

from django.contrib import admin, messages

from fabula.moderation import actions as moderation
from fabula.moderation.models import Report
from fabula.stories import actions
from fabula.stories.models import Chapter, Status, Story


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "state", "story", "chapter", "review", "reporter"]
    list_filter = ["state"]
    raw_id_fields = ["story", "chapter", "review", "reporter", "handled_by"]


class ReadOnlyFields:
    """Every field shown, none typed into: changes go through the admin actions."""

    left_out: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        fields = self.model._meta.fields  # type: ignore[attr-defined]
        return [field.name for field in fields if field.name not in self.left_out]

    def has_add_permission(self, request):
        return False  # stories and chapters are posted on the site


@admin.register(Story)
class StoryAdmin(ReadOnlyFields, admin.ModelAdmin):
    list_display = [
        "title",
        "status",
        "rating",
        "completed",
        "featured",
        "chapter_count",
        "word_count",
        "updated_at",
    ]
    list_filter = ["status", "rating", "completed", "featured", "language"]
    search_fields = ["title", "credits__user__pen_name", "summary"]
    list_select_related = ["rating"]
    date_hierarchy = "published_at"
    actions = ["validate", "hide", "unhide", "feature", "unfeature"]

    @admin.action(description="Validate the selected stories waiting in the queue")
    def validate(self, request, queryset):
        waiting = queryset.filter(status=Status.PENDING)
        for story in waiting:
            moderation.story_validate(story=story, by=request.user)
        self.message_user(request, f"{len(waiting)} validated.", messages.SUCCESS)

    @admin.action(description="Hide the selected stories")
    def hide(self, request, queryset):
        for story in queryset:
            moderation.story_hide(story=story, by=request.user, reason="From the admin.")

    @admin.action(description="Show the selected hidden stories again")
    def unhide(self, request, queryset):
        for story in queryset:
            moderation.story_unhide(story=story, by=request.user)

    @admin.action(description="Feature the selected stories on the home page")
    def feature(self, request, queryset):
        for story in queryset:
            actions.story_set_featured(story=story, featured=True, by=request.user)

    @admin.action(description="Stop featuring the selected stories")
    def unfeature(self, request, queryset):
        for story in queryset:
            actions.story_set_featured(story=story, featured=False, by=request.user)

    def delete_model(self, request, obj):
        actions.story_delete(story=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for story in queryset:
            actions.story_delete(story=story, by=request.user)


@admin.register(Chapter)
class ChapterAdmin(ReadOnlyFields, admin.ModelAdmin):
    list_display = ["title", "story", "position", "status", "word_count", "created_at"]
    list_filter = ["status"]
    search_fields = ["title", "story__title", "author__pen_name"]
    list_select_related = ["story"]
    exclude = ["body"]
    left_out = ("body",)  # read on the site    actions = ["hide", "unhide"]

    @admin.action(description="Hide the selected chapters")
    def hide(self, request, queryset):
        for chapter in queryset.select_related("story"):
            moderation.chapter_hide(chapter=chapter, by=request.user, reason="From the admin.")

    @admin.action(description="Show the selected hidden chapters again")
    def unhide(self, request, queryset):
        for chapter in queryset.select_related("story"):
            moderation.chapter_unhide(chapter=chapter, by=request.user)

    def delete_model(self, request, obj):
        actions.chapter_delete(chapter=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for chapter in queryset:
            actions.chapter_delete(chapter=chapter, by=request.user)
