"""Downloads, Atom feeds, the OPDS catalog and the app-password page.

Views stay thin: building is in `downloads`, `feeds` and `opds`; who sees what is
`stories.permissions`. Reading apps log in with HTTP Basic and an app password
(`app_passwords`); wrong credentials get a 401, never a silent guest's view. Feeds and catalog
pages a guest without a session asks for come from the guest page cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from fabula.accounts.models import User
from fabula.community.models import Favourite, Reading
from fabula.community.permissions import reading_list_for, reading_list_stories
from fabula.conf.models import site_settings
from fabula.formats import feeds, opds
from fabula.formats.actions import app_password_create, app_password_revoke
from fabula.formats.app_passwords import basic_credentials, user_from_basic_auth
from fabula.formats.atom import Feed, feed_xml
from fabula.formats.atom import render as render_chapters
from fabula.formats.downloads import (
    READ_WHOLE_BYTES,
    Ticket,
    download_storage,
    get_download,
    remember_ticket,
    remembered_ticket,
)
from fabula.formats.models import AppPassword
from fabula.formats.registry import downloadable_formats
from fabula.lib.numbers import positive_id
from fabula.lib.pagecache import cached_page
from fabula.stories.models import Series, Story
from fabula.stories.permissions import (
    offered_stories,
    required_gate,
    story_for,
    visible_chapters,
)
from fabula.stories.views.reading import gate_page
from fabula.taxonomy.models import Tag

ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"
REALM = 'Basic realm="Fabula catalog", charset="UTF-8"'


def _unauthorized(message: str) -> HttpResponse:
    response = HttpResponse(message, status=401, content_type="text/plain; charset=utf-8")
    response["WWW-Authenticate"] = REALM
    return response


def basic_auth(view):
    """Let a reading app log in with HTTP Basic and an app password for this request."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if basic_credentials(request) is not None:
            user = user_from_basic_auth(request)
            if user is None:
                return _unauthorized(
                    "Wrong user name or app password. Reading apps log in with an app password "
                    "made on the site, not with the account password."
                )
            request.user = user
        return view(request, *args, **kwargs)

    return wrapper


# The query parameters a feed reads (the page of a long feed, the terms of an OPDS search).
FEED_PARAMETERS = ("page", "q")


def _xml(request, build, content_type: str) -> HttpResponse:
    """A feed's bytes, for a guest from the page cache."""
    response = HttpResponse(
        cached_page(request, build, reads=FEED_PARAMETERS), content_type=content_type
    )
    response["Vary"] = "Authorization, Cookie"
    return response


# ---------------------------------------------------------------------------------------------
# Downloads


