"""Site-wide answers that are not pages: the browsers' Content-Security-Policy violation
reports, robots.txt and ai.txt (the staff's text from the site settings), and the answer to the
challenge that fast clients meet (`lib/scraper_gate.py`).

The policy itself is in settings (CONTENT_SECURITY_POLICY); a browser that refuses something it
sends a report here, which is logged so the staff learn of a template that breaks the policy
or of a script injected somewhere. Reports are small JSON documents: the body is read up to a
bound, and each address gets a budget of logged reports, so a flood cannot fill the logs.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from fabula.conf.models import site_settings
from fabula.lib import limits, scrapers
from fabula.lib.ratelimit import client_address

log = logging.getLogger("fabula.csp")

REPORT_BYTES = 16_384


def violations(body: bytes) -> list[dict[str, Any]]:
    """The violations in a report: `report-uri`'s {"csp-report": {...}} or the Reporting API's
    [{"type": "csp-violation", "body": {...}}]. Anything else holds none."""
    try:
        data = json.loads(body)
    except ValueError:
        return []
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        return [data["csp-report"]]
    if isinstance(data, list):
        return [
            item["body"]
            for item in data
            if isinstance(item, dict) and isinstance(item.get("body"), dict)
        ]
    return []


def _field(report: dict[str, Any], *names: str) -> str:
    for name in names:
        if report.get(name):
            return str(report[name])[:300]
    return "?"


@csrf_exempt  # browsers send reports without a token (and with no cookie to protect)
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    body = request.read(REPORT_BYTES + 1)
    if len(body) > REPORT_BYTES:
        return HttpResponse("A report is a small JSON document.", status=413)
    if limits.CSP_REPORTS_LOGGED.take(client_address(request)):
        for report in violations(body):
            log.warning(
                "CSP violation: %s refused %s on %s",
                _field(report, "violated-directive", "effective-directive", "effectiveDirective"),
                _field(report, "blocked-uri", "blockedURL"),
                _field(report, "document-uri", "documentURL"),
            )
    return HttpResponse(status=204)


# ---------------------------------------------------------------------------------------------
# The archive's rules for crawlers, and the answer to the scraper challenge (lib/scrapers.py)


def _plain(text: str, status: int = 200) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    return _plain(site_settings().robots_txt)


@require_safe
def ai_txt(request: HttpRequest) -> HttpResponse:
    return _plain(site_settings().ai_txt)


@csrf_exempt  # the challenge page holds no form token; the signed challenge is the proof
@require_POST
def challenge_answer(request: HttpRequest) -> HttpResponse:
    """Check the proof of work the challenge page found; on success, the pass cookie."""
    client = scrapers.client_key(client_address(request))
    try:
        value = scrapers.earn_pass(
            client, request.POST.get("token", ""), request.POST.get("answer", "")
        )
    except scrapers.ChallengeFailed as refused:
        return _plain(str(refused), status=400)
    response = HttpResponse(status=204)
    response.set_cookie(
        scrapers.PASS_COOKIE,
        value,
        max_age=scrapers.PASS_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
