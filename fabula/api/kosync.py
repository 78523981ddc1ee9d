"""KOReader's progress sync ("kosync") at /kosync/, so a reader points KOReader's Progress sync
plugin at Fabula as a custom sync server.

The protocol (as KOReader's plugin and its reference server speak it), JSON both ways:

- `POST /users/create` {username, password} registers an account; here accounts are made on
  the site, so it answers 201 only for a pen name and an app password that already match;
- `GET /users/auth` checks the `x-auth-user` (pen name) and `x-auth-key` headers;
- `PUT /syncs/progress` {document, progress, percentage, device, device_id} saves a place;
- `GET /syncs/progress/<document>` answers the last place saved, with its `timestamp`.

The key KOReader sends is the MD5 of the password typed into it: the member types an app
password (made on the site, as for the OPDS catalog), and formats' `authenticate_sync_key`
checks it. The document is the digest of an EPUB Fabula built (`BookDigest`), so it names a
story; the place is kept as the member's reading position (`Reading`: chapter and place,
through `reading_save_position`) so the web and the history page see it, and with KOReader's
own xpointer, answered back as it came while no newer place was saved on the web. A newer web
place is answered as an xpointer into the same book (`positions.to_koreader`).
"""

from __future__ import annotations

import json

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from fabula.accounts.models import User
from fabula.api import positions
from fabula.api.actions import synced_progress_save
from fabula.api.models import BookDigest, SyncedProgress
from fabula.community.actions import reading_save_position
from fabula.community.models import Reading
from fabula.formats.app_passwords import authenticate_sync_key
from fabula.lib import limits
from fabula.lib.ratelimit import client_address
from fabula.stories.permissions import can_view_story, visible_chapters

MEDIA_TYPE = "application/vnd.koreader.v1+json"
# Wrong keys, per address: enough for a reader who mistyped, too few for a guesser.
FAILED_AUTH = limits.KOSYNC_FAILED_AUTH


def _answer(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    response["Content-Type"] = MEDIA_TYPE
    return response


def _unauthorized() -> JsonResponse:
    return _answer({"code": 2001, "message": "Unauthorized"}, 401)


def _member(request: HttpRequest) -> User | None:
    """The member the headers name with a right key (None after too many wrong ones)."""
    address = client_address(request)
    if FAILED_AUTH.exceeded(address):
        return None
    user = authenticate_sync_key(
        request.headers.get("x-auth-user", ""), request.headers.get("x-auth-key", "")
    )
    if user is None:
        FAILED_AUTH.hit(address)
    return user


def _body(request: HttpRequest) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


@csrf_exempt
@require_http_methods(["POST"])
def register(request):
    data = _body(request)
    user = authenticate_sync_key(str(data.get("username", "")), str(data.get("password", "")))
    if user is None:
        return _answer(
            {
                "code": 2002,
                "message": "Make an app password on your account page on the site, then log in "
                "with your pen name and that password.",
            },
            402,
        )
    return _answer({"username": user.pen_name}, 201)


@require_GET
def auth(request):
    if _member(request) is None:
        return _unauthorized()
    return _answer({"authorized": "OK"})


def _book(user: User, document: str) -> BookDigest | None:
    """The Fabula book this digest names, if the member may still see its story."""
    book = BookDigest.objects.filter(digest=str(document)[:32].lower()).select_related("story")
    found = book.first()
    if found is None or not can_view_story(user, found.story):
        return None
    return found


@csrf_exempt
@require_http_methods(["PUT"])
def put_progress(request):
    user = _member(request)
    if user is None:
        return _unauthorized()
    data = _body(request)
    book = _book(user, str(data.get("document", "")))
    if book is None:
        return _answer(
            {"code": 2004, "message": "This book was not downloaded from this site."}, 404
        )
    progress = str(data.get("progress", ""))[:1000]
    try:
        percentage = float(data.get("percentage", -1))
    except (TypeError, ValueError):
        percentage = -1.0
    maps = [positions.ChapterMap.from_json(c) for c in book.chapters]
    place = positions.to_fabula(maps, progress, percentage)
    # Only a chapter this reader may read now (not one withdrawn since the book was built).
    chapter = (
        visible_chapters(user, book.story).filter(pk=place.chapter_id).first() if place else None
    )
    if place is None or chapter is None:
        return _answer({"code": 2003, "message": "Invalid progress: no place in this book."}, 400)
    reading = reading_save_position(user=user, chapter=chapter, position=place.place)
    now = timezone.now()
    if reading is not None:  # history off: nothing is kept
        synced_progress_save(
            user=user,
            book=book,
            progress=progress,
            percentage=percentage,
            device=str(data.get("device", ""))[:100],
            device_id=str(data.get("device_id", ""))[:100],
            at=reading.last_read_at,
        )
    return _answer({"document": book.digest, "timestamp": int(now.timestamp())})


@require_GET
def get_progress(request, document: str):
    user = _member(request)
    if user is None:
        return _unauthorized()
    book = _book(user, document)
    reading = (
        Reading.objects.filter(user=user, story=book.story, chapter__isnull=False).first()
        if book
        else None
    )
    if book is None or reading is None or reading.chapter_id is None:
        return _answer({})
    synced = SyncedProgress.objects.filter(user=user, story=book.story).first()
    if synced is not None and synced.digest == book.digest and synced.at >= reading.last_read_at:
        progress, percentage = synced.progress, synced.percentage
        device, device_id = synced.device, synced.device_id
    else:  # a newer place from the web (or from another build of the book)
        maps = [positions.ChapterMap.from_json(c) for c in book.chapters]
        pointer = positions.to_koreader(maps, reading.chapter_id, reading.position)
        if pointer is None:  # the chapter is not in this build of the book
            return _answer({})
        (progress, percentage), device, device_id = pointer, "Fabula", "fabula-web"
    return _answer(
        {
            "document": book.digest,
            "progress": progress,
            "percentage": percentage,
            "device": device,
            "device_id": device_id,
            "timestamp": int(reading.last_read_at.timestamp()),
        }
    )
