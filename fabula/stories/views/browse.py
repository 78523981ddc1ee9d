"""Browsing by how stories are described: ratings, categories, characters, classes, tags.

Counts and story lists only ever include the stories the reader may see
(`permissions.listed_stories`); the queries live in `fabula.stories.listing.browsing`.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from fabula.lib.serving import served
from fabula.stories.listing.browsing import (
    path_to,
    ratings_with_counts,
    stories_tagged,
    subtree_ids,
    tag_tree,
    tags_with_counts,
)
from fabula.stories.listing.pages import LIST_PARAMETERS, story_page
from fabula.stories.permissions import listed_stories, rating_behind_members_gate
from fabula.taxonomy.models import Rating, Tag, TagKind


@served()
def rating_list(request) -> HttpResponse:
    return render(
        request,
        "stories/browse/rating_list.html",
        {
            "ratings": ratings_with_counts(listed_stories(request.user)),
        },
    )


@served(*LIST_PARAMETERS)
def rating_detail(request, rating_id: int) -> HttpResponse:
    rating = get_object_or_404(Rating, pk=rating_id)
    return render(
        request,
        "stories/browse/rating_detail.html",
        {
            "rating": rating,
            "members_only": rating_behind_members_gate(request.user, rating),
            "listing": story_page(
                request, lambda listed: listed.filter(rating=rating), default_sort="updated"
            ),
        },
    )


@served()
def kind_detail(request, slug: str) -> HttpResponse:
    kind = get_object_or_404(TagKind, slug=slug)
    listed = listed_stories(request.user)
    context: dict[str, object]
    if kind.role == TagKind.Role.CATEGORY:
        context = {"tree": tag_tree(kind, listed)}
    else:
        context = {"tags": tags_with_counts(kind, listed)}
    return render(request, "stories/browse/kind_detail.html", {"kind": kind, **context})


@served(*LIST_PARAMETERS)
def tag_detail(request, slug: str, tag_id: int) -> HttpResponse:
    tag = get_object_or_404(
        Tag.objects.select_related("kind", "synonym_of"), pk=tag_id, kind__slug=slug
    )
    canonical = tag.synonym_of
    if canonical is not None:  # a synonym's stories are filed under its canonical tag
        return redirect("browse-tag", canonical.kind.slug, canonical.pk)
    listed = listed_stories(request.user)
    ancestors, children, tag_ids = [], [], [tag.pk]
    if tag.kind.role == TagKind.Role.CATEGORY:
        # A category holds the stories of its sub-categories too, as eFiction's did.
        path = path_to(tag_tree(tag.kind, listed, counted_under=tag.pk), tag.pk)
        if path:
            ancestors, children, tag_ids = path[:-1], path[-1].children, subtree_ids(path[-1])
    return render(
        request,
        "stories/browse/tag_detail.html",
        {
            "kind": tag.kind,
            "tag": tag,
            "ancestors": ancestors,
            "children": children,
            "listing": story_page(
                request, lambda listed: stories_tagged(listed, tag_ids), default_sort="updated"
            ),
        },
    )
