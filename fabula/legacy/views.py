"""eFiction's scripts, answered by Fabula (a frozen layer: no new features here).

One catch-all route sends `<folder>/<script>.php` to `legacy_script`, which checks the folder
against the site's `legacy_prefix` on every request, so an administrator's change applies at
once. Reader pages move permanently (301) to Fabula's own addresses; the printable view and the
story index answer at the old address with eFiction's markup, because tools scrape them.
Every story goes through `stories.permissions`: what a reader may not see is a 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from fabula.conf.models import site_settings
from fabula.legacy import gate, targets
from fabula.legacy.params import legacy_params, require_id
from fabula.legacy.story_pages import index_context, printable_context
from fabula.lib.languages import in_english
from fabula.lib.serving import not_cacheable, serve
from fabula.stories import permissions
from fabula.stories.models import Chapter, Story


def _check_folder(folder: str) -> None:
    """eFiction's pages answer only under the site's legacy folder ("" for the site root)."""
    prefix = site_settings().legacy_prefix.strip("/")
    if folder != (f"{prefix}/" if prefix else ""):
        raise Http404("No such page.")


@require_safe
@in_english
def legacy_script(request, folder: str, script: str):
    _check_folder(folder)
    handler = SCRIPTS.get(script)
    if handler is None:
        raise Http404(f"No eFiction script {script}.php here.")
    return handler(request, legacy_params(request))


def viewstory(request, params: dict[str, str]):
    """viewstory.php: sid=N[&chapter=K|&index=1|&action=printable&chapter=all|K], chapid=N.

    The printable view and the index come from the guest page cache before anything is looked
    up: a cached page was checked when it was made, and any change to the archive retires it.
    Links that answer a gate are always worked out afresh, since they write to the session.
    """
    answers_gate = "warning" in params or "ageconsent" in params
    if _shows_page(params) and not answers_gate:
        # The cached page is built from the parameters read back out of a query string that
        # holds only them, with `amp;` spellings mended: any other parameter changes nothing.
        request.GET = QueryDict(urlencode(params))
        return serve(
            request,
            lambda: _viewstory(request, legacy_params(request)),
            reads=VIEWSTORY_PARAMETERS,
        )
    return _viewstory(request, params)


VIEWSTORY_PARAMETERS = ("sid", "chapid", "chapter", "index", "action", "textsize")


def _shows_page(params: dict[str, str]) -> bool:
    return params.get("action") == "printable" or params.get("index", "0") not in ("", "0")


def _viewstory(request, params: dict[str, str]):
    story, position = _story_and_chapter(request, params)
    gate.answer_gate(request, story, params)
    printable = params.get("action") == "printable"
    if _shows_page(params):
        # The index shows what story lists show, so only the members-only gate stands before
        # it (as on Fabula's own index); every gate stands before the text.
        required = permissions.required_gate(request, story)
        if required == "registered" or (required and printable):
            return _gate_page(request, params, story, required)
        if printable:
            return _printable(request, story, params, position)
        return _index(request, story)
    if position is None:
        position = _chapter_number(params) or 1
    chapter = _visible_chapter(request, story, position)
    return HttpResponsePermanentRedirect(chapter.get_absolute_url())


def _story_and_chapter(request, params) -> tuple[Story, int | None]:
    """The story named by `chapid` (with that chapter's place) or by `sid`, if this reader may
    see it."""
    if "chapid" in params:
        chapter = get_object_or_404(
            Chapter.objects.select_related("story__rating"), pk=require_id(params, "chapid")
        )
        story = chapter.story
        permissions.check_view_story(request.user, story)
        _visible_chapter(request, story, chapter.position)
        return story, chapter.position
    return permissions.story_for(request, require_id(params, "sid")), None


def _chapter_number(params) -> int | None:
    """`chapter=K`, None when absent; a 404 when present but not a number."""
    if "chapter" not in params:
        return None
    return require_id(params, "chapter")


def _visible_chapter(request, story: Story, position: int) -> Chapter:
    chapter = permissions.visible_chapters(request.user, story).filter(position=position).first()
    if chapter is None:
        raise Http404("No such chapter.")
    return chapter


def _printable(request, story: Story, params, position: int | None):
    whole = params.get("chapter") == "all"
    # The chapter of a chapid link, else chapter=K, else the first chapter.
    number = None if whole else position or _chapter_number(params) or 1
    chapters = permissions.readable_chapters(request.user, story, "text", position=number)
    if number is not None and not chapters:
        raise Http404("No such chapter.")
    context = printable_context(site_settings(), story, chapters, whole=whole)
    return HttpResponse(render_to_string("legacy/printable.html", context, request))


def _index(request, story: Story):
    chapters = permissions.readable_chapters(request.user, story, "entry")
    context = index_context(site_settings(), story, chapters)
    return HttpResponse(render_to_string("legacy/story_index.html", context, request))


def _gate_page(request, params, story: Story, required: str):
    """eFiction's gate, at the story's old address: a members-only notice, or the rating's
    warning with a link that answers it."""
    context = {
        "gate": required,
        "story": story,
        "continue_link": gate.continue_link("viewstory.php", params, story, required),
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}",
    }
    status = 403 if required == "registered" else 200
    page = HttpResponse(render_to_string("legacy/gate.html", context, request), status=status)
    return not_cacheable(page)  # what it says depends on the reader's answers


def browse(request, params):
    return HttpResponsePermanentRedirect(targets.browse(params))


def viewuser(request, params):
    return HttpResponsePermanentRedirect(targets.author(require_id(params, "uid")))


def viewseries(request, params):
    return HttpResponsePermanentRedirect(targets.series(require_id(params, "seriesid")))


def authors(request, params):
    return HttpResponsePermanentRedirect(reverse("authors"))


def index(request, params):
    return HttpResponsePermanentRedirect(reverse("home"))


def search(request, params):
    return HttpResponsePermanentRedirect(targets.search(params))


def rss(request, params):
    """rss.php, the 20 stories updated last: Fabula's feed of the same (Atom; feed readers
    follow the move)."""
    return HttpResponsePermanentRedirect(reverse("feed-recent"))


def reviews(request, params):
    """reviews.php?type=ST&item=N: the story's reviews; type=SE&item=N: the series'."""
    kind = params.get("type", "")
    if kind == "ST":
        story = permissions.story_for(request, require_id(params, "item"))
        return HttpResponsePermanentRedirect(reverse("community:story-reviews", args=[story.pk]))
    if kind == "SE":
        return HttpResponsePermanentRedirect(targets.series_reviews(require_id(params, "item")))
    raise Http404(f"No review type {kind!r}.")


SCRIPTS = {
    "viewstory": viewstory,
    "browse": browse,
    "viewuser": viewuser,
    "viewseries": viewseries,
    "authors": authors,
    "index": index,
    "reviews": reviews,
    "search": search,
    "rss": rss,
}


@require_safe
@in_english
def legacy_folder(request, folder: str):
    """The old archive's folder itself (`/fanfiction/`): its front page, as index.php."""
    _check_folder(folder)
    return index(request, {})
