"""Members' saved searches: the checks (which parameters are kept, a feed's token). The writes
are `actions.saved_search_create` and `saved_search_delete`."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qsl, urlencode

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


def token_matches(search_: SavedSearch, token: str) -> bool:
    return secrets.compare_digest(search_.feed_token.encode(), token.encode())
