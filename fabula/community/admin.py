"""Staff tools for community data: mostly read-only; hiding a review is the common edit.
(Counts on stories follow the reviews through `actions.recount_reviews`.)"""

from django.contrib import admin

from fabula.community import actions
from fabula.community.models import Review
from fabula.stories.models import Block


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("pk", "name", "story", "chapter", "rating", "by_author", "hidden", "created_at")
    list_filter = ("hidden", "by_author")
    search_fields = ("name", "body")
    raw_id_fields = ("story", "chapter", "series", "parent", "user")
    fields = ("hidden",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        actions.recount_reviews(story=obj.story, chapter=obj.chapter)


admin.site.register(Block, raw_id_fields=("user", "story", "tag", "author"))
