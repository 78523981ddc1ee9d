"""How often the API may be asked: per token for members, per address for guests.

The counts live in the site's one limiter (`lib.ratelimit`), under names of their own; what an
action limits besides (reviews, kudos, sign-ups) it still limits, token or not. Past the limit
the answer is 429 with `Retry-After`, the length of the window.
"""

from __future__ import annotations

from django.conf import settings

from fabula.api.models import ApiToken
from fabula.api.problems import Problem
from fabula.lib.ratelimit import Limit, client_address

# (requests, seconds); a site may change them in its settings.
TOKEN_RATE = getattr(settings, "FABULA_API_TOKEN_RATE", (1200, 60))
ADDRESS_RATE = getattr(settings, "FABULA_API_ADDRESS_RATE", (600, 60))


def check_rate(request, token: ApiToken | None) -> None:
    if token is not None:
        limit, key = Limit("api-token", *TOKEN_RATE), token.lookup
    else:
        limit, key = Limit("api-address", *ADDRESS_RATE), client_address(request)
    if not limit.take(key):
        raise Problem(
            429,
            "Too many requests",
            f"At most {limit.attempts} requests in {limit.seconds} seconds; wait a little.",
            {"Retry-After": str(limit.seconds)},
        )
