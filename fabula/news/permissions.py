"""Who sees which news and pages: everyone the published ones; staff (who write them in the
admin) their drafts too, so they can look before publishing."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from fabula.news.models import Page, Post


def is_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def visible_posts(user) -> QuerySet[Post]:
    posts = Post.objects.select_related("author")
    return posts if is_staff(user) else posts.published()


def visible_pages(user) -> QuerySet[Page]:
    return Page.objects.all() if is_staff(user) else Page.objects.filter(published=True)


def post_for(request, post_id: int) -> Post:
    post = visible_posts(request.user).filter(pk=post_id).first()
    if post is None:
        raise Http404("No such news post.")
    return post


def page_for(request, slug: str) -> Page:
    page = visible_pages(request.user).filter(slug=slug).first()
    if page is None:
        raise Http404("No such page.")
    return page


def can_comment(user, post: Post) -> bool:
    return bool(user.is_authenticated and post.is_published() and post.comments_open)
