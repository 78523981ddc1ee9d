"""Every write of the API app: members' tokens (made, revoked, marked as used), the digests
of the e-books the formats app builds, and the places KOReader syncs."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime

from fabula.accounts.models import User
from fabula.api.models import ApiToken, BookDigest, SyncedProgress
from fabula.api.positions import book_map
from fabula.lib.refusals import ActionRefused
from fabula.lib.words import tidy_title
from fabula.stories.models import Chapter, Story

PREFIX = "fabt_"
NAME_MAX = ApiToken._meta.get_field("name").max_length


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, user: User, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token, which is shown only once."""
    if scope not in ApiToken.Scope.values:
        raise ActionRefused("A token's scope is “read” or “write”.")
    name = tidy_title(name)[:NAME_MAX]
    if not name:
        raise ActionRefused("Give the token a name: which program will use it?")
    lookup = secrets.token_hex(8)
    token = f"{PREFIX}{lookup}_{secrets.token_urlsafe(32)}"
    row = ApiToken.objects.create(
        user=user, name=name, scope=scope, lookup=lookup, digest=token_digest(token)
    )
    return row, token


def token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of the member's own tokens; False if they have no such one."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


def token_used(*, token: ApiToken, now: datetime) -> None:
    if token.use_due(now):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


# ---------------------------------------------------------------------------------------------
# E-book digests


SAMPLE = 1024


def partial_md5(data: bytes) -> str:
    """The document id KOReader gives a file (`util.partialMD5` in its frontend/util.lua): an
    MD5 over 1 KB samples taken at offsets 1024 << 2i for i = -1..10, where LuaJIT's 32-bit
    shift makes the first offset 0; it stops at the first offset past the end of the file."""
    md5 = hashlib.md5(usedforsecurity=False)
    for i in range(-1, 11):
        offset = 0 if i < 0 else SAMPLE << (2 * i)
        sample = data[offset : offset + SAMPLE]
        if not sample:
            break
        md5.update(sample)
    return md5.hexdigest()


def book_digest_record(
    *, story: Story, version: str, format_name: str, chapters: Sequence[Chapter], data: bytes
) -> None:
    """Remember which story (and which chapters, in the book's order) an EPUB holds, by the
    digest KOReader will send for it. The formats app calls this for every book it builds."""
    if format_name != "epub":
        return
    maps = book_map(data, [chapter.pk for chapter in chapters])
    BookDigest.objects.update_or_create(
        digest=partial_md5(data),
        defaults={
            "story": story,
            "version": version,
            "chapters": [chapter_map.to_json() for chapter_map in maps],
        },
    )


def synced_progress_save(
    *,
    user: User,
    book: BookDigest,
    progress: str,
    percentage: float,
    device: str,
    device_id: str,
    at: datetime,
) -> SyncedProgress:
    """Keep the place KOReader sent, as it sent it (one per member and story)."""
    synced, _ = SyncedProgress.objects.update_or_create(
        user=user,
        story=book.story,
        defaults={
            "digest": book.digest,
            "progress": progress,
            "percentage": percentage,
            "device": device,
            "device_id": device_id,
            "at": at,
        },
    )
    return synced
