"""What the benchmark asks for: each measured page, its addresses, and its cost in queries.

`serve.py` runs this inside Django, once per database, before it starts the server:

    DATABASE_URL=... .venv/bin/python bench/pages.py > pages.json

It prints one JSON document: for each page, the addresses to request (every story a guest can
read without a gate, so that the guest page cache sees a realistic spread and not one page over
and over), the status a sample of them answers, and the number of SQL queries one request costs
when the page is not in the cache, measured with Django's test client and
`CaptureQueriesContext`.
"""

from __future__ import annotations

import json
import math
import os
import random
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    min_rps: int
    max_p99_ms: float | None = None
    efiction: str = ""


# What a page must reach built cold (issue 18, item 1), on 2 cores, with wrk -t2 -c16: eFiction's
# own figure beside it (DESIGN.md §4, the same corpus, the same machine). With the guest page
# cache on, DESIGN.md §4 asks more of one address asked again and again (`--max-urls 1`).
PAGES = (
    Page("chapter", "chapter page", 2000, 25, "288 req/s, p99 78 ms"),
    Page("index", "story index", 2000, None, "310-337 req/s"),
    Page("full", "whole story", 1500, None, "310-337 req/s"),
    Page("print", "legacy printable", 1500, None, "310-337 req/s"),
    Page("legacy_index", "legacy story index", 2000, None, "310-337 req/s"),
    Page("category", "category page (25)", 1000, None, "48 req/s, p99 406 ms"),
    Page("tag", "character tag page", 1000, None, "48 req/s (category)"),
    # Not a target: the lightest page Fabula serves (no template, no query, the whole middleware
    # stack), which says how much of the others' cost is the server's and Django's own.
    Page("floor", "robots.txt (the floor)", 0, None, "-"),
)
SAMPLE = 12  # addresses per page whose status is checked


def guest_readable_stories():
    """Stories a guest reads straight away: listed, and behind no login, age or warning gate."""
    from django.contrib.auth.models import AnonymousUser

    from fabula.stories.permissions import listed_stories

    return listed_stories(AnonymousUser()).filter(
        rating__registered_only=False, rating__age_consent=False, rating__warning=False
    )


def page_urls(limit: int | None = None, seed: int = 1) -> dict[str, list[str]]:
    """Each page's addresses, shuffled (the same shuffle every time); at most `limit` each."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from fabula.conf.models import site_settings
    from fabula.stories.models import Chapter, Status
    from fabula.taxonomy.models import Tag, TagKind

    stories = guest_readable_stories()
    story_ids = list(stories.order_by("pk").values_list("pk", flat=True))
    chapters = Chapter.objects.filter(story__in=stories, status=Status.PUBLISHED).order_by(
        "story_id", "position"
    )
    prefix = site_settings().legacy_prefix.strip("/")
    legacy = f"/{prefix}/viewstory.php" if prefix else "/viewstory.php"
    # A category's list holds at least the stories tagged with it; a page of 25 exists for
    # every 25 of them (its sub-categories' stories only add pages).
    categories = Tag.objects.filter(kind__role=TagKind.Role.CATEGORY).annotate(
        listed=Count("stories", filter=Q(stories__in=stories), distinct=True)
    )
    characters = Tag.objects.filter(kind__role=TagKind.Role.CHARACTER).annotate(
        listed=Count("stories", filter=Q(stories__in=stories), distinct=True)
    )
    urls = {
        "chapter": [
            reverse("chapter", args=[story_id, chapter_id])  # chapters by id (issue 15 §6)
            for story_id, chapter_id in chapters.values_list("story_id", "pk")
        ],
        "index": [reverse("story", args=[story_id]) for story_id in story_ids],
        "full": [reverse("story-full", args=[story_id]) for story_id in story_ids],
        "print": [
            f"{legacy}?sid={story_id}&action=printable&textsize=0&chapter=all"
            for story_id in story_ids
        ],
        "legacy_index": [f"{legacy}?sid={story_id}&index=1" for story_id in story_ids],
        "category": _tag_pages(categories),
        "tag": _tag_pages(characters),
        "floor": [reverse("robots-txt")],
    }
    shuffle = random.Random(seed)
    for addresses in urls.values():
        shuffle.shuffle(addresses)
        del addresses[limit or len(addresses) :]
    return urls


def _tag_pages(tags) -> list[str]:
    """Every page of 25 cards of each of these tags."""
    from django.urls import reverse

    return [
        reverse("browse-tag", args=[tag.kind.slug, tag.pk]) + (f"?page={page}" if page > 1 else "")
        for tag in tags.select_related("kind").order_by("pk")
        for page in range(1, max(1, math.ceil(tag.listed / 25)) + 1)
    ]


def probe(urls: dict[str, list[str]]) -> dict[str, dict]:
    """For each page: statuses of a sample of its addresses, and the queries of one request.

    The query count is taken on the second address of the list, after a first request has
    warmed what every worker keeps (the site's settings, the class kinds), with the guest page
    cache switched off so the page is really built.
    """
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client()
    results = {}
    with override_settings(PAGE_CACHE_SECONDS=0):
        for key, addresses in urls.items():
            if not addresses:
                results[key] = {"statuses": {}, "queries": None}
                continue
            statuses: dict[str, int] = {}
            for address in addresses[:SAMPLE]:
                status = str(client.get(address).status_code)
                statuses[status] = statuses.get(status, 0) + 1
            measured = addresses[1 % len(addresses)]
            client.get(addresses[0])
            with CaptureQueriesContext(connection) as captured:
                response = client.get(measured)
            results[key] = {
                "statuses": statuses,
                "queries": len(captured) if response.status_code == 200 else None,
                "measured": measured,
                "bytes": len(response.content),
            }
    return results


def corpus_counts() -> dict[str, int]:
    from django.db.models import Sum

    from fabula.stories.models import Chapter, Story

    return {
        "stories": Story.objects.count(),
        "chapters": Chapter.objects.count(),
        "words": Story.objects.aggregate(w=Sum("word_count"))["w"] or 0,
        "guest_readable": guest_readable_stories().count(),
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabula.settings")
    import django

    django.setup()
    limit = int(os.environ.get("FABULA_BENCH_URL_LIMIT", "0")) or None
    urls = page_urls(limit)
    json.dump(
        {
            "corpus": corpus_counts(),
            "pages": [asdict(page) for page in PAGES],
            "urls": urls,
            "probe": probe(urls),
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
