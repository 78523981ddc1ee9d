"""Who is asking: the member a personal access token names, or a guest.

The API never looks at the session cookie: a browser signed in to the site is a guest here
unless it sends a token, so no page of another site can make a signed-in member's browser write
through the API (there is no CSRF token to check), and every answer depends only on the token.
A token goes in `Authorization: Bearer fabt_...`; a wrong or revoked one is refused (401), never
quietly read as a guest.
"""

from __future__ import annotations

import hmac

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from ninja.security import HttpBearer

from fabula.api.actions import PREFIX, token_digest, token_used
from fabula.api.models import ApiToken
from fabula.api.problems import Problem
from fabula.stories.permissions import Viewer


def _bearer(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not value.strip():
        raise Problem(401, "Bad credentials", "Send a token as “Authorization: Bearer fabt_…”.")
    return value.strip()


def token_from(raw: str) -> ApiToken | None:
    """The live token these characters are, with its member (who must be active)."""
    if not raw.startswith(PREFIX):
        return None
    lookup = raw[len(PREFIX) :].split("_", 1)[0]
    row = (
        ApiToken.objects.filter(lookup=lookup, user__is_active=True).select_related("user").first()
    )
    if row is None or not hmac.compare_digest(row.digest, token_digest(raw)):
        return None
    return row


def request_token(request) -> ApiToken | None:
    """The token of this request (None for a guest); a bad one is a 401. Read once."""
    if not hasattr(request, "_api_token"):
        raw = _bearer(request)
        token = None
        if raw is not None:
            token = token_from(raw)
            if token is None:
                raise Problem(401, "Bad credentials", "This token is unknown or was revoked.")
            token_used(token=token, now=timezone.now())
        request._api_token = token
    return request._api_token


def viewer(request) -> Viewer:
    """The member the request's token names, or a guest."""
    token = request_token(request)
    return token.user if token else AnonymousUser()


class TokenAuth(HttpBearer):
    """The API's security scheme for what only members do: a token, with the write scope for
    writes. Ninja puts it in the OpenAPI document."""

    def __init__(self, *, write: bool = False):
        super().__init__()
        self.write = write

    def authenticate(self, request, token: str):
        row = request_token(request)
        if row is None:
            return None
        if self.write and not row.can_write:
            raise Problem(403, "Read-only token", "This token may only read: make a write one.")
        return row


member = TokenAuth()
writer = TokenAuth(write=True)
