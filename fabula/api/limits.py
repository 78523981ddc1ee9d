"""How often the API may be asked: per token for members, per address for guests.

The limits are in the site's one table (`lib/limits.py`: API_PER_TOKEN, API_PER_ADDRESS), which
also leaves the API's writes to this count (`counts_its_own`, from `apps.py`); what an action
limits besides (reviews, kudos) it still limits, token or not. Past the limit the answer is 429
with `Retry-After`, the seconds until the window ends.
"""

from __future__ import annotations

from fabula.api.models import ApiToken
from fabula.api.problems import Problem
from fabula.lib import limits
from fabula.lib.ratelimit import client_address
from fabula.lib.refusals import RateLimited


def check_rate(request, token: ApiToken | None) -> None:
    try:
        if token is not None:
            limits.API_PER_TOKEN.check(token.lookup)
        else:
            limits.API_PER_ADDRESS.check(client_address(request))
    except RateLimited as refusal:
        raise Problem(
            429, "Too many requests", str(refusal), {"Retry-After": str(refusal.retry_after)}
        ) from None
