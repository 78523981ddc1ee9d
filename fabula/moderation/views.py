"""Staff's pages: the validation queue, the reports queue, members, the audit log; and the
report form every reader may use.

Every button here is a POST handled by one small view that checks `permissions` and calls an
action. Guests are sent to log in; members who are not staff get a 403.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fabula.accounts.models import User
from fabula.audit.models import AuditEntry
from fabula.community.models import Review
from fabula.lib import limits
from fabula.lib.access import members_who
from fabula.lib.ratelimit import client_address
from fabula.lib.redirects import next_url
from fabula.lib.refusals import ActionRefused
from fabula.moderation import actions
from fabula.moderation.models import Report
from fabula.stories.models import Chapter, Status, Story
from fabula.stories.permissions import (
    can_manage_member,
    can_moderate,
    can_moderate_story,
    can_report,
    can_view_story,
    check_view_story,
    moderated_stories,
    story_for,
    visible_chapters,
)

staff_only = members_who(can_moderate, "Only staff may do this.")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _reason(request) -> str:
    form = ReasonForm(request.POST)
    return form.cleaned_data["reason"].strip() if form.is_valid() else ""


# ---------------------------------------------------------------------------------------------
# Queues


@staff_only
def queue(request):
    mine = moderated_stories(request.user)
    stories = (
        mine.filter(status=Status.PENDING)
        .select_related("rating")
        .prefetch_related("credits__user", "tags")
        .order_by("created_at")
    )
    chapters = (
        Chapter.objects.filter(status=Status.PENDING, story__in=mine)
        .exclude(story__status=Status.PENDING)
        .select_related("story", "author")
        .defer("body")
        .order_by("created_at")
    )
    return render(request, "moderation/queue.html", {"stories": stories, "chapters": chapters})


@staff_only
def reports(request):
    state = request.GET.get("state", Report.State.OPEN)
    if state not in Report.State.values:
        state = Report.State.OPEN
    page = Paginator(
        Report.objects.filter(state=state).select_related(
            "story", "chapter", "review", "reporter", "handled_by"
        ),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/reports.html",
        {
            "page": page,
            "state": state,
            "states": Report.State.choices,
        },
    )


@staff_only
def audit_log(request):
    page = Paginator(AuditEntry.objects.select_related("actor"), 100).get_page(
        request.GET.get("page")
    )
    return render(request, "moderation/log.html", {"page": page})


@staff_only
def members(request):
    # A pen name is at most 60 characters; a longer query would only make SQLite's LIKE fail.
    query = request.GET.get("q", "").strip()[:60]
    found = User.objects.filter(pen_name__icontains=query)[:50] if query else []
    return render(request, "moderation/members.html", {"query": query, "found": found})


# ---------------------------------------------------------------------------------------------
# Buttons


# What each button does, by its verb: (target, moderator, reason) -> None.
STORY_VERBS = {
    "validate": lambda story, by, reason: actions.story_validate(story=story, by=by),
    "reject": lambda story, by, reason: actions.story_reject(story=story, by=by, reason=reason),
    "hide": lambda story, by, reason: actions.story_hide(story=story, by=by, reason=reason),
    "unhide": lambda story, by, reason: actions.story_unhide(story=story, by=by),
}
CHAPTER_VERBS = {
    "validate": lambda chapter, by, reason: actions.chapter_validate(chapter=chapter, by=by),
    "reject": lambda chapter, by, reason: actions.chapter_reject(
        chapter=chapter, by=by, reason=reason
    ),
    "hide": lambda chapter, by, reason: actions.chapter_hide(chapter=chapter, by=by, reason=reason),
    "unhide": lambda chapter, by, reason: actions.chapter_unhide(chapter=chapter, by=by),
}


def _press(request, verbs: dict, verb: str, target, story: Story):
    """Carry out a moderation button on a story or one of its chapters, then go back."""
    if not can_moderate_story(request.user, story):
        raise PermissionDenied("This story is outside the categories you moderate.")
    run = verbs.get(verb)
    if run is None:
        raise Http404("No such action.")
    try:
        run(target, request.user, _reason(request))
    except ActionRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{target.title}”: done ({verb}).")
    return redirect(next_url(request, reverse("moderation:queue")))


@staff_only
@require_POST
def story_action(request, story_id, verb):
    story = get_object_or_404(Story, pk=story_id)
    return _press(request, STORY_VERBS, verb, story, story)


@staff_only
@require_POST
def chapter_action(request, chapter_id, verb):
    chapter = get_object_or_404(Chapter.objects.select_related("story"), pk=chapter_id)
    return _press(request, CHAPTER_VERBS, verb, chapter, chapter.story)


@staff_only
@require_POST
def review_action(request, review_id, verb):
    review = get_object_or_404(Review.objects.select_related("story"), pk=review_id)
    if review.story is not None and not can_moderate_story(request.user, review.story):
        raise PermissionDenied("This story is outside the categories you moderate.")
    if verb not in ("hide", "unhide"):
        raise Http404("No such action.")
    actions.review_set_hidden(
        review=review, by=request.user, hidden=verb == "hide", reason=_reason(request)
    )
    messages.success(request, f"Review {verb}.")
    return redirect(next_url(request, reverse("moderation:reports")))


@staff_only
@require_POST
def member_action(request, user_id, verb):
    member = get_object_or_404(User, pk=user_id)
    if not can_manage_member(request.user, member):
        raise PermissionDenied("You may not lock or ban this member.")
    reason = _reason(request)
    if verb in ("lock", "unlock"):
        actions.member_set_locked(
            member=member, by=request.user, locked=verb == "lock", reason=reason
        )
    elif verb in ("ban", "unban"):
        actions.member_set_banned(
            member=member, by=request.user, banned=verb == "ban", reason=reason
        )
    elif verb in ("trust", "untrust"):
        actions.member_set_trusted(member=member, by=request.user, trusted=verb == "trust")
    else:
        raise Http404("No such action.")
    messages.success(request, f"{member.pen_name}: done ({verb}).")
    return redirect(next_url(request, f"{reverse('moderation:members')}?q={member.pen_name}"))


@staff_only
@require_POST
def report_action(request, report_id, verb):
    report_row = get_object_or_404(Report, pk=report_id)
    if verb not in ("resolve", "dismiss"):
        raise Http404("No such action.")
    actions.report_close(report=report_row, by=request.user, dismissed=verb == "dismiss")
    return redirect(next_url(request, reverse("moderation:reports")))


# ---------------------------------------------------------------------------------------------
# Reporting, for everyone


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={
            "required": gettext_lazy("Say what is wrong, so staff know what to look for.")
        },
    )


def _reported_item(request, kind: str, item_id: int) -> dict:
    """What is reported, if this reader can see it; 404 otherwise (as for a missing item), 403
    for a guest at a members-only story or chapter."""
    user = request.user
    if kind == "story":
        return {"story": story_for(request, item_id, members=True)}
    elif kind == "chapter":
        chapter = get_object_or_404(Chapter.objects.select_related("story__rating"), pk=item_id)
        check_view_story(user, chapter.story, members=True)
        if visible_chapters(user, chapter.story).filter(pk=chapter.pk).exists():
            return {"chapter": chapter}
    elif kind == "review":
        review = get_object_or_404(Review.objects.select_related("story__rating"), pk=item_id)
        # Reviews of a members-only story are, to a guest, as if they did not exist.
        if not review.hidden and (
            review.story is None or can_view_story(user, review.story, members=True)
        ):
            return {"review": review}
    raise Http404("Nothing to report here.")


def report(request, kind, item_id):
    item = _reported_item(request, kind, item_id)
    if not can_report(request.user):
        raise PermissionDenied("Your account is locked.")
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        limits.REPORTS.check(request.user, client_address(request))  # a 429 page past it
        actions.report_create(reason=form.cleaned_data["reason"], reporter=request.user, **item)
        messages.success(request, _("Thank you: staff will look at it."))
        target = next(iter(item.values()))
        story = target if kind == "story" else target.story
        return redirect(story.get_absolute_url() if story else "home")
    return render(
        request,
        "moderation/report.html",
        {
            "form": form,
            "kind": kind,
            "item": next(iter(item.values())),
        },
    )
