"""Reader pages for stories: home, story lists, the story index, chapters, the whole story,
the reading gates, series, and the 404 page.

Views stay thin: who may see what is `permissions`, multi-table reads are `selectors`,
`listing` and `browsing`. Pages a guest without a session sees go through the guest page cache
(`serving.serve`); reads are counted here, outside the cached render, so a cache hit counts too.
"""

from __future__ import annotations

from functools import partial
from typing import Literal

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fabula.conf.models import site_settings
from fabula.lib.numbers import whole_number
from fabula.lib.redirects import next_url
from fabula.lib.serving import not_cacheable, serve, served, shows_page
from fabula.stories.listing.browsing import series_items, series_with_counts
from fabula.stories.listing.cards import credited_names, make_cards
from fabula.stories.listing.pages import (
    LETTERS,
    LIST_PARAMETERS,
    OTHER,
    PAGE_PARAMETERS,
    RECENT_SORT,
    Selection,
    everything,
    filter_by_letter,
    normalise_letter,
    order_stories,
    paged,
    story_page,
)
from fabula.stories.models import Chapter, Series, Story, shown_authors
from fabula.stories.permissions import (
    listed_stories,
    pass_gate,
    readable_chapters,
    required_gate,
    story_for,
    story_links,
)
from fabula.stories.reads import record_read
from fabula.stories.selectors import ChapterDetail, chapter_by_id, story_header

HOME_FEATURED = 5
HOME_RECENT = 10


# ---------------------------------------------------------------------------------------------
# Home and story lists


@served()
def home(request) -> HttpResponse:
    listed = listed_stories(request.user).select_related("rating")
    featured = listed.filter(featured=True).order_by("-updated_at", "-pk")[:HOME_FEATURED]
    recent = order_stories(listed, RECENT_SORT)[:HOME_RECENT]
    return render(
        request,
        "stories/home.html",
        {
            "featured": make_cards(featured),
            "recent": make_cards(recent),
        },
    )


@served(*LIST_PARAMETERS)
def story_list(request) -> HttpResponse:
    return _list_page(
        request,
        title=gettext("All stories"),
        select=everything,
        default_sort="title",
    )


@served(*LIST_PARAMETERS)
def recent(request) -> HttpResponse:
    return _list_page(
        request,
        title=gettext("Recently updated"),
        select=everything,
        default_sort=RECENT_SORT,
        use_preference=False,
    )


@served(*LIST_PARAMETERS)
def titles(request, letter: str | None = None) -> HttpResponse:
    select: Selection = everything
    if letter is not None:
        letter = normalise_letter(letter)
        select = partial(filter_by_letter, letter=letter)
    title = (
        gettext("Titles")
        if letter is None
        else (
            gettext("Titles not starting with a letter")
            if letter == OTHER
            else gettext("Titles: %(letter)s") % {"letter": letter}
        )
    )
    return _list_page(
        request,
        title=title,
        select=select,
        default_sort="title",
        use_preference=False,
        letters=LETTERS,
        letter=letter,
    )


def _list_page(request, *, title, select, default_sort, use_preference=True, **extra):
    listing = story_page(request, select, default_sort=default_sort, use_preference=use_preference)
    return render(
        request,
        "stories/story_list.html",
        {
            "title": title,
            "listing": listing,
            **extra,
        },
    )


# ---------------------------------------------------------------------------------------------
# One story


def _story_load(request) -> Literal["credits", "rating"]:
    """What a story's pages load with it: a member's checks (`is_author`, asked by the gates
    and the review panel) read the credits with their members; a guest is nobody's author.
    (The header keeps its own copy of the credits and tags: `selectors.story_header`.)"""
    return "credits" if request.user.is_authenticated else "rating"


def _readable_chapters(request, story: Story, detail: ChapterDetail) -> list[Chapter]:
    """The chapters this reader may read (`permissions.readable_chapters`), those only their
    authors and moderators see flagged `unreleased`, so that pages can say so."""
    chapters = readable_chapters(request.user, story, detail)
    now = timezone.now()
    for chapter in chapters:
        chapter.unreleased = not chapter.is_released(now)
    return chapters


@served(story="story_id")
def story_index(request, story_id: int) -> HttpResponse:
    story = story_for(request, story_id, load=_story_load(request))
    # The index shows what lists show (summary, tags), so only the members-only gate applies;
    # the age and warning gates stand before the text.
    if required_gate(request, story) == "registered":
        return gate_page(request, story, "registered")
    chapters = _readable_chapters(request, story, "entry")
    return render(
        request,
        "stories/story_index.html",
        {
            "story": story,
            "header": story_header(story, chapters),
            "links": story_links(request.user, story),
            "chapters": chapters,
        },
    )


def chapter(request, story_id, chapter_id):
    response = serve(
        request, lambda: _chapter(request, story_id, chapter_id), reads=(), story=story_id
    )
    if shows_page(response):
        record_read(request, story_id)
    return response