@require_safe
@basic_auth
def download(request, story_id: int, format_name: str):
    if format_name not in downloadable_formats():
        raise Http404(
            f"No download format {format_name!r}; there are: {', '.join(downloadable_formats())}."
        )
    # A guest without a session asking again for a built file: no query at all (the ticket
    # is forgotten when the archive's content changes, as cached pages are).
    ticket = remembered_ticket(request)
    if ticket is not None:
        try:
            return _file_response(request, ticket)
        except FileNotFoundError:
            pass
    story = story_for(request, story_id)
    if story.reading_only:
        return HttpResponse(
            f"The authors keep “{story.title}” for reading on the site: it is not offered for "
            "download, in feeds or in reading apps.",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    gate = required_gate(request, story)
    if gate == "registered" or (gate and request.GET.get("consent") != "yes"):
        # The consent parameter answers the age and warning gates (reading apps cannot show
        # the gate page); the members-only gate needs a login.
        return gate_page(request, story, gate, status=403)
    built = get_download(request.user, story, format_name)
    name = slugify(story.title)[:60] or "story"
    ticket = Ticket(
        name=built.name,
        etag=f'"{built.version}-{format_name}"',
        media_type=built.fmt.media_type,
        filename=f"{name}-{story.pk}{built.fmt.file_suffix}.{built.fmt.extension}",
    )
    try:
        response = _file_response(request, ticket)
    except FileNotFoundError:  # a newer version replaced it a moment ago: take that one
        return download(request, story_id, format_name)
    remember_ticket(request, ticket)
    return response


def _file_response(request, ticket: Ticket) -> HttpResponseBase:
    """The file as an attachment, or 304 when the reader has this version already. Small
    files are read whole (faster to serve); big ones are streamed."""
    if ticket.etag in request.headers.get("If-None-Match", ""):
        return HttpResponseNotModified(headers={"ETag": ticket.etag})
    handle = download_storage().open(ticket.name, "rb")
    size = handle.size
    response: HttpResponseBase
    if size <= READ_WHOLE_BYTES:
        with handle:
            response = HttpResponse(handle.read(), content_type=ticket.media_type)
        response["Content-Disposition"] = content_disposition_header(True, ticket.filename)
    else:
        response = FileResponse(
            handle, as_attachment=True, filename=ticket.filename, content_type=ticket.media_type
        )
    response["ETag"] = ticket.etag
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response


# ---------------------------------------------------------------------------------------------
# Atom feeds (what a guest sees)


@dataclass(frozen=True)
class NamedFeed:
    """One feed (Atom, or an OPDS catalog page), as its address names it.

    `build(site, listed, target, page)` makes the feed from the reader's listed stories; `target`
    is what the address names: a row of `names` (a 404 when there is none), else the address's
    own value (a top list's key), else None. OPDS navigation feeds list other feeds; acquisition
    feeds list stories to download.
    """

    build: Callable[[feeds.Site, QuerySet[Story], Any, str | None], Feed]
    names: Callable[[], QuerySet[Any]] | None = None
    content_type: str = f"{opds.ACQUISITION}; charset=utf-8"


def _serve_feed(request, spec: NamedFeed, target: int | str | None) -> HttpResponse:
    named = get_object_or_404(spec.names(), pk=target) if spec.names else target
    page = request.GET.get("page")
    return _xml(
        request,
        lambda: feed_xml(
            spec.build(feeds.Site.configured(), offered_stories(request.user), named, page)
        ),
        spec.content_type,
    )


ATOM_FEEDS: dict[str, NamedFeed] = {
    "recent": NamedFeed(
        lambda site, listed, _, page: feeds.site_feed(site, listed), content_type=ATOM_CONTENT_TYPE
    ),
    "news": NamedFeed(
        lambda site, listed, _, page: feeds.news_feed(site), content_type=ATOM_CONTENT_TYPE
    ),
    "tag": NamedFeed(
        lambda site, listed, tag, _: feeds.tag_feed(site, listed, tag),
        names=lambda: Tag.objects.select_related("kind"),
        content_type=ATOM_CONTENT_TYPE,
    ),
    "author": NamedFeed(
        lambda site, listed, author, _: feeds.author_feed(site, listed, author),
        names=User.objects.all,
        content_type=ATOM_CONTENT_TYPE,
    ),
    "series": NamedFeed(
        lambda site, listed, series, _: feeds.series_feed(site, listed, series),
        names=Series.objects.all,
        content_type=ATOM_CONTENT_TYPE,
    ),
}


@require_safe
def atom_feed(request, feed: str, target: int | None = None) -> HttpResponse:
    """Any feed of the ATOM_FEEDS table; the URL says which (fabula/formats/urls.py)."""
    return _serve_feed(request, ATOM_FEEDS[feed], target)


@require_safe
def feed_story(request, story_id: int):
    """A story's chapters, to follow a work in progress."""
    # Feeds are for offered stories only: not drafts, nor members-only work for a guest, nor
    # a story its authors keep for reading on the site.
    story = get_object_or_404(offered_stories(request.user).select_related("rating"), pk=story_id)
    return _xml(
        request,
        lambda: render_chapters(
            story,
            list(visible_chapters(request.user, story).select_related("author").defer("body")),
        ),
        ATOM_CONTENT_TYPE,
    )


# ---------------------------------------------------------------------------------------------
# OPDS


NAVIGATION = f"{opds.NAVIGATION}; charset=utf-8"
CATALOG: dict[str, NamedFeed] = {
    "root": NamedFeed(lambda site, listed, _, page: opds.root_feed(site), content_type=NAVIGATION),
    "recent": NamedFeed(lambda site, listed, _, page: opds.recent_feed(site, listed, page)),
    "categories": NamedFeed(
        lambda site, listed, _, page: opds.categories_feed(site, listed), content_type=NAVIGATION
    ),
    "tag": NamedFeed(opds.tag_feed, names=lambda: Tag.objects.select_related("kind")),
    "authors": NamedFeed(
        lambda site, listed, _, page: opds.authors_feed(site, listed, page), content_type=NAVIGATION
    ),
    "author": NamedFeed(opds.author_feed, names=User.objects.all),
    "series-list": NamedFeed(
        lambda site, listed, _, page: opds.series_list_feed(site, listed, page),
        content_type=NAVIGATION,
    ),
    "series": NamedFeed(opds.series_feed, names=Series.objects.all),
    "top": NamedFeed(opds.top_feed),
    "search": NamedFeed(opds.search_feed),  # its target is the query
}


@require_safe
@basic_auth
def opds_feed(request, feed: str, target: int | str | None = None) -> HttpResponse:
    """Any feed of the CATALOG table; the URL says which (fabula/formats/urls.py)."""
    return _serve_feed(request, CATALOG[feed], target)


@require_safe
@basic_auth
def opds_search(request):
    return _serve_feed(request, CATALOG["search"], request.GET.get("q", "").strip()[:200])


@require_safe
def opds_opensearch(request):
    return _xml(
        request,
        lambda: opds.opensearch_description(feeds.Site.configured()),
        f"{opds.OPENSEARCH}; charset=utf-8",
    )


def _member_feed(request, title: str, path: str, story_ids) -> HttpResponse:
    if not request.user.is_authenticated:
        return _unauthorized("Log in with your pen name and an app password to see this list.")
    listed = offered_stories(request.user).filter(pk__in=story_ids).order_by("-updated_at", "-pk")
    feed = opds.member_feed(feeds.Site.configured(), title, path, listed, request.GET.get("page"))
    return HttpResponse(
        feed_xml(feed),
        content_type=f"{opds.ACQUISITION}; charset=utf-8",
        headers={"Vary": "Authorization, Cookie", "Cache-Control": "private"},
    )


@require_safe
@basic_auth
def opds_favourites(request):
    ids = Favourite.objects.filter(user=request.user.pk, story__isnull=False).values("story_id")
    return _member_feed(request, "My favourites", reverse("opds-favourites"), ids)


@require_safe
@basic_auth
def opds_later(request):
    ids = Reading.objects.filter(user=request.user.pk, marked_for_later=True).values("story_id")
    return _member_feed(request, "Marked for later", reverse("opds-later"), ids)


# ---------------------------------------------------------------------------------------------
# Reading lists: a public one for anyone (a guest's from the page cache), a private one for its
# owner only (logged in, or a reading app with an app password); others get a 404. Only the
# stories this reader may take away are listed (`offered_stories`).


@require_safe
@basic_auth
def feed_reading_list(request, list_id: int) -> HttpResponse:
    found = reading_list_for(request.user, list_id)
    stories = reading_list_stories(offered_stories(request.user), found, newest_first=True)
    return _xml(
        request,
        lambda: feed_xml(feeds.reading_list_feed(feeds.Site.configured(), stories, found)),
        ATOM_CONTENT_TYPE,
    )


@require_safe
@basic_auth
def opds_reading_list(request, list_id: int) -> HttpResponse:
    found = reading_list_for(request.user, list_id)
    stories = reading_list_stories(offered_stories(request.user), found)
    page = request.GET.get("page")
    return _xml(
        request,
        lambda: feed_xml(opds.reading_list_feed(feeds.Site.configured(), stories, found, page)),
        f"{opds.ACQUISITION}; charset=utf-8",
    )


# ---------------------------------------------------------------------------------------------
# App passwords


@login_required
@require_http_methods(["GET", "POST"])
def app_passwords(request):
    """A member's app passwords: make one (shown once), or revoke one."""
    new_password = None
    if request.method == "POST":
        if "revoke" in request.POST:
            password_id = positive_id(request.POST["revoke"]) or 0
            if app_password_revoke(user=request.user, password_id=password_id):
                messages.success(
                    request, gettext("The app password is revoked: apps using it are logged out.")
                )
            else:
                messages.error(request, gettext("You have no such app password."))
            return redirect("app-passwords")
        _, new_password = app_password_create(user=request.user, name=request.POST.get("name", ""))
    response = render(
        request,
        "formats/app_passwords.html",
        {
            "passwords": AppPassword.objects.filter(user=request.user),
            "new_password": new_password,
            "catalog_url": site_settings().site_url + reverse("opds-root"),
        },
    )
    response["Cache-Control"] = "no-store"
    return response
