"""Reads of news shaped for pages, each a fixed number of queries."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet

from fabula.news.actions import FOOTER_PAGES_KEY
from fabula.news.models import Comment, Page, Post

HOME_NEWS = 3


def with_comment_counts(posts: QuerySet[Post]) -> QuerySet[Post]:
    """Newest first (drafts, for staff, before all), each with its shown comments counted.
    The order is given here: a query with a count ignores the model's default order."""
    return posts.annotate(
        comment_count=Count("comments", filter=Q(comments__hidden=False))
    ).order_by(F("published_at").desc(nulls_first=True), "-pk")


def latest_posts(limit: int = HOME_NEWS) -> list[Post]:
    """The newest published posts, for the home page (what every guest sees: no drafts)."""
    return list(with_comment_counts(Post.objects.published().select_related("author"))[:limit])


def shown_comments(post: Post) -> QuerySet[Comment]:
    return post.comments.filter(hidden=False).select_related("user")


def footer_pages() -> list[tuple[str, str]]:
    """(title, address) of the published pages the footer links, from the cache when it can:
    the footer is on every page."""
    pages = cache.get(FOOTER_PAGES_KEY)
    if pages is None:
        pages = [
            (page.title, page.get_absolute_url())
            for page in Page.objects.filter(published=True, in_footer=True)
        ]
        cache.set(FOOTER_PAGES_KEY, pages, None)
    return pages