def chapter_at(request, story_id, position):
    """An address of before, by position (old links, bookmarks, feeds): for good to the chapter
    now at that position, by its id."""
    return redirect(_chapter_at(request, story_id, position), permanent=True)


def chapter_go(request, story_id):
    """The "go to chapter" menu: the chapter at the position chosen, by its id."""
    position = whole_number(request.GET.get("position"))
    if position is None:
        return HttpResponseBadRequest("Choose a chapter from the menu.")
    return redirect(_chapter_at(request, story_id, position))


def _chapter_at(request, story_id: int, position: int) -> str:
    story = story_for(request, story_id)
    found = readable_chapters(request.user, story, position=position)
    if not found:
        raise Http404("No such chapter.")
    return reverse("chapter", args=[story.pk, found[0].pk])


def _chapter(request, story_id: int, chapter_id: int) -> HttpResponse:
    # The page read most: its reads are plain SQL (`selectors.chapter_list`, `chapter_by_id`),
    # and the byline's names plain values for everyone, cheaper than the credits' rows.
    story = story_for(request, story_id, load=_story_load(request))
    gate = required_gate(request, story)
    if gate:
        return gate_page(request, story, gate)
    credited = shown_authors(story, credited_names([story.pk])[story.pk])
    chapters = _readable_chapters(request, story, "line")
    index = next((i for i, c in enumerate(chapters) if c.pk == chapter_id), None)
    if index is None:
        raise Http404("No such chapter.")
    # Not its writer's row: the page names the writer only when no credit of the story does
    # (`chapter_byline`), which is rare, and the join was a tenth of a cold chapter page.
    current = chapter_by_id(chapter_id)
    if current is None:  # deleted since the list was read
        raise Http404("No such chapter.")
    current.story = story
    current.unreleased = chapters[index].unreleased
    return render(
        request,
        "stories/chapter.html",
        {
            "story": story,
            "bylines": credited,
            "chapter": current,
            "chapters": chapters,
            "number": index + 1,
            "previous": chapters[index - 1] if index > 0 else None,
            "next": chapters[index + 1] if index + 1 < len(chapters) else None,
            "is_first": index == 0,
        },
    )


def story_full(request, story_id):
    response = serve(request, lambda: _story_full(request, story_id), reads=(), story=story_id)
    if shows_page(response):
        record_read(request, story_id)
    return response


def _story_full(request, story_id: int) -> HttpResponse:
    story = story_for(request, story_id, load=_story_load(request))
    gate = required_gate(request, story)
    if gate:
        return gate_page(request, story, gate)
    chapters = _readable_chapters(request, story, "text")
    if not chapters:
        raise Http404("This story has no chapter to read yet.")
    return render(
        request,
        "stories/story_full.html",
        {
            "story": story,
            "header": story_header(story, chapters),
            "chapters": chapters,
        },
    )


# ---------------------------------------------------------------------------------------------
# Gates


def gate_page(request, story: Story, gate: str, *, status: int | None = None) -> HttpResponse:
    """The page standing before a story: members only (403), age consent, or a warning (200
    unless `status` says otherwise; downloads refuse with 403). Never cached: what it says
    depends on the reader's answers."""
    response = render(
        request,
        "stories/gate.html",
        {
            "story": story,
            "rating": story.rating,
            "gate": gate,
            "next": request.get_full_path(),
            "age_statement": site_settings().age_statement,
        },
        status=status or (403 if gate == "registered" else 200),
    )
    return not_cacheable(response)


@require_POST
def gate(request, story_id):
    """The reader answered an age or warning gate: remember it and go back to the story."""
    story = story_for(request, story_id)
    answer = request.POST.get("gate")
    if answer not in ("age", "warning"):
        return HttpResponseBadRequest(
            "The gate answered must be 'age' or 'warning'; members-only stories need a login."
        )
    pass_gate(request, story, answer)
    return redirect(next_url(request, reverse("story", args=[story.pk])))


# ---------------------------------------------------------------------------------------------
# Series


@served(*PAGE_PARAMETERS)
def series_list(request) -> HttpResponse:
    return render(
        request,
        "stories/series_list.html",
        paged(request.GET, series_with_counts(listed_stories(request.user))),
    )


@served()
def series_detail(request, series_id: int) -> HttpResponse:
    series = get_object_or_404(Series.objects.select_related("owner"), pk=series_id)
    items = series_items(series, request.user)
    cards = {card.story.pk: card for card in make_cards(i.story for i in items if i.story)}
    for item in items:
        item.card = cards.get(item.story.pk) if item.story else None
    return render(request, "stories/series_detail.html", {"series": series, "items": items})


# ---------------------------------------------------------------------------------------------
# Errors


def not_found(request, exception=None):
    return render(request, "404.html", status=404)
