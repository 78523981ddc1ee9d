"""The admin pages of ratings, tag kinds and tags. A tag saved here gets its eFiction-style
number from the same action as anywhere else (`actions.tag_number`), and names the tags whose
meaning it changed, as the wrangling actions do, so the search index follows (the wranglers'
own pages, with their checks and audit log, are at /wrangling/)."""

from django.contrib import admin

from fabula.lib.changes import changed
from fabula.taxonomy.actions import tag_number, tags_delete
from fabula.taxonomy.models import Rating, Tag, TagKind
from fabula.taxonomy.selectors import tag_meanings


class _ShownEverywhere(admin.ModelAdmin):
    """Kinds and ratings are named on every story's page and card: an edit retires the kept
    pages and story headers (`lib.changes.changed`)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        changed()


@admin.register(TagKind)
class TagKindAdmin(_ShownEverywhere):
    list_display = ["name", "slug", "role", "multiple", "required", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "locked", "order", "legacy_id"]
    list_filter = ["kind", "wrangled", "locked"]
    search_fields = ["name"]
    raw_id_fields = ["parent", "synonym_of"]

    def save_model(self, request, obj, form, change):
        tag_number(tag=obj)
        before = tag_meanings([obj.pk]) if obj.pk else {}  # as the database still has it
        super().save_model(request, obj, form, change)
        after = tag_meanings([obj.pk])
        changed(tags=set().union(*before.values(), *after.values()))

    def delete_model(self, request, obj):
        tags_delete(tags=[obj])

    def delete_queryset(self, request, queryset):
        tags_delete(tags=queryset)


@admin.register(Rating)
class RatingAdmin(_ShownEverywhere):
    list_display = ["name", "order", "registered_only", "age_consent", "warning"]
