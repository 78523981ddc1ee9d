"""Browsing by how stories are described: ratings, categories, characters, classes, tags.

Counts and story lists only ever include the stories the reader may see
(`permissions.listed_stories`); the queries live in `fabula.stories.listing.browsing`.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from fabula.lib.serving import served
from fabula.stories.listing.browsing import (
    ratings_with_counts,
    stories_tagged,
    tag_branch,
    tag_place,
    tag_tree,
    tags_with_counts,
)
from fabula.stories.listing.pages import LIST_PARAMETERS, story_page
from fabula.stories.permissions import listed_stories, rating_behind_members_gate
from fabula.taxonomy.models import Rating, TagKind
from fabula.taxonomy.selectors import tag_suggestions


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
        context = {"tree": tag_tree(kind, listed, request.user)}
    else:
        context = {"tags": tags_with_counts(kind, listed, request.user)}
    return render(request, "stories/browse/kind_detail.html", {"kind": kind, **context})


@served(*LIST_PARAMETERS)
def tag_detail(request, slug: str, tag_id: int) -> HttpResponse:
    place = tag_place(tag_id)
    if place is None or place.tag.kind.slug != slug:
        raise Http404(f"There is no tag {tag_id} among the {slug}.")
    tag, canonical = place.tag, place.tag.synonym_of
    if canonical is not None:  # a synonym's stories are listed under its canonical tag
        return redirect("browse-tag", canonical.kind.slug, canonical.pk)
    branch = tag_branch(place, listed_stories(request.user), request.user)
    return render(
        request,
        "stories/browse/tag_detail.html",
        {
            "kind": tag.kind,
            "tag": tag,
            "ancestors": branch.ancestors,
            "children": branch.node.children,
            "synonyms": branch.synonyms,
            # A parent or children of other kinds: a character's fandom, a fandom's characters.
            "other_parent": tag.parent
            if tag.parent and tag.parent.kind_id != tag.kind_id
            else None,
            "other_children": branch.other_children,
            "listing": story_page(
                request,
                lambda listed: stories_tagged(listed, tag.pk, branch.meaning),
                default_sort="updated",
            ),
        },
    )


def tag_suggest(request, slug: str) -> JsonResponse:
    """The type-ahead of a tag field: `?q=text` -> the kind's tags holding it, canonical ones
    first (`taxonomy.selectors.tag_suggestions`). Tags are public, so is this."""
    kind = get_object_or_404(TagKind, slug=slug)
    return JsonResponse({"tags": tag_suggestions(kind_id=kind.pk, text=request.GET.get("q", ""))})
