"""Checking app passwords (see `models.AppPassword`; they are made and revoked by `actions`),
and reading HTTP Basic credentials with them.

Only an app password opens Basic auth: the account password sent that way is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from django.contrib.auth.hashers import check_password
from django.core.cache import cache
from django.utils import timezone

from fabula.accounts.models import User
from fabula.formats.actions import PREFIX, app_password_used, sync_key_of
from fabula.formats.models import AppPassword


def authenticate_app_password(pen_name: str, secret: str) -> User | None:
    """The active member these credentials name, if `secret` is one of their app passwords."""
    if not secret.startswith(PREFIX):
        return None
    lookup = secret[len(PREFIX) :].split("-", 1)[0]
    rows = AppPassword.objects.filter(
        lookup=lookup, user__pen_name__iexact=pen_name, user__is_active=True
    ).select_related("user")
    for row in rows:
        if _recently_checked(secret, row) or check_password(secret, row.password):
            _remember_checked(secret, row)
            app_password_used(password=row, now=timezone.now())
            return row.user
    return None


def authenticate_sync_key(pen_name: str, key: str) -> User | None:
    """The active member whose app password has this MD5 (the key KOReader's sync plugin sends
    for the password typed into it). App passwords made before keys were kept have none: the
    member makes a new one."""
    if not pen_name or len(key) != 32:
        return None
    row = (
        AppPassword.objects.filter(
            sync_key=sync_key_of(key), user__pen_name__iexact=pen_name, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    if row is None:
        return None
    app_password_used(password=row, now=timezone.now())
    return row.user


# A reading app sends its password with every request, and a password hash is slow by design
# (argon2): a successful check is remembered for a while, under a key made from the password
# and the row's hash, so a revoked or replaced password is never remembered.
CHECK_MEMORY_SECONDS = 300


def _check_key(secret: str, row: AppPassword) -> str:
    digest = hashlib.sha256(f"{row.pk}:{row.password}:{secret}".encode()).hexdigest()
    return f"fabula:app-password-ok:{digest}"


def _recently_checked(secret: str, row: AppPassword) -> bool:
    return cache.get(_check_key(secret, row)) is not None


def _remember_checked(secret: str, row: AppPassword) -> None:
    cache.set(_check_key(secret, row), True, CHECK_MEMORY_SECONDS)


def basic_credentials(request) -> tuple[str, str] | None:
    """The (user name, password) of an HTTP Basic Authorization header, or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    name, colon, password = decoded.partition(":")
    return (name, password) if colon else None


def user_from_basic_auth(request) -> User | None:
    """The member an app password in the request names, or None (no or wrong credentials)."""
    credentials = basic_credentials(request)
    return authenticate_app_password(*credentials) if credentials else None
