"""The browse pages' counts (`listing.browsing`: the kinds' trees and a tag's branch), counted in
the database, against a plain reference counted in Python from every row: on a small archive
with synonyms, sub-tags two levels deep, a child of another kind, a story filed under a tag and
its sub-tag, and stories a guest or a member must not see counted (a draft, a members-only
rating, a locked story, a blocked author)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from fabula.stories.listing import browsing
from fabula.stories.listing.browsing import (
    TagNode,
    tag_branch,
    tag_place,
    tag_tree,
    tags_with_counts,
)
from fabula.stories.models import Block, Status, StoryTag
from fabula.stories.permissions import listed_stories
from fabula.taxonomy.models import Tag


def reference_counts(listed_ids: set[int], kind_id: int) -> dict[int, int]:
    """Each canonical tag of the kind: how many listed stories are filed under it, one of its
    synonyms, or (all the way down) a canonical tag of its kind under it, each story once."""
    tags = {tag.pk: tag for tag in Tag.objects.all()}
    filed: dict[int, set[int]] = {}
    for story_id, tag_id in StoryTag.objects.values_list("story_id", "tag_id"):
        if story_id in listed_ids:
            filed.setdefault(tag_id, set()).add(story_id)

    def stories(pk: int) -> set[int]:
        found = set(filed.get(pk, ()))
        for other in tags.values():
            if other.kind_id != kind_id:
                continue
            if other.synonym_of_id == pk or other.parent_id == pk and other.synonym_of_id is None:
                found |= (
                    stories(other.pk) if other.synonym_of_id is None else filed.get(other.pk, set())
                )
        return found

    return {
        pk: len(stories(pk))
        for pk, tag in tags.items()
        if tag.kind_id == kind_id and tag.synonym_of_id is None
    }


def flat(nodes: list[TagNode]) -> dict[int, int]:
    found = {}
    for node in nodes:
        found[node.tag.pk] = node.count
        found.update(flat(node.children))
    return found


@pytest.fixture
def wrangled(archive, make_story, author, other_author):
    """The archive's categories with a grandchild and synonyms; stories filed everywhere."""
    category = archive.category
    wedding = Tag.objects.create(kind=category, name="Wedding", parent=archive.subfandom)
    office_us = Tag.objects.create(kind=category, name="Office (US)", synonym_of=archive.fandom)
    jam = Tag.objects.create(kind=category, name="JAM", synonym_of=archive.subfandom)
    vows = Tag.objects.create(kind=category, name="Vows", synonym_of=wedding)
    # A character under a category is shown there, not counted there.
    Tag.objects.filter(pk=archive.jim.pk).update(parent=archive.fandom)

    def story(title, *tags, **extra):
        made = make_story(extra.pop("by", author), title, tags=[archive.jim], **extra)
        # Filed as an old archive or a wrangling left them: synonyms included, as given.
        for position, tag in enumerate(tags, start=1):
            StoryTag.objects.create(story=made, tag=tag, position=position)
        return made

    story("Parent", archive.fandom)
    story("Parent by synonym", office_us)
    story("Parent and child", archive.fandom, archive.subfandom)
    story("Child by synonym and grandchild", jam, wedding)
    story("Grandchild by synonym", vows, by=other_author)
    story("Grandchild", wedding)
    story("Elsewhere", archive.other_fandom)
    story("Everywhere", archive.other_fandom, vows, office_us)
    story("Draft", wedding, status=Status.DRAFT)
    story("Members only", archive.fandom, rating=archive.members_only)
    story("Locked", jam, locked=True)
    return wedding


# A branch of a few tags is counted in one query, a bigger tree another way (a GROUP BY without
# sub-tags, the filings with them): the second ways are taken here by calling two tags many.
@pytest.mark.parametrize("one_query_tags", [10, 1], ids=["one query", "bigger trees"])
@pytest.mark.parametrize("as_member", [False, True], ids=["guest", "member"])
def test_tree_and_branch_counts_match_a_plain_reference(
    wrangled, archive, reader, other_author, as_member, one_query_tags, monkeypatch
):
    monkeypatch.setattr(browsing, "ONE_QUERY_TAGS", one_query_tags)
    user = reader if as_member else AnonymousUser()
    if as_member:
        Block.objects.create(user=reader, author=other_author)
    listed = listed_stories(user)
    listed_ids = set(listed.values_list("pk", flat=True))
    expected = reference_counts(listed_ids, archive.category.pk)
    # The reference sees the archive this test means to build.
    # (the member blocked "Grandchild by synonym" and sees "Members only" and "Locked")
    assert expected[archive.fandom.pk] == (8 if as_member else 7)
    assert expected[wrangled.pk] == (3 if as_member else 4)

    assert flat(tag_tree(archive.category, listed)) == expected
    assert {node.tag.pk: node.count for node in tags_with_counts(archive.category, listed)} == (
        expected
    )
    # Characters: no sub-tags (Jim's parent is a category: shown there, not counted there).
    characters = reference_counts(listed_ids, archive.character.pk)
    assert characters[archive.jim.pk] == len(listed_ids)
    assert flat(tag_tree(archive.character, listed)) == characters
    for tag in Tag.objects.filter(kind=archive.category, synonym_of__isnull=True):
        place = tag_place(tag.pk)
        assert place is not None and place.tag == tag
        branch = tag_branch(place, listed)
        below = flat([branch.node])
        assert below == {pk: expected[pk] for pk in below}, tag.name
        # The count on the tag's page is the number of stories its list holds.
        assert (
            branch.node.count
            == listed.filter(
                pk__in=StoryTag.objects.filter(tag_id__in=branch.meaning).values("story_id")
            ).count()
        )
