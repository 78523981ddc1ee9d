"""Members' saved searches: the writes (kept here, like every app's actions) and the checks."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qsl, urlencode

from fabula.accounts.models import User
from fabula.lib.words import tidy_title
from fabula.search.models import SavedSearch
from fabula.stories.listing.filters import PARAMETERS

MAX_SAVED = 100
KEPT = ("q", "sort", *PARAMETERS)


def clean_query_string(query_string: str) -> str:
    """Only the parameters a search reads (the page number, say, is dropped)."""
    pairs = [
        (k, v) for k, v in parse_qsl(query_string.lstrip("?"), keep_blank_values=False) if k in KEPT
    ]
    return urlencode(pairs)[:2000]


def save_search(*, user: User, name: str, query_string: str) -> SavedSearch:
    query_string = clean_query_string(query_string)
    if not query_string:
        raise ValueError("There is nothing to save: search for something first.")
    name = tidy_title(name)[:100] or "My search"
    if user.saved_searches.count() >= MAX_SAVED:
        raise ValueError(f"You can keep at most {MAX_SAVED} saved searches: delete one first.")
    return SavedSearch.objects.create(user=user, name=name, query_string=query_string)


def delete_search(*, search_: SavedSearch) -> None:
    search_.delete()


def token_matches(search_: SavedSearch, token: str) -> bool:
    return secrets.compare_digest(search_.feed_token.encode(), token.encode())
