"""Search pages: results, the query-language help, saved searches and their feeds.

Views stay thin: `results.search` runs the query, `filters` reads the sidebar, `saved` keeps
members' searches, `feeds` writes Atom.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from fabula.lib import limits
from fabula.lib.ratelimit import client_address
from fabula.lib.refusals import ActionRefused
from fabula.lib.serving import served
from fabula.search import actions, feeds, saved
from fabula.search.models import SavedSearch
from fabula.search.results import SEARCH_PARAMETERS, search


@served(*SEARCH_PARAMETERS)
def results(request):
    # Counted only when the page is built: one served from the guest cache costs nothing.
    limits.SEARCHES.check(request.user, client_address(request))
    return render(
        request,
        "search/results.html",
        {
            "results": search(request),
            "q": request.GET.get("q", "")[:1000],
        },
    )


@served()
def help_page(request):
    return render(request, "search/help.html")


@login_required
def saved_list(request):
    return render(
        request,
        "search/saved.html",
        {
            "searches": SavedSearch.objects.filter(user=request.user),
        },
    )


@login_required
@require_POST
def save(request):
    try:
        search_ = actions.saved_search_create(
            user=request.user,
            name=request.POST.get("name", ""),
            query_string=request.POST.get("query_string", ""),
        )
    except ActionRefused as problem:
        messages.error(request, str(problem))
        return redirect("search:saved")
    messages.success(request, f"Saved “{search_.name}”.")
    return redirect("search:saved")


@login_required
@require_POST
def delete(request, saved_id: int):
    search_ = get_object_or_404(SavedSearch, pk=saved_id, user=request.user)
    actions.saved_search_delete(search_=search_)
    return redirect("search:saved")


def feed(request, saved_id: int, token: str):
    search_ = SavedSearch.objects.select_related("user").filter(pk=saved_id).first()
    if search_ is None or not saved.token_matches(search_, token):
        raise Http404("No such feed.")
    body = feeds.atom(request, search_)
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
