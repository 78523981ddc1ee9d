"""What the API's tests share: a header with a new token for a member, and JSON calls."""

from __future__ import annotations

import json

from fabula.api.actions import token_create

API = "/api/v1"


def bearer(user, scope: str = "read") -> dict:
    """The Authorization header of a new token of `user` with this scope."""
    _, token = token_create(user=user, name="test", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def call(client, method: str, path: str, headers: dict, data=None):
    """`method` on an API path with a JSON body (if any)."""
    body = json.dumps(data) if data is not None else ""
    return client.generic(
        method.upper(), API + path, body, content_type="application/json", **headers
    )
