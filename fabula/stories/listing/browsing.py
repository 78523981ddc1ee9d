"""The queries behind the browse pages: tags, ratings, authors and series, with story counts.

Every count here counts only the stories the reader may see (`permissions.listed_stories`),
so a draft or a members-only story never shows through a number. Each function costs a fixed
number of queries, whatever the size of the archive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Lower

from fabula.accounts.models import User
from fabula.lib.numbers import LARGEST_ID
from fabula.lib.pagecache import kept_for_generation
from fabula.stories.listing.cards import Card
from fabula.stories.listing.counts import counted_once
from fabula.stories.models import Challenge, Series, SeriesEntry, Story, StoryTag
from fabula.stories.permissions import Viewer, signed, viewable_stories
from fabula.taxonomy.models import Rating, Tag, TagKind
from fabula.taxonomy.selectors import tag_meaning, tags_below

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


def listed_filings(listed: QuerySet[Story]) -> QuerySet[StoryTag]:
    """Filings of the stories in `listed`. Each filing asks whether its story is listed
    (EXISTS on the story's key) rather than `story_id IN (listed)`: SQLite built that list by
    reading every story of the archive, 4.4 ms a tag page on the 5,000-story corpus where a
    category's hundred filings, found by the tag's index and checked one by one, take 0.13 ms
    (PostgreSQL plans both forms alike; docs/decisions.md)."""
    return StoryTag.objects.filter(Exists(listed.filter(pk=OuterRef("story_id"))))


# Up to this many tags (a tag's page: the tag and its sub-tags), every count is a column of one
# query; a bigger tree is read as filings (a column per tag reads every filing once a column:
# the 48 categories of the benchmark corpus took twice as long so, docs/decisions.md).
ONE_QUERY_TAGS = 10


def _counted(roots: list[TagNode], filings: QuerySet[StoryTag], viewer: Viewer | None) -> None:
    """Count each node's stories: those filed under it, one of its synonyms or anything below
    it; a story filed twice counts once (a filing counts for its canonical tag). What a guest
    sees counted is kept until the content changes (`listing.counts`).

    A branch of a few tags is counted in the database, one query with a COUNT(DISTINCT story)
    over each tag's sub-tree. A kind's tree without sub-tags (characters, classes) is one GROUP
    BY of the canonical tags; a kind's tree with sub-tags reads its filings (story and canonical
    tag, each pair once) and makes the unions here, one query too.
    """
    subtrees: dict[int, set[int]] = {}  # each tag's canonical ids: itself and all below it

    def walk(node: TagNode) -> set[int]:
        ids = {node.tag.pk}
        for child in node.children:
            ids |= walk(child)
        subtrees[node.tag.pk] = ids
        return ids

    for root in roots:
        walk(root)
    counts = counted_once(viewer, filings, "tags", lambda: _counts(subtrees, filings))

    def store(node: TagNode) -> None:
        node.count = counts.get(node.tag.pk, 0)
        for child in node.children:
            store(child)

    for root in roots:
        store(root)


def _counts(subtrees: dict[int, set[int]], filings: QuerySet[StoryTag]) -> dict[int, int]:
    """How many stories each tag's sub-tree holds (see `_counted`)."""
    filings = filings.order_by().annotate(canonical=Coalesce("tag__synonym_of_id", "tag_id"))
    counts: dict[int, int] = {}
    if len(subtrees) <= ONE_QUERY_TAGS:
        counted = filings.aggregate(
            **{
                f"n{pk}": Count("story_id", distinct=True, filter=Q(canonical__in=list(ids)))
                for pk, ids in subtrees.items()
            }
        )
        counts.update((int(name[1:]), n) for name, n in counted.items())
    elif all(len(ids) == 1 for ids in subtrees.values()):
        counts.update(filings.values_list("canonical").annotate(n=Count("story_id", distinct=True)))
    else:
        stories: dict[int, set[int]] = {}
        for canonical, story_id in filings.values_list("canonical", "story_id").distinct():
            stories.setdefault(canonical, set()).add(story_id)
        for pk, ids in subtrees.items():
            counts[pk] = len(set().union(*(stories.get(each, ()) for each in ids)))
    return counts


def _tree(tags: list[Tag], root_ids: set[int] | None = None) -> list[TagNode]:
    """Canonical tags as trees: a tag whose parent is not among them (or is of another kind)
    is a root, unless `root_ids` names the roots."""
    nodes = {tag.pk: TagNode(tag) for tag in tags}
    roots: list[TagNode] = []
    for tag in tags:
        parent = nodes.get(tag.parent_id) if tag.parent_id is not None else None
        if parent is not None and parent.tag.kind_id != tag.kind_id:
            parent = None
        if root_ids is None and parent is None or root_ids is not None and tag.pk in root_ids:
            roots.append(nodes[tag.pk])
        elif parent is not None:
            parent.children.append(nodes[tag.pk])
    return roots


def tag_tree(kind: TagKind, listed: QuerySet[Story], viewer: Viewer | None = None) -> list[TagNode]:
    """The kind's canonical tags as a tree (roots first, in their order), each counting the
    stories of `listed` that count as it (`taxonomy.selectors.tag_meanings`: its synonyms and
    sub-tags). Two queries; the counts are kept when `viewer`, whose list it is, is a guest."""
    roots = _tree(list(kind.tags.filter(synonym_of__isnull=True)))
    _counted(roots, listed_filings(listed).filter(tag__kind=kind), viewer)
    return roots


