"""How much one request may carry, and the one message that says so.

Django refuses a form whose fields pass `DATA_UPLOAD_MAX_MEMORY_SIZE` with a bare "400 Bad
Request"; a member who pasted a novel deserves better. `RequestSizeMiddleware` answers such a
POST by sending the member back to the page they came from with a message naming the limits.
It never reads more than Django would: a body longer than `MAX_REQUEST_BYTES` is not read at
all, and Django's parser stops at the first field past its limit.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from fabula.conf.models import site_settings

# An uploaded chapter file; stories.uploads refuses a larger one before reading it.
MAX_UPLOAD_BYTES: int = getattr(settings, "FABULA_MAX_UPLOAD_BYTES", 8 * 1024 * 1024)
# A whole request: an upload and the fields around it. Anything larger is not read.
MAX_REQUEST_BYTES: int = MAX_UPLOAD_BYTES + (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)


def too_large_message(size: int | None = None) -> str:
    said = f"What you sent ({size / 1024 / 1024:,.1f} MB) is" if size else "That was"
    return (
        f"{said} more than this archive takes in one go: a chapter has at most "
        f"{site_settings().max_chapter_characters:,} characters, an uploaded file at most "
        f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB. Nothing was saved."
    )


class RequestSizeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            refused = _refusal(request)
            if refused:
                messages.error(request, refused)
                return HttpResponseRedirect(request.get_full_path(), status=303)
        return self.get_response(request)


def _refusal(request: HttpRequest) -> str | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_REQUEST_BYTES:
        return too_large_message(length)
    try:
        request.POST  # noqa: B018 - parsed here so that a field too large is caught here
    except RequestDataTooBig:
        return too_large_message(length)
    return None
