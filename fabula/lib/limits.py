"""Every rate limit of the site, in one table: what is counted, per whom, how many, how long.

The limiter itself is `lib/ratelimit.py`; each limit is checked where its work starts (named
beside it). A refusal is a 429 page that says when to try again, with a Retry-After header.
FABULA_LIMITS_SCALE multiplies every count-limit at once (not the log-in back-off).
"""

from django.utils.translation import gettext_noop

from fabula.lib.ratelimit import Backoff, Limit, Rate, client_address, too_many
from fabula.lib.refusals import RateLimited

MINUTE, HOUR, DAY = 60, 3600, 24 * 3600

# Logging in (accounts/backends.py, for the site's log-in page and the admin's alike). A name is
# counted after NFKC and case folding, so look-alike spellings of one account share a count.
# No lockout: the owner, from another address, waits at most LOGIN_PER_ACCOUNT.longest.
LOGIN_PER_ADDRESS = Limit(
    "login-address", 30, 15 * MINUTE, gettext_noop("Too many failed log-ins from your address")
)
LOGIN_PER_ADDRESS_AND_ACCOUNT = Backoff("login-guess", free=5, longest=15 * MINUTE, forget=DAY)
LOGIN_PER_ACCOUNT = Backoff("login-account", free=10, longest=MINUTE, forget=DAY)

# Joining and password-reset mail (accounts/views.py): per address, and mails per address asked.
REGISTRATIONS = Limit("register", 5, HOUR, gettext_noop("Too many new accounts from your address"))
PASSWORD_RESETS = Limit(
    "password-reset", 5, HOUR, gettext_noop("Too many password resets from your address")
)
PASSWORD_RESET_MAILS = Limit(
    "password-reset-mail", 3, HOUR, gettext_noop("Too many password resets for this address")
)

# Members' and guests' writes (community/actions.py, moderation/views.py) and searches
# (search/views.py: a page served from the cache costs nothing and is not counted).
REVIEWS = Rate(
    member=Limit("reviews", 5, 10 * MINUTE, gettext_noop("Too many reviews in a short time")),
    guest=Limit("guest-reviews", 3, HOUR, gettext_noop("Too many reviews in a short time")),
)
KUDOS = Rate(
    member=Limit("kudos", 30, 10 * MINUTE, gettext_noop("Too many kudos in a short time")),
    guest=Limit("guest-kudos", 30, 10 * MINUTE, gettext_noop("Too many kudos in a short time")),
)
REPORTS = Rate(
    member=Limit("reports", 10, HOUR, gettext_noop("Too many reports in a short time")),
    guest=Limit("guest-reports", 3, HOUR, gettext_noop("Too many reports in a short time")),
)
SEARCHES = Rate(
    member=Limit("searches", 60, MINUTE, gettext_noop("Too many searches in a short time")),
    guest=Limit("guest-searches", 60, MINUTE, gettext_noop("Too many searches in a short time")),
)
# Comments under news posts (news/actions.py), per member.
NEWS_COMMENTS = Limit(
    "news-comments",
    5,
    10 * MINUTE,
    gettext_noop("Too many comments in a short time; please wait a few minutes"),
)
# Content-Security-Policy violations logged (conf/views.csp_report), per address: a page that
# breaks the policy many times over is logged, not flooded.
CSP_REPORTS_LOGGED = Limit("csp-report", 30, MINUTE)

# Every form sent (any POST, PUT, PATCH or DELETE; RateLimitMiddleware): a ceiling over all the
# kinds above and the writes with no limit of their own (favourites, follows, authoring).
WRITES = Rate(
    member=Limit("writes", 300, 10 * MINUTE, gettext_noop("Too many changes in a short time")),
    guest=Limit(
        "guest-writes", 60, 10 * MINUTE, gettext_noop("Too many forms sent in a short time")
    ),
)

# The JSON API (api/limits.py): every request, per token for members, per address for guests.
# KOReader's sync (api/kosync.py): wrong keys per address.
API_PER_TOKEN = Limit("api-token", 1200, MINUTE, gettext_noop("Too many API requests"))
API_PER_ADDRESS = Limit(
    "api-address", 600, MINUTE, gettext_noop("Too many API requests from your address")
)
KOSYNC_FAILED_AUTH = Limit("kosync-auth", 30, 15 * MINUTE, gettext_noop("Too many wrong sync keys"))

# Addresses whose app counts every request itself: the middleware leaves their writes to it, so
# a request is not counted twice, nor a token's writes as a guest's. The API and KOReader's sync
# (above); the CSP report address, posted by the browser on its own once per refused image or
# script, which must not use up a reader's writes (CSP_REPORTS_LOGGED). Each app registers its
# prefixes from its `ready()`.
OWN_COUNT_PREFIXES: list[str] = []


def counts_its_own(prefix: str) -> None:
    if prefix not in OWN_COUNT_PREFIXES:
        OWN_COUNT_PREFIXES.append(prefix)


class RateLimitMiddleware:
    """Counts every write against WRITES, and turns any RateLimited a view lets out (a log-in
    back-off from the admin's log-in page, a search) into the 429 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counted_elsewhere = request.path.startswith(tuple(OWN_COUNT_PREFIXES))
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and not counted_elsewhere:
            try:
                WRITES.check(request.user, client_address(request))
            except RateLimited as refusal:
                return too_many(request, refusal)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return too_many(request, exception)
        return None
