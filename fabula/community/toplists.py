"""eFiction's top lists and the site statistics, computed at most every few minutes.

Both are aggregates over whole tables, too dear to compute on each view, and nobody minds a
figure a few minutes old: the results (plain values, not model rows) sit in the cache for
TOPLIST_SECONDS. Top lists show what a guest may see.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_noop

from fabula.accounts.models import User
from fabula.community.models import Favourite, Review
from fabula.stories.models import Chapter, Series, SeriesEntry
from fabula.stories.permissions import listed_stories, signed

TOPLIST_SECONDS = 600
SIZE = 10

# Translated where shown (community/toplists.html).
TITLES = {
    "most-read": gettext_noop("Most read stories"),
    "most-reviewed": gettext_noop("Most reviewed stories"),
    "most-favourited": gettext_noop("Most favourited stories"),
    "most-kudos": gettext_noop("Stories with the most kudos"),
    "longest": gettext_noop("Longest stories"),
    "shortest": gettext_noop("Shortest stories"),
    "prolific-authors": gettext_noop("Most prolific authors"),
    "favourite-authors": gettext_noop("Most favourited authors"),
    "top-reviewers": gettext_noop("Most active reviewers"),
}
_STORY_ORDERS = {
    "most-read": "read_count",
    "most-reviewed": "review_count",
    "most-favourited": "favourite_count",
    "most-kudos": "kudos_count",
    "longest": "word_count",
}
# The lists of stories (the others list members).
STORY_LISTS = (*_STORY_ORDERS, "shortest")


def _story_rows(stories, field: str, *, descending: bool = True) -> list[dict]:
    order = (f"-{field}" if descending else field, "pk")
    return [
        {"id": pk, "name": title, "url": reverse("story", args=[pk]), "value": value}
        for pk, title, value in stories.order_by(*order).values_list("pk", "title", field)[:SIZE]
        if value or not descending
    ]


def _user_rows(users, field: str) -> list[dict]:
    return [
        {"id": pk, "name": pen_name, "url": reverse("author", args=[pk]), "value": value}
        for pk, pen_name, value in users.filter(**{f"{field}__gt": 0})
        .order_by(f"-{field}", "pen_name")
        .values_list("pk", "pen_name", field)[:SIZE]
    ]


def compute_lists() -> dict[str, list[dict]]:
    stories = listed_stories(AnonymousUser())
    lists = {name: _story_rows(stories, field) for name, field in _STORY_ORDERS.items()}
    lists["shortest"] = _story_rows(stories, "word_count", descending=False)
    lists["prolific-authors"] = _user_rows(
        User.objects.annotate(
            stories_count=Count(
                "credits",
                filter=Q(credits__story__in=signed(stories)),
                distinct=True,
            )
        ),
        "stories_count",
    )
    lists["favourite-authors"] = _favourite_authors()
    lists["top-reviewers"] = _user_rows(
        User.objects.annotate(
            review_total=Count(
                "reviews", filter=_readable_reviews(stories, "reviews__") & Q(reviews__hidden=False)
            )
        ),
        "review_total",
    )
    return {name: lists[name] for name in TITLES}


def _readable_reviews(stories, prefix: str = "") -> Q:
    """Reviews (not replies) a guest may read: of the listed stories, or of a series."""
    return Q(**{f"{prefix}parent__isnull": True}) & (
        Q(**{f"{prefix}story__in": stories})
        | Q(**{f"{prefix}story__isnull": True, f"{prefix}series__isnull": False})
    )


def _favourite_authors() -> list[dict]:
    counts = (
        Favourite.objects.filter(author__isnull=False, author__is_active=True)
        .values("author_id", "author__pen_name")
        .annotate(fans=Count("pk"))
        .order_by("-fans", "author__pen_name")[:SIZE]
    )
    return [
        {
            "id": row["author_id"],
            "name": row["author__pen_name"],
            "url": reverse("author", args=[row["author_id"]]),
            "value": row["fans"],
        }
        for row in counts
    ]


def all_lists() -> dict[str, list[dict]]:
    # The cache holds what compute_lists returned (rows with ids since ":2", for the API).
    return cast(
        dict[str, list[dict]],
        cache.get_or_set("fabula:toplists:2", compute_lists, TOPLIST_SECONDS),
    )


def compute_stats() -> dict[str, int | str]:  # counts, and the newest member's pen name
    stories = listed_stories(AnonymousUser())
    story_figures = stories.aggregate(count=Count("pk"), words=Sum("word_count"))
    return {
        "stories": story_figures["count"],
        "words": story_figures["words"] or 0,
        "chapters": Chapter.objects.released().filter(story__in=stories).count(),
        "series": Series.objects.filter(
            pk__in=SeriesEntry.objects.filter(confirmed=True, story__in=stories).values("series_id")
        ).count(),
        "authors": User.objects.filter(credits__story__in=stories).distinct().count(),
        "members": User.objects.filter(is_active=True).count(),
        "reviews": Review.objects.filter(_readable_reviews(stories), hidden=False)
        .exclude(body="")
        .count(),
        "reviewers": Review.objects.filter(_readable_reviews(stories), user__isnull=False)
        .values("user_id")
        .distinct()
        .count(),
        "newest_member": User.objects.filter(is_active=True)
        .order_by("-date_joined", "-pk")
        .values_list("pen_name", flat=True)
        .first()
        or "",
    }


def site_stats() -> dict[str, int | str]:
    # The cache holds what compute_stats returned.
    return cast(
        dict[str, int | str], cache.get_or_set("fabula:site-stats", compute_stats, TOPLIST_SECONDS)
    )
