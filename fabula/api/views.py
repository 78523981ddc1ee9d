"""The member's page of personal access tokens (on the account pages): make one, named and
scoped, shown once; revoke one. The help pages for programmers and for KOReader's sync."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fabula.api.actions import token_create, token_revoke
from fabula.api.models import ApiToken
from fabula.lib.numbers import positive_id
from fabula.lib.refusals import ActionRefused


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    new_token = None
    if request.method == "POST":
        if "revoke" in request.POST:
            token_id = positive_id(request.POST["revoke"])
            if token_id and token_revoke(user=request.user, token_id=token_id):
                messages.success(request, "The token is revoked: programs using it are refused.")
            else:
                messages.error(request, "You have no such token.")
            return redirect("api-tokens")
        try:
            _, new_token = token_create(
                user=request.user,
                name=request.POST.get("name", ""),
                scope=request.POST.get("scope", ""),
            )
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
    response = render(
        request,
        "api/tokens.html",
        {
            "tokens": ApiToken.objects.filter(user=request.user),
            "new_token": new_token,
            "scopes": ApiToken.Scope.choices,
            "api_url": request.build_absolute_uri(reverse("api:api-root")),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def koreader_help(request):
    """How a reader sets KOReader up to sync their place with the site."""
    return render(
        request,
        "api/koreader_help.html",
        {"server": request.build_absolute_uri("/kosync")},
    )
