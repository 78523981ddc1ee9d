"""Where a button sends the reader next: the `next` its page gave, when it stays on this site.

One check for every view that follows a `next` field (Django's `url_has_allowed_host_and_scheme`
rejects other hosts, `//host` and `/\\host`), so no form can be used to send a reader off-site.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request: HttpRequest, fallback: str) -> str:
    """The `next` of the form (or of the address), if it is on this site; else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
