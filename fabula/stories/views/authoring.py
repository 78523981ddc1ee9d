"""Pages for the authors of a story: post it, edit it, add, edit, delete, reorder and schedule
its chapters, invite co-authors (and answer an invitation). Series and challenges, which
members keep across stories, are `curating`.

Views stay thin: the forms check what was typed, `permissions` says who may, `actions` write.
A refusal is a 404 when the reader may not even see the story, a 403 when they may see it but
not change it, and a trip to the login page for guests.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fabula.accounts.models import Pseud
from fabula.lib.refusals import ActionRefused
from fabula.stories import actions
from fabula.stories.forms import (
    ChapterForm,
    InviteForm,
    NewStoryExtrasForm,
    ReorderForm,
    ScheduleForm,
    StoryForm,
    StoryLinksForm,
    error_text,
)
from fabula.stories.models import (
    Chapter,
    CoauthorInvite,
    Gift,
    Status,
    Story,
    StoryAuthor,
    StoryRelation,
)
from fabula.stories.permissions import (
    can_answer_invite,
    can_answer_relation,
    can_delete_story,
    can_edit_story,
    can_leave_story,
    can_manage_coauthors,
    can_post,
    can_refuse_gift,
    relations_to_answer,
    story_for,
)
from fabula.stories.selectors import author_desk


def _chapter(story: Story, chapter_id: int) -> Chapter:
    return get_object_or_404(Chapter, pk=chapter_id, story=story)


def _manage_url(story: Story) -> str:
    return reverse("stories:manage", args=[story.pk])


def _refuse(form, error: ActionRefused, *others) -> None:
    """The refusal beside the field it names (in `form` or one of `others`), else on top."""
    field = getattr(error, "field", None)
    for each in (form, *others):
        if field in each.fields:
            each.add_error(field, str(error))
            return
    form.add_error(None, str(error))


def confirm_then(
    request,
    act: Callable[[], object],
    *,
    title: str,
    text: str,
    button: str,
    cancel: str,
    done: str,
    then: str,
) -> HttpResponse:
    """A button that cannot be undone: its confirm page (GET), or `act()` (POST), then `then`
    with the `done` message. A refused act goes back to `cancel` with the reason."""
    if request.method != "POST":
        return render(
            request,
            "stories/manage/confirm.html",
            {"title": title, "text": text, "button": button, "cancel": cancel},
        )
    try:
        act()
    except ActionRefused as error:
        messages.error(request, str(error))
        return redirect(cancel)
    messages.success(request, done)
    return redirect(then)


# ---------------------------------------------------------------------------------------------
# My stories, and a new story


@login_required
def my_stories(request):
    desk = author_desk(request.user)
    return render(
        request,
        "stories/manage/my_stories.html",
        {
            "stories": desk.stories,
            "invites": desk.invites,
            "series": desk.series,
            "waiting_entries": desk.waiting_entries,
            "relations_to_answer": relations_to_answer(request.user),
            "can_post": can_post(request.user),
            "my_pseuds": _pseuds_to_choose(request.user) if desk.invites else [],
        },
    )


@login_required
def story_new(request):
    if not can_post(request.user):
        raise PermissionDenied("Posting is closed, or your account is locked.")
    data = request.POST if request.method == "POST" else None
    story_form = StoryForm(data)
    extras = NewStoryExtrasForm(data, user=request.user)
    links = StoryLinksForm(data)
    chapter_form = ChapterForm(data, request.FILES or None, prefix="chapter")
    preview = None
    if data is not None:
        forms = [story_form, extras, links, chapter_form]
        valid = all([form.is_valid() for form in forms])
        if valid and "preview" in request.POST:
            preview = chapter_form.cleaned_data["html"]
        elif valid:
            publish = "publish" in request.POST
            try:
                story = actions.story_post(
                    by=request.user,
                    **story_form.description(),
                    **chapter_form.first_chapter(),
                    coauthors=extras.cleaned_data["coauthors"],
                    series=extras.cleaned_data.get("series"),
                    **links.links(),
                    pseud=extras.cleaned_data.get("pseud"),
                    publish=publish,
                )
            except ActionRefused as error:
                _refuse(story_form, error, links)
            else:
                if publish:
                    _announce_submission(request, story.status)
                else:
                    messages.success(
                        request, _("Saved as a draft. Only you (and staff) can see it.")
                    )
                return redirect(_manage_url(story))
    return render(
        request,
        "stories/manage/story_form.html",
        {
            "story_form": story_form,
            "extras": extras,
            "links": links,
            "chapter_form": chapter_form,
            "preview": preview,
            "new": True,
        },
    )


def _announce_submission(request, status: str) -> None:
    if status == Status.PUBLISHED:
        messages.success(request, _("Your story is published."))
    else:
        messages.info(
            request,
            _("Your story waits for a moderator; you will get an email when it is published."),
        )


# ---------------------------------------------------------------------------------------------
# One story


@login_required
def story_manage(request, story_id):
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    return render(
        request,
        "stories/manage/story_manage.html",
        {
            "story": story,
            "chapters": story.chapters.defer("body").select_related("author"),
            "invites": story.invites.select_related("user"),
            "can_delete": can_delete_story(request.user, story),
            "can_manage_coauthors": can_manage_coauthors(request.user, story),
            "can_leave": can_leave_story(request.user, story),
            "invite_form": InviteForm(),
            "schedule_form": ScheduleForm(),
            "gifts": story.gifts.filter(refused_at__isnull=True).select_related("recipient"),
            "relations": story.relations.select_related("original"),
            "my_pseuds": _pseuds_to_choose(request.user),
        },
    )


def _pseuds_to_choose(user) -> list[Pseud]:
    """The member's pseuds when they have a choice to make, else none (no query for a member
    with one: the backend knows)."""
    if getattr(user, "several_pseuds", True) is False:
        return []
    pseuds = list(Pseud.objects.filter(user=user))
    return pseuds if len(pseuds) > 1 else []


def _pseud_asked(request) -> int | None:
    """The pseud a form names (`pseud`), or None for the member's default; a value that is no
    number is refused as another member's would be."""
    value = request.POST.get("pseud", "")
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ActionRefused("Choose one of your own pseuds.") from None


