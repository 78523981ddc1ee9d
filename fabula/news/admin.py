"""Staff write news and pages here; saving and deleting go through `actions` (cleaned HTML,
the audit log, the page cache retired), as every write does."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin

from fabula.news import actions
from fabula.news.models import Comment, Page, Post


class WrittenByActions(admin.ModelAdmin):
    """An admin whose form's `fields` are handed to the app's save action (`write`)."""

    def write(self, existing: Any, **values: Any) -> Any:
        raise NotImplementedError

    def erase(self, row: Any, by: Any) -> None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        values = {name: getattr(obj, name) for name in cast(tuple[str, ...], self.fields)}
        obj.pk = self.write(obj if change else None, by=request.user, **values).pk

    def delete_model(self, request, obj):
        self.erase(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for row in queryset:
            self.erase(row, by=request.user)


@admin.register(Post)
class PostAdmin(WrittenByActions):
    list_display = ("title", "published_at", "author", "comments_open")
    list_filter = ("comments_open",)
    search_fields = ("title", "body")
    date_hierarchy = "created_at"
    fields = ("title", "body", "published_at", "comments_open")

    def write(self, existing, **values):
        return actions.post_save(post=existing, **values)

    def erase(self, row, by):
        actions.post_delete(post=row, by=by)


@admin.register(Page)
class PageAdmin(WrittenByActions):
    list_display = ("title", "slug", "published", "in_footer", "position")
    list_filter = ("published", "in_footer")
    search_fields = ("title", "slug", "body")
    fields = ("title", "slug", "body", "published", "in_footer", "position")

    def write(self, existing, **values):
        return actions.page_save(page=existing, **values)

    def erase(self, row, by):
        actions.page_delete(page=row, by=by)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("pk", "post", "user", "hidden", "created_at")
    list_filter = ("hidden",)
    search_fields = ("body", "user__pen_name")
    raw_id_fields = ("post", "user")
    fields = ("hidden",)

    def has_add_permission(self, request):
        return False  # members write comments under the posts

    def save_model(self, request, obj, form, change):
        actions.comment_hide(comment=obj, hidden=obj.hidden, by=request.user)
