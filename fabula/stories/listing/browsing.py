"""The queries behind the browse pages: tags, ratings, authors and series, with story counts.

Every count here counts only the stories the reader may see (`permissions.listed_stories`),
so a draft or a members-only story never shows through a number. Each function costs a fixed
number of queries, whatever the size of the archive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from fabula.accounts.models import User
from fabula.stories.listing.cards import Card
from fabula.stories.models import Challenge, Series, SeriesEntry, Story, StoryTag
from fabula.stories.permissions import Viewer, viewable_stories
from fabula.taxonomy.models import Rating, Tag, TagKind

if TYPE_CHECKING:  # django-stubs-ext is a development dependency (the types only)
    from django_stubs_ext import WithAnnotations


class StoryCount(TypedDict):
    """What the `*_with_counts` querysets annotate: so `story_count` type-checks, in a
    filter as on a row."""

    story_count: int


@dataclass
class TagNode:
    """A tag in a tree, with the number of stories filed under it or anything below it."""

    tag: Tag
    count: int = 0
    children: list[TagNode] = field(default_factory=list)


def tag_tree(
    kind: TagKind, listed: QuerySet[Story], *, counted_under: int | None = None
) -> list[TagNode]:
    """The kind's tags as a tree (roots first, in their order). A story filed under a parent
    and one of its children counts once for the parent. Two queries.

    With `counted_under`, only that tag and the tags below it are counted (the others say 0):
    a category's page shows its sub-categories' counts, and reading the filing of every story
    in the archive for them would cost more than the rest of the page.
    """
    tags = list(kind.tags.filter(synonym_of__isnull=True))
    nodes = {tag.pk: TagNode(tag) for tag in tags}
    roots: list[TagNode] = []
    for tag in tags:
        parent = nodes.get(tag.parent_id) if tag.parent_id is not None else None
        (parent.children if parent else roots).append(nodes[tag.pk])
    filings = StoryTag.objects.filter(story__in=listed.values("pk"))
    if counted_under is None:
        filings = filings.filter(tag__kind=kind)
    else:
        below = nodes.get(counted_under)
        filings = filings.filter(tag_id__in=subtree_ids(below) if below else [])
    stories_by_tag: dict[int, set[int]] = {}
    for tag_id, story_id in filings.values_list("tag_id", "story_id"):
        stories_by_tag.setdefault(tag_id, set()).add(story_id)

    def count(node: TagNode) -> set[int]:
        stories = set(stories_by_tag.get(node.tag.pk, ()))
        for child in node.children:
            stories |= count(child)
        node.count = len(stories)
        return stories

    for root in roots:
        count(root)
    return roots


def path_to(nodes: list[TagNode], tag_id: int) -> list[TagNode]:
    """The nodes from a root down to the tag's own node; empty if the tag is not in the tree."""
    for node in nodes:
        if node.tag.pk == tag_id:
            return [node]
        below = path_to(node.children, tag_id)
        if below:
            return [node, *below]
    return []


def subtree_ids(node: TagNode) -> list[int]:
    return [node.tag.pk, *(pk for child in node.children for pk in subtree_ids(child))]


def tags_with_counts(
    kind: TagKind, listed: QuerySet[Story]
) -> QuerySet[WithAnnotations[Tag, StoryCount]]:
    """The kind's tags (synonyms left out), each with `story_count`. One query."""
    return kind.tags.filter(synonym_of__isnull=True).annotate(
        story_count=Count("story_tags", filter=Q(story_tags__story__in=listed.values("pk")))
    )


def stories_tagged(listed: QuerySet[Story], tag_ids: list[int]) -> QuerySet[Story]:
    """Stories carrying any of the tags. A subquery rather than a join, so no story repeats."""
    return listed.filter(pk__in=StoryTag.objects.filter(tag_id__in=tag_ids).values("story_id"))


def ratings_with_counts(listed: QuerySet[Story]) -> QuerySet[WithAnnotations[Rating, StoryCount]]:
    return Rating.objects.annotate(
        story_count=Count("stories", filter=Q(stories__in=listed.values("pk")))
    )


def authors_with_counts(listed: QuerySet[Story]) -> QuerySet[WithAnnotations[User, StoryCount]]:
    """Members credited on at least one story the reader may see, by pen name."""
    return (
        User.objects.annotate(
            story_count=Count("credits", filter=Q(credits__story__in=listed.values("pk")))
        )
        .filter(story_count__gt=0)
        .order_by(Lower("pen_name"), "pk")
    )


def series_with_counts(listed: QuerySet[Story]) -> QuerySet[WithAnnotations[Series, StoryCount]]:
    return (
        Series.objects.select_related("owner")
        .annotate(
            story_count=Count(
                "entries",
                filter=Q(entries__confirmed=True, entries__story__in=listed.values("pk")),
            )
        )
        .order_by(Lower("title"), "pk")
    )


def challenges_with_counts(
    listed: QuerySet[Story],
) -> QuerySet[WithAnnotations[Challenge, StoryCount]]:
    """Every challenge by title, with how many of the stories the reader may see answer it."""
    return (
        Challenge.objects.select_related("owner")
        .prefetch_related("tags")
        .annotate(story_count=Count("responses", filter=Q(responses__in=listed.values("pk"))))
        .order_by(Lower("title"), "pk")
    )


@dataclass
class SeriesItem:
    """One place in a series as shown: a story or a sub-series."""

    position: int
    story: Story | None = None
    subseries: Series | None = None
    card: Card | None = None  # the story's card, once the page has made them


def series_items(series: Series, user: Viewer) -> list[SeriesItem]:
    """The series' confirmed entries in order, leaving out stories this reader may not see.

    Four queries: the entries (with sub-series), the stories, their authors, their tags.
    """
    entries = list(
        SeriesEntry.objects.filter(series=series, confirmed=True)
        .select_related("subseries__owner")
        .order_by("position", "pk")
    )
    story_ids = [entry.story_id for entry in entries if entry.story_id]
    stories = (
        {
            story.pk: story
            for story in viewable_stories(user).filter(pk__in=story_ids).select_related("rating")
        }
        if story_ids
        else {}
    )
    items = []
    for entry in entries:
        if entry.subseries_id:
            items.append(SeriesItem(entry.position, subseries=entry.subseries))
        elif entry.story_id in stories:
            items.append(SeriesItem(entry.position, story=stories[entry.story_id]))
    return items
