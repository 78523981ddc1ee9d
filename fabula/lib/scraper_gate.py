"""The middleware that applies `lib/scrapers.py`: AI crawlers refused, fast guests challenged.

Who never meets the budget: members (logged in: accountable, and bannable), requests with
credentials to the places that check them (OPDS and downloads with an app password, the API
with a token: wrong credentials get a 401 there, so sending any header gains nothing), feed
readers (`FREE_PREFIXES`: feeds are small and polled), and files and service addresses. Writes
(POST) have their own limits. Everything else a guest asks for counts against the budget.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme

from fabula.lib import scrapers
from fabula.lib.ratelimit import client_address

# Never counted, never challenged: files, the rules themselves, the challenge's answer, CSP
# reports, and feeds (Atom readers cannot run the challenge; feeds hold summaries only).
FREE_PREFIXES = (
    "/static/",
    "/media/",
    "/robots.txt",
    "/ai.txt",
    "/favicon.ico",
    "/challenge/",
    "/csp-report/",
    "/feeds/",
)
FREE_WITH_CREDENTIALS = ("/opds/", "/downloads/", "/api/")
COUNTED_METHODS = {"GET", "HEAD"}


def refusal(name: str) -> HttpResponse:
    return HttpResponse(
        f"403 Forbidden: this archive does not let AI crawlers ({name}) read its stories. "
        "They belong to their authors and are not offered for training or feeding AI models. "
        "The rules are in /robots.txt and /ai.txt.\n",
        status=403,
        content_type="text/plain; charset=utf-8",
    )


def challenge_page(request: HttpRequest, client: str) -> HttpResponse:
    challenge = scrapers.new_challenge(client)
    # Back to the page asked for once solved; a path like //elsewhere.example would leave the site.
    back = request.get_full_path()
    if not url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        back = "/"
    response = HttpResponse(
        render_to_string(
            "challenge.html",
            {"challenge": challenge, "next": back},
            request=request,
        ),
        status=429,
    )
    response["Cache-Control"] = "no-store"
    response["Retry-After"] = "60"
    return response


def counted(request: HttpRequest) -> bool:
    path = request.path_info
    if request.method not in COUNTED_METHODS or path.startswith(FREE_PREFIXES):
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    if request.META.get("HTTP_AUTHORIZATION") and path.startswith(FREE_WITH_CREDENTIALS):
        return False
    return True


class ScraperGate:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        path = request.path_info
        crawler = scrapers.ai_crawler(request.META.get("HTTP_USER_AGENT", ""))
        if crawler and not path.startswith(("/robots.txt", "/ai.txt")):
            return refusal(crawler)
        if counted(request):
            client = scrapers.client_key(client_address(request))
            over = scrapers.over_budget(client)
            cookie = request.COOKIES.get(scrapers.PASS_COOKIE, "")
            if over and not (cookie and scrapers.pass_lets_through(client, cookie)):
                return challenge_page(request, client)
        return self.get_response(request)
