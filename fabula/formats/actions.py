"""Every write of the formats app: members' app passwords (made, revoked, marked as used).

A password reads `fab-XXXXXXXX-YYYY...`: the part after "fab-" up to the second dash is the
`lookup` (stored in the clear to find the row), the whole string is what is hashed. Checking one
(and reading HTTP Basic credentials) is `app_passwords.py`'s.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.contrib.auth.hashers import make_password

from fabula.accounts.models import User
from fabula.formats.models import AppPassword
from fabula.lib.words import tidy_title

PREFIX = "fab-"
LOOKUP_LENGTH = 8
NAME_MAX = AppPassword._meta.get_field("name").max_length


def app_password_create(*, user: User, name: str) -> tuple[AppPassword, str]:
    """A new app password for `user`; returns the row and the password, shown only once."""
    name = tidy_title(name)[:NAME_MAX] or "Reading app"
    lookup = secrets.token_hex(LOOKUP_LENGTH // 2)
    secret = f"{PREFIX}{lookup}-{secrets.token_urlsafe(24)}"
    row = AppPassword.objects.create(
        user=user,
        name=name,
        lookup=lookup,
        password=make_password(secret),
        sync_key=sync_key_of(hashlib.md5(secret.encode(), usedforsecurity=False).hexdigest()),
    )
    return row, secret


def sync_key_of(key: str) -> str:
    """What is kept to check KOReader's key (the MD5 of the password, in hex)."""
    return hashlib.sha256(key.strip().lower().encode()).hexdigest()


def app_password_revoke(*, user: User, password_id: int) -> bool:
    """Revoke one of the member's own app passwords; False if they have no such one."""
    deleted, _ = AppPassword.objects.filter(user=user, pk=password_id).delete()
    return bool(deleted)


def app_password_used(*, password: AppPassword, now: datetime) -> None:
    """Note that an app used the password (at most once per USE_RESOLUTION)."""
    if password.use_due(now):
        AppPassword.objects.filter(pk=password.pk).update(last_used_at=now)
