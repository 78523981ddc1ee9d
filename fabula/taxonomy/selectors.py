"""What a tag means: the one rule every list, count, feed and search follows.

A tag asked for stands for its canonical tag (a synonym means the tag it is a synonym of), and
the canonical tag stands for itself, its synonyms and its sub-tags: the children of its own
kind, all the way down, with their synonyms (a sub-category under its category, as eFiction
had; a sub-tag under its tag, as AO3's meta-tags). A child of another kind (a character under
its fandom) is where that tag is shown, not a part of the parent: filtering by a fandom does
not mean every story naming one of its characters.

`tag_meanings` reads it downwards (a filter, a tag page and its counts: which tags count as
this one); `tags_counted_under` reads it upwards (the search index: which tags a story's tag
counts as), so `tag:` finds exactly the stories the filter finds. Both read a level of the tree
per query, only from the tags asked for: an archive's free-form tags may run to hundreds of
thousands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Lower

from fabula.lib.db import id_list
from fabula.taxonomy.models import Tag


def canonical_ids(tag_ids: Iterable[int]) -> dict[int, int]:
    """Each existing tag's canonical tag (itself unless it is a synonym). One query."""
    return {
        pk: synonym_of or pk
        for pk, synonym_of in Tag.objects.filter(pk__in=id_list(tag_ids)).values_list(
            "pk", "synonym_of_id"
        )
    }


def tag_meanings(tag_ids: list[int]) -> dict[int, set[int]]:
    """For each tag asked for: the ids of every tag that counts as it (empty for no such tag)."""
    if not tag_ids:
        return {}
    canonical = canonical_ids(tag_ids)
    found = {tag_id: {canonical[tag_id]} if tag_id in canonical else set() for tag_id in tag_ids}
    # Each node reached, with the asked tags it counts for; a level's synonyms and children next.
    frontier: dict[int, set[int]] = defaultdict(set)
    for tag_id, start in canonical.items():
        frontier[start].add(tag_id)
    walked = set(canonical.items())  # a loop in the tree ends
    while frontier:
        below: dict[int, set[int]] = defaultdict(set)
        for pk, parent_id, synonym_of_id in Tag.objects.filter(
            Q(synonym_of_id__in=list(frontier))
            | Q(parent_id__in=list(frontier), kind_id=F("parent__kind_id"))
        ).values_list("pk", "parent_id", "synonym_of_id"):
            if synonym_of_id in frontier:  # a synonym counts, but its children are not looked for
                for tag_id in frontier[synonym_of_id]:
                    found[tag_id].add(pk)
            elif parent_id in frontier:
                for tag_id in frontier[parent_id]:
                    found[tag_id].add(pk)
                    if (tag_id, pk) not in walked:
                        walked.add((tag_id, pk))
                        below[pk].add(tag_id)
        frontier = below
    return found


def tag_meaning(tag_id: int) -> set[int]:
    """The ids of every tag that counts as this one."""
    return tag_meanings([tag_id])[tag_id]


def tags_counted_under(tag_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each tag: every tag it counts as (the reverse of `tag_meanings`): its canonical tag,
    that tag's parents of the same kind up to the root, and the synonyms of all of them."""
    canonical = canonical_ids(tag_ids)
    up: dict[int, set[int]] = {start: {start} for start in canonical.values()}
    # Walk up a level per query; `reached` keeps each start's highest tags reached so far.
    reached = {start: {start} for start in up}
    while reached:
        parents = {
            pk: parent_id
            for pk, parent_id in Tag.objects.filter(
                pk__in=id_list({pk for tops in reached.values() for pk in tops}),
                parent__isnull=False,
                kind_id=F("parent__kind_id"),
            ).values_list("pk", "parent_id")
        }
        next_reached = {}
        for start, tops in reached.items():
            higher = {parents[pk] for pk in tops if pk in parents} - up[start]
            if higher:
                up[start] |= higher
                next_reached[start] = higher
        reached = next_reached
    synonyms: dict[int, set[int]] = defaultdict(set)
    every = {pk for tags in up.values() for pk in tags}
    for pk, synonym_of_id in Tag.objects.filter(synonym_of_id__in=id_list(every)).values_list(
        "pk", "synonym_of_id"
    ):
        synonyms[synonym_of_id].add(pk)
    return {
        tag_id: up[start] | {pk for tag in up[start] for pk in synonyms[tag]}
        for tag_id, start in canonical.items()
    }


def tags_below(tag: Tag) -> list[Tag]:
    """A canonical tag's synonyms and the tags under it (its kind's all the way down, with their
    synonyms; another kind's, such as a fandom's characters, one level), with their kinds: what
    its page shows. A query per level of its own kind's tree below it."""
    found: list[Tag] = []
    frontier, seen = {tag.pk}, {tag.pk}
    while frontier:
        level = list(
            Tag.objects.filter(Q(synonym_of_id__in=frontier) | Q(parent_id__in=frontier))
            .exclude(pk__in=seen)
            .select_related("kind")
        )
        found += level
        seen |= {each.pk for each in level}
        frontier = {
            each.pk for each in level if each.synonym_of_id is None and each.kind_id == tag.kind_id
        }
    return found


def tag_suggestions(*, kind_id: int, text: str, limit: int = 20) -> list[dict]:
    """Tags of a kind whose name holds `text`, for a tag field's type-ahead: canonical tags
    first (a synonym typed offers its canonical tag, saying by which name it was found), then
    the unwrangled ones; names starting with the text before the others."""
    text = text.strip()[:100]
    if not text:
        return []
    matches = (
        Tag.objects.filter(kind_id=kind_id, name__icontains=text)
        .select_related("synonym_of")
        .annotate(
            waiting=Case(
                When(wrangled=False, synonym_of__isnull=True, then=Value(1)), default=Value(0)
            ),
            later=Case(When(name__istartswith=text, then=Value(0)), default=Value(1)),
        )
        .order_by("waiting", "later", Lower("name"), "pk")[: limit * 2]
    )
    offered: dict[int, dict] = {}
    for tag in matches:
        shown = tag.synonym_of or tag
        if shown.pk not in offered:
            offered[shown.pk] = {
                "id": shown.pk,
                "name": shown.name,
                "canonical": shown.canonical,
                "found_as": tag.name if tag.synonym_of_id else None,
            }
    return list(offered.values())[:limit]