# A tag's place is kept this long at most; a change of any tag retires it before (the
# generation moves).
PLACE_SECONDS = 3600


@dataclass
class TagPlace:
    """A tag and where it stands in the trees: what its page shows around its list, the same
    for every reader. Kept under the content generation (`tag_place`)."""

    tag: Tag  # with its kind, its parent and its canonical tag, each with its kind
    below: list[Tag]  # a canonical tag's synonyms and sub-tags (`taxonomy.selectors.tags_below`)
    ancestors: list[Tag]  # its parents of its own kind, the root first


def tag_place(tag_id: int) -> TagPlace | None:
    """The tag by id and its place in the trees, or None. Every page, order and filter of a
    tag's list shows the same tag and branch, so they are read once and kept under the content
    generation, as a guest's counts are (`listing.counts`): every change of a tag (its name,
    kind, parent or synonyms, through the wrangling actions or the admin) moves it. A query a
    level of the tree below the tag and above its parent, when not kept."""
    if not 0 < tag_id <= LARGEST_ID:
        return None
    return kept_for_generation(f"tag-place:{tag_id}", lambda: _read_place(tag_id), PLACE_SECONDS)


def _read_place(tag_id: int) -> TagPlace | None:
    tag = (
        Tag.objects.select_related("kind", "parent__kind", "synonym_of__kind")
        .filter(pk=tag_id)
        .first()
    )
    if tag is None:
        return None
    if tag.synonym_of_id is not None:  # its page sends the reader to its canonical tag
        return TagPlace(tag, [], [])
    ancestors: list[Tag] = []
    parent, seen = tag.parent, {tag.pk}
    while parent is not None and parent.kind_id == tag.kind_id and parent.pk not in seen:
        ancestors.insert(0, parent)
        seen.add(parent.pk)
        parent = Tag.objects.filter(pk=parent.parent_id).first() if parent.parent_id else None
    return TagPlace(tag, tags_below(tag), ancestors)


@dataclass
class TagBranch:
    """A canonical tag's place in the trees, counted, for its page."""

    ancestors: list[Tag]  # its parents of its own kind, the root first
    node: TagNode  # the tag, counted, with its sub-tags below it
    synonyms: list[Tag]
    other_children: list[Tag]  # its children of other kinds (a fandom's characters)
    meaning: set[int]  # the ids of every tag counting as it (`taxonomy.selectors`)


def tag_branch(place: TagPlace, listed: QuerySet[Story], viewer: Viewer | None = None) -> TagBranch:
    """The branch of a canonical tag (`tag_place`), counted as in `tag_tree`: one query, none
    when a guest's counts are kept."""
    tag, below = place.tag, place.below
    own_kind = [t for t in below if t.kind_id == tag.kind_id]
    meaning = {tag.pk, *(t.pk for t in own_kind)}
    (node,) = _tree([tag, *(t for t in own_kind if t.synonym_of_id is None)], root_ids={tag.pk})
    _counted([node], listed_filings(listed).filter(tag_id__in=meaning), viewer)
    return TagBranch(
        place.ancestors,
        node,
        synonyms=sorted((t for t in below if t.synonym_of_id == tag.pk), key=lambda t: t.name),
        other_children=sorted(
            (t for t in below if t.kind_id != tag.kind_id and t.synonym_of_id is None),
            key=lambda t: (t.kind.order, t.kind.slug, t.name),
        ),
        meaning=meaning,
    )


def tags_with_counts(
    kind: TagKind, listed: QuerySet[Story], viewer: Viewer | None = None
) -> list[TagNode]:
    """The kind's canonical tags in their order, each with its count as in `tag_tree` (its
    synonyms and sub-tags included)."""

    def walk(nodes: list[TagNode]) -> list[TagNode]:
        return [each for node in nodes for each in (node, *walk(node.children))]

    return sorted(
        walk(tag_tree(kind, listed, viewer)), key=lambda node: (node.tag.order, node.tag.name)
    )


def stories_tagged(
    listed: QuerySet[Story], tag_id: int, meaning: set[int] | None = None
) -> QuerySet[Story]:
    """Stories filed under the tag or anything that counts as it (its synonyms, its sub-tags:
    `taxonomy.selectors.tag_meaning`, unless the caller has it). A subquery rather than a
    join, so no story repeats."""
    if meaning is None:
        meaning = tag_meaning(tag_id)
    return listed.filter(pk__in=StoryTag.objects.filter(tag_id__in=meaning).values("story_id"))


def ratings_with_counts(listed: QuerySet[Story]) -> QuerySet[WithAnnotations[Rating, StoryCount]]:
    # In the ratings' order: a GROUP BY query leaves out Meta.ordering, and PostgreSQL then
    # answered in any order (the guest leak test saw the ratings page change between two asks).
    return Rating.objects.annotate(
        story_count=Count("stories", filter=Q(stories__in=listed.values("pk")))
    ).order_by("order", "pk")


def authors_with_counts(listed: QuerySet[Story]) -> QuerySet[WithAnnotations[User, StoryCount]]:
    """Members credited on at least one story the reader may see, by pen name (a story signed
    "Anonymous" counts for nobody: `permissions.credited_stories`)."""
    signed_stories = signed(listed)
    return (
        User.objects.annotate(
            story_count=Count("credits", filter=Q(credits__story__in=signed_stories.values("pk")))
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
