"""Where eFiction's listing and profile addresses live now.

Each function reads an old query string and returns the Fabula address that shows the same
thing, or raises Http404 when the old address names nothing (an unknown type, a number no tag
carries). Tag numbers are eFiction's (`Tag.legacy_id`, `TagKind.legacy_id`); member, series and
rating numbers are kept as primary keys on import.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from fabula.accounts.models import User
from fabula.legacy.params import parse_id, require_id
from fabula.lib.words import tidy_title
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
    tags = Tag.objects.filter(kind__role=TagKind.Role.CLASS, legacy_id=number).select_related(
        "kind"
    )
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
    """viewseries.php?seriesid=N"""
    return reverse("series", args=[get_object_or_404(Series, pk=number).pk])


def series_reviews(number: int) -> str:
    """reviews.php?type=SE&item=N"""
    return reverse("community:series-reviews", args=[get_object_or_404(Series, pk=number).pk])


# search.php's `searchtype`: which field the `searchterm` is looked for in.
_SEARCH_FIELDS = {"penname": "author", "title": "title", "summary": "summary", "fulltext": "text"}


def search(params: dict[str, str]) -> str:
    """search.php[?searchtype=T&searchterm=W&catid=&charid=&rid=&complete=&class_N=&exclass_N=
    &wordlow=&wordhigh=]: the same search on Fabula's search page, its filters included.

    eFiction's lists come comma-separated. Numbers that name nothing here are left out, and
    several categories must all match (Fabula's filters include by AND, where eFiction's
    categories were any of).
    """
    query: list[tuple[str, object]] = []
    term = tidy_title(params.get("searchterm", "").replace('"', " "))
    if term:
        kind = params.get("searchtype", "")
        if kind in _SEARCH_FIELDS:
            query.append(("q", f'{_SEARCH_FIELDS[kind]}:"{term}"'))
        elif kind == "advanced":  # eFiction looked in titles and summaries
            query.append(("q", f'title:"{term}" OR summary:"{term}"'))
        else:
            query.append(("q", term))
    characters = ",".join(params.get(name, "") for name in ("charid", "charlist1", "charlist2"))
    for role, numbers in (
        (TagKind.Role.CATEGORY, params.get("catid", "")),
        (TagKind.Role.CHARACTER, characters),
    ):
        query += [("tag", pk) for pk in _tags_numbered(role, numbers)]
    for name, value in params.items():
        if name.startswith(("class_", "exclass_")):
            key = "xtag" if name.startswith("ex") else "tag"
            query += [(key, pk) for pk in _tags_numbered(TagKind.Role.CLASS, value)]
    query += [
        ("rating", pk)
        for pk in Rating.objects.filter(pk__in=_numbers(params.get("rid", "")))
        .order_by("pk")
        .values_list("pk", flat=True)
    ]
    if params.get("complete") or params.get("completed"):
        query.append(("complete", "yes"))
    # eFiction's word-count menus: -500 means "from nothing", 1000000 "and more".
    low, high = parse_id(params.get("wordlow")), parse_id(params.get("wordhigh"))
    if low:
        query.append(("words_from", low))
    if high and high != 1_000_000:
        query.append(("words_to", high))
    address = reverse("search:results")
    return f"{address}?{urlencode(query)}" if query else address


def _numbers(value: str) -> list[int]:
    return [number for number in map(parse_id, value.split(",")) if number is not None]


def _tags_numbered(role: str, value: str) -> list[int]:
    """The tags of this role carrying eFiction's numbers, in the order given."""
    numbers = _numbers(value)
    found = dict(
        Tag.objects.filter(kind__role=role, legacy_id__in=numbers).values_list("legacy_id", "pk")
    )
    return [found[number] for number in dict.fromkeys(numbers) if number in found]
