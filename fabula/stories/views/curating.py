"""Pages for members who keep collections across stories: series (their own, and open series
they add their stories to) and challenges.

Thin as `authoring` is: the forms check what was typed, `permissions` says who may, `actions`
write. A series one may not change is a 403 (series are public, so never a 404 for that).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fabula.lib.refusals import ActionRefused
from fabula.stories import actions
from fabula.stories.forms import ChallengeForm, SeriesAddForm, SeriesForm, error_text
from fabula.stories.models import Series, SeriesEntry
from fabula.stories.permissions import (
    can_add_to_series,
    can_manage_series,
    can_post,
    can_post_challenge,
)
from fabula.stories.views.authoring import confirm_then

# ---------------------------------------------------------------------------------------------
# Series


@login_required
def series_new(request):
    if not can_post(request.user):
        raise PermissionDenied("Posting is closed, or your account is locked.")
    form = SeriesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        series = actions.series_create(
            owner=request.user, title=d["title"], summary=d["summary"], openness=d["openness"]
        )
        messages.success(request, _("Series created."))
        return redirect("stories:series-manage", series.pk)
    return render(request, "stories/manage/series_form.html", {"form": form, "new": True})


def _series(request, series_id: int, allowed) -> Series:
    series = get_object_or_404(Series, pk=series_id)
    if not allowed(request.user, series):
        raise PermissionDenied("You may not change this series.")
    return series


@login_required
def series_manage(request, series_id):
    series = _series(request, series_id, can_add_to_series)
    owner = can_manage_series(request.user, series)
    form = SeriesForm(
        request.POST if request.method == "POST" and owner else None,
        initial={
            "title": series.title,
            "summary": series.summary,
            "openness": series.openness,
        },
    )
    if request.method == "POST":
        if not owner:
            raise PermissionDenied("Only the series' owner may change it.")
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.series_update(
                    series=series, title=d["title"], summary=d["summary"], openness=d["openness"]
                )
            except ActionRefused as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Series saved."))
                return redirect("stories:series-manage", series.pk)
    return render(
        request,
        "stories/manage/series_form.html",
        {
            "series": series,
            "form": form,
            "owner": owner,
            "new": False,
            "entries": series.entries.select_related("story", "subseries"),
            "add_form": SeriesAddForm(user=request.user, series=series),
        },
    )


@login_required
@require_POST
def series_add(request, series_id):
    series = _series(request, series_id, can_add_to_series)
    form = SeriesAddForm(request.POST, user=request.user, series=series)
    if form.is_valid():
        try:
            entry = actions.series_add_work(
                series=series,
                by=request.user,
                story=form.cleaned_data.get("story"),
                subseries=form.cleaned_data.get("subseries"),
            )
        except ActionRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                "Added."
                if entry.confirmed
                else "Added: it shows once the series' owner accepts it.",
            )
    else:
        messages.error(request, error_text(form))
    return redirect("stories:series-manage", series.pk)


@login_required
@require_POST
def series_entry(request, series_id, entry_id, verb):
    series = _series(request, series_id, can_manage_series)
    entry = get_object_or_404(SeriesEntry, pk=entry_id, series=series)
    if verb not in ("confirm", "remove"):
        raise Http404("No such action.")
    if verb == "confirm":
        actions.series_confirm_entry(entry=entry)
    else:
        actions.series_remove_entry(entry=entry)
    return redirect("stories:series-manage", series.pk)


@login_required
def series_delete(request, series_id):
    series = _series(request, series_id, can_manage_series)
    return confirm_then(
        request,
        lambda: actions.series_delete(series=series),
        title=f"Delete the series “{series.title}”?",
        text="Its stories stay in the archive; only the series goes.",
        button="Delete the series",
        cancel=reverse("stories:series-manage", args=[series.pk]),
        done=f"The series “{series.title}” is deleted; its stories stay.",
        then=reverse("stories:mine"),
    )


# ---------------------------------------------------------------------------------------------
# Challenges


@login_required
def challenge_new(request):
    if not can_post_challenge(request.user):
        raise PermissionDenied("Posting is closed, or your account is locked.")
    form = ChallengeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.challenge_create(
            owner=request.user,
            title=form.cleaned_data["title"],
            summary=form.cleaned_data["summary"],
        )
        messages.success(request, _("Challenge posted. Authors answer it when they post a story."))
        return redirect("stories:mine")
    return render(request, "stories/manage/challenge_form.html", {"form": form})