@login_required
@require_POST
def story_sign(request, story_id):
    """The member signs their own credit on the story with another of their pseuds."""
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    try:
        pseud = _pseud_asked(request)
        if pseud is None:
            raise ActionRefused("Choose one of your own pseuds.")
        credit = actions.credit_sign(story=story, user=request.user, pseud=pseud)
    except ActionRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"You sign “{story.title}” as {credit.pseud.name}.")
    return redirect(_manage_url(story))


@login_required
def story_edit(request, story_id):
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    data = request.POST if request.method == "POST" else None
    form = StoryForm(data, initial=StoryForm.initial_for(story))
    links = StoryLinksForm(data, initial=StoryLinksForm.initial_for(story))
    if data is not None and all([form.is_valid(), links.is_valid()]):
        try:
            actions.story_update(
                story=story, by=request.user, **form.description(), **links.links()
            )
        except ActionRefused as error:
            _refuse(form, error, links)
        else:
            messages.success(request, _("Story saved."))
            return redirect(_manage_url(story))
    return render(
        request,
        "stories/manage/story_form.html",
        {
            "story": story,
            "story_form": form,
            "links": links,
            "new": False,
        },
    )


@login_required
@require_POST
def story_submit(request, story_id):
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    _announce_submission(request, actions.story_submit(story=story, by=request.user))
    return redirect(_manage_url(story))


@login_required
def story_delete(request, story_id):
    story = story_for(request, story_id, need=can_delete_story, load="credits")
    return confirm_then(
        request,
        lambda: actions.story_delete(story=story, by=request.user),
        title=f"Delete “{story.title}”?",
        text="The story, its chapters and their reviews will be gone for good.",
        button="Delete the story",
        cancel=_manage_url(story),
        done=f"“{story.title}” is deleted.",
        then=reverse("stories:mine"),
    )


# ---------------------------------------------------------------------------------------------
# Chapters


@login_required
def chapter_new(request, story_id):
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    form = ChapterForm(request.POST if request.method == "POST" else None, request.FILES or None)
    return _chapter_form_page(
        request,
        story,
        form,
        done="Chapter added.",
        new=True,
        save=lambda d: actions.chapter_post(story=story, by=request.user, **form.writing()),
    )


@login_required
def chapter_edit(request, story_id, chapter_id):
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    chapter = _chapter(story, chapter_id)
    initial = {
        "title": chapter.title,
        "body": chapter.body,
        "notes": chapter.notes,
        "end_notes": chapter.end_notes,
        "text_format": "html",
    }
    form = ChapterForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial=initial,
        with_schedule=False,
    )
    return _chapter_form_page(
        request,
        story,
        form,
        done="Chapter saved.",
        new=False,
        chapter=chapter,
        save=lambda d: actions.chapter_update(chapter=chapter, by=request.user, **form.writing()),
    )


def _chapter_form_page(
    request,
    story: Story,
    form: ChapterForm,
    *,
    save: Callable[[dict], object],
    done: str,
    **context,
) -> HttpResponse:
    """The chapter form: a preview of the text, or the change made through `save`, then back to
    the story's page (a refused change stays on the form, with the reason)."""
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = form.cleaned_data["html"]
        else:
            try:
                save(form.cleaned_data)
            except ActionRefused as error:
                _refuse(form, error)
            else:
                messages.success(request, done)
                return redirect(_manage_url(story))
    return render(
        request,
        "stories/manage/chapter_form.html",
        {
            "story": story,
            "form": form,
            "preview": preview,
            **context,
        },
    )


