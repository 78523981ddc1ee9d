"""The admin pages of ratings, tag kinds and tags. A tag saved here gets its eFiction-style
number from the same action as anywhere else (`actions.tag_number`)."""

from django.contrib import admin

from fabula.taxonomy.actions import tag_number
from fabula.taxonomy.models import Rating, Tag, TagKind


@admin.register(TagKind)
class TagKindAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "role", "multiple", "required", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "locked", "order", "legacy_id"]
    list_filter = ["kind", "locked"]
    search_fields = ["name"]
    raw_id_fields = ["parent", "synonym_of"]

    def save_model(self, request, obj, form, change):
        tag_number(tag=obj)
        super().save_model(request, obj, form, change)


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "registered_only", "age_consent", "warning"]
