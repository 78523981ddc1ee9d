"""Where eFiction's listing and profile addresses live now.

Each function reads an old query string and returns the Fabula address that shows the same
thing, or raises Http404 when the old address names nothing (an unknown type, a number no tag
carries). Tag numbers are eFiction's (`Tag.legacy_id`, `TagKind.legacy_id`); member, series and
rating numbers are kept as primary keys on import.
"""

from __future__ import annotations

import re

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from fabula.accounts.models import User
from fabula.legacy.params import require_id
from fabula.stories.models import Series
from fabula.taxonomy.models import Rating, Tag, TagKind

# eFiction's title index links `let=A` ... `let=Z` and `let=Other`.
_LETTER = re.compile(r"[A-Za-z0-9]{1,10}")


def browse(params: dict[str, str]) -> str:
    """browse.php?type=..."""
    kind = params.get("type", "")
    if kind == "categories":
        if "catid" not in params:
            return _kind_page(TagKind.Role.CATEGORY)
        return _tag_page(TagKind.Role.CATEGORY, require_id(params, "catid"))
    if kind == "characters":
        if "charid" not in params:
            return _kind_page(TagKind.Role.CHARACTER)
        return _tag_page(TagKind.Role.CHARACTER, require_id(params, "charid"))
    if kind == "class":
        return _class_page(params)
    if kind == "ratings":
        if "rid" not in params:
            return reverse("ratings")
        rating = get_object_or_404(Rating, pk=require_id(params, "rid"))
        return reverse("browse-rating", args=[rating.pk])
    if kind == "titles":
        letter = params.get("let", "")
        if not letter:
            return reverse("titles")
        if not _LETTER.fullmatch(letter):
            raise Http404("let must be a letter or 'Other'.")
        return reverse("titles-letter", args=[letter])
    simple = {"recent": "recent", "series": "series-list", "authors": "authors"}
    if kind in simple:
        return reverse(simple[kind])
    raise Http404(f"No browse type {kind!r}.")


def _kind_page(role: str) -> str:
    kind = TagKind.objects.filter(role=role).order_by("order", "slug").first()
    if kind is None:
        raise Http404(f"This archive has no {role} list.")
    return reverse("browse-kind", args=[kind.slug])


def _tag_page(role: str, number: int) -> str:
    tag = (
        Tag.objects.filter(kind__role=role, legacy_id=number)
        .select_related("kind")
        .order_by("kind__order", "kind__slug")
        .first()
    )
    if tag is None:
        raise Http404(f"No {role} number {number}.")
    return reverse("browse-tag", args=[tag.kind.slug, tag.pk])


def _class_page(params: dict[str, str]) -> str:
    """type=class&type_id=T&classid=N; eFiction's class numbers are unique site-wide, so a link
    without its type_id still names one class."""
    number = require_id(params, "classid")
    tags = Tag.objects.filter(kind__role=TagKind.Role.CLASS, legacy_id=number).select_related("kind")
    if "type_id" in params:
        tags = tags.filter(kind__legacy_id=require_id(params, "type_id"))
    found = list(tags[:2])
    if len(found) != 1:
        raise Http404(f"No single class number {number}.")
    return reverse("browse-tag", args=[found[0].kind.slug, found[0].pk])


def author(number: int) -> str:
    """viewuser.php?uid=N"""
    user = get_object_or_404(User, pk=number)
    return reverse("author", args=[user.pk])


def series(number: int) -> str:
    """viewseries.php?seriesid=N, reviews.php?type=SE&item=N"""
    found = get_object_or_404(Series, pk=number)
    return reverse("series", args=[found.pk])