@login_required
def chapter_delete(request, story_id, chapter_id):
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    chapter = _chapter(story, chapter_id)
    return confirm_then(
        request,
        lambda: actions.chapter_delete(chapter=chapter, by=request.user),
        title=f"Delete the chapter “{chapter.title}”?",
        text="Its text and its reviews will be gone for good.",
        button="Delete the chapter",
        cancel=_manage_url(story),
        done=f"“{chapter.title}” is deleted.",
        then=_manage_url(story),
    )


@login_required
def chapter_reorder(request, story_id):
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    chapters = story.chapters.defer("body").order_by("position")
    form = ReorderForm(request.POST if request.method == "POST" else None, chapters=chapters)
    if request.method == "POST" and form.is_valid():
        try:
            actions.chapter_reorder(story=story, order=form.order(), by=request.user)
        except ActionRefused as error:
            _refuse(form, error)
        else:
            messages.success(request, _("Chapters reordered."))
            return redirect(_manage_url(story))
    return render(request, "stories/manage/reorder.html", {"story": story, "form": form})


@login_required
@require_POST
def chapter_schedule(request, story_id, chapter_id):
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    chapter = _chapter(story, chapter_id)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        actions.chapter_schedule(
            chapter=chapter, release_at=form.cleaned_data["release_at"], by=request.user
        )
        when = form.cleaned_data["release_at"]
        messages.success(
            request,
            f"“{chapter.title}” is scheduled." if when else f"“{chapter.title}” is released.",
        )
    else:
        messages.error(request, error_text(form))
    return redirect(_manage_url(story))


# ---------------------------------------------------------------------------------------------
# Co-authors


@login_required
@require_POST
def coauthor_invite(request, story_id):
    story = story_for(request, story_id, need=can_manage_coauthors, load="credits")
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            actions.coauthor_invite(
                story=story, user=form.cleaned_data["pen_name"], by=request.user
            )
        except ActionRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{form.cleaned_data['pen_name'].pen_name} is invited.")
    else:
        messages.error(request, error_text(form))
    return redirect(_manage_url(story))


@login_required
@require_POST
def coauthor_remove(request, story_id, user_id):
    story = story_for(request, story_id, need=can_manage_coauthors, load="credits")
    credit = get_object_or_404(StoryAuthor, story=story, user_id=user_id)
    try:
        actions.coauthor_remove(story=story, user=credit.user)
    except ActionRefused as error:
        messages.error(request, str(error))
    return redirect(_manage_url(story))


@login_required
@require_POST
def story_leave(request, story_id):
    story = story_for(request, story_id, need=can_leave_story, load="credits")
    actions.coauthor_remove(story=story, user=request.user)
    messages.success(request, f"You are no longer credited on “{story.title}”.")
    return redirect("stories:mine")


@login_required
@require_POST
def invite_answer(request, invite_id, answer):
    invite = get_object_or_404(CoauthorInvite, pk=invite_id)
    if answer not in ("accept", "decline") or not can_answer_invite(request.user, invite):
        raise Http404("No such invitation.")
    if answer == "accept":
        try:
            actions.coauthor_accept(invite=invite, pseud=_pseud_asked(request))
        except ActionRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"You are now a co-author of “{invite.story.title}”.")
    else:
        actions.coauthor_decline(invite=invite)
        messages.info(request, _("Invitation declined."))
    return redirect("stories:mine")


# ---------------------------------------------------------------------------------------------
# Gifts and related works


@login_required
@require_POST
def gift_refuse(request, gift_id):
    gift = get_object_or_404(Gift.objects.select_related("story"), pk=gift_id)
    if not can_refuse_gift(request.user, gift):
        raise Http404("No such gift.")
    actions.gift_refuse(gift=gift, by=request.user)
    messages.info(request, f"You refused “{gift.story.title}”: it is no longer a gift for you.")
    return redirect("gifts", request.user.pk)


@login_required
@require_POST
def relation_remove(request, story_id, relation_id):
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    relation = get_object_or_404(StoryRelation, pk=relation_id, story=story)
    actions.relation_remove(relation=relation, by=request.user)
    messages.success(request, _("The related work is taken off."))
    return redirect(_manage_url(story))


@login_required
@require_POST
def relation_answer(request, relation_id, answer):
    relation = get_object_or_404(
        StoryRelation.objects.select_related("story", "original"), pk=relation_id
    )
    if answer not in ("approve", "reject") or not can_answer_relation(request.user, relation):
        raise Http404("No such link to answer.")
    actions.relation_answer(relation=relation, approve=answer == "approve", by=request.user)
    if answer == "approve":
        messages.success(request, f"“{relation.story.title}” is listed on your story's page.")
    else:
        messages.info(request, f"“{relation.story.title}” is not listed on your story's page.")
    return redirect("stories:mine")
