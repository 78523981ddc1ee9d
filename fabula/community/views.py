"""Pages and buttons for reviews, kudos, favourites, alerts, reading, follows and blocks.

Views are thin: they find what the address names (404 for anything unknown or unseen), hand
the request to an action, and turn its refusals into a page with the reason (403 for a rule,
429 for a rate limit, 400 for bad input).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fabula.accounts.models import User
from fabula.community import actions, permissions, selectors, toplists
from fabula.community.actions import BLOCKABLE, FOLLOWABLE, Targets
from fabula.community.forms import (
    AddToListForm,
    ArrangeListForm,
    FavouriteForm,
    ReadingListForm,
    ReplyForm,
    ReviewForm,
)
from fabula.community.models import Favourite, Reading, ReadingList, Review, Subscription
from fabula.lib.numbers import positive_id
from fabula.lib.ratelimit import client_address, with_retry_after
from fabula.lib.redirects import next_url
from fabula.lib.refusals import ActionRefused, FieldRefused, NotAllowed, RateLimited
from fabula.notifications.actions import notification_mark_all_read
from fabula.notifications.models import Notification
from fabula.stories.listing.cards import make_cards
from fabula.stories.listing.pages import page_links, paginate
from fabula.stories.models import Block, Chapter, Series, Story
from fabula.stories.permissions import (
    can_view_story,
    is_author,
    listed_stories,
    story_for,
    viewable_stories,
    visible_chapters,
)
from fabula.stories.reads import reader_key
from fabula.stories.views.authoring import confirm_then
from fabula.taxonomy.models import Tag


def refusals(view):
    """Show an action's refusal as a page with its reason and the right status."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ActionRefused as error:
            status = (
                403
                if isinstance(error, NotAllowed)
                else 429
                if isinstance(error, RateLimited)
                else 400
            )
            # A plain link back (the page's `next`), not javascript: which the CSP refuses.
            back = next_url(request, reverse("home"))
            context = {"message": str(error), "back": back}
            response = render(request, "community/refused.html", context, status=status)
            return with_retry_after(response, error) if isinstance(error, RateLimited) else response

    return wrapper


def _done(request, message: str, target: str) -> HttpResponse:
    """After a write: members get a message on the next page. Guests get a small page instead,
    since their next page may come from (or go into) the shared guest page cache, which must
    never hold one reader's message."""
    if request.user.is_authenticated:
        messages.success(request, message)
        return redirect(target)
    return render(request, "community/done.html", {"message": message, "target": target})


# ---------------------------------------------------------------------------------------------
# Reviews


def story_reviews(request, story_id):
    """Every review of a story, newest first, a page at a time."""
    story = story_for(request, story_id, members=True)
    page = paginate(
        selectors.review_threads(story.reviews.all()).order_by("-created_at", "-pk"),
        request.GET.get("page"),
    )
    return render(
        request,
        "community/story_reviews.html",
        {
            "story": story,
            "page": page,
            "pages": page_links(request.GET, page),
            "can_review": permissions.can_review(request.user, story),
        },
    )


def _chapter_of(request, story: Story, raw) -> Chapter | None:
    """The chapter a review form names (by id, which a reorder does not change), which must be
    one this reader sees."""
    if raw in (None, ""):
        return None
    chapter_id = positive_id(raw)
    if chapter_id is None:
        raise Http404("No such chapter.")
    chapter = visible_chapters(request.user, story).filter(pk=chapter_id).first()
    if chapter is None:
        raise Http404("No such chapter.")
    return chapter


@refusals
def review_new(request, story_id):
    """The review form on its own page (guests come here: cached story pages carry no form),
    and where every review form posts."""
    story = story_for(request, story_id, members=True)
    chapter = _chapter_of(request, story, request.POST.get("chapter") or request.GET.get("chapter"))
    if not permissions.can_review(request.user, story):
        if not request.user.is_authenticated and request.method == "GET":
            return _to_login(request)
        if is_author(request.user, story):
            raise NotAllowed(_("Authors answer reviews of their own work; they do not review it."))
        raise NotAllowed(_("Reviews are closed here, or need you to log in."))
    target = chapter.get_absolute_url() if chapter else reverse("story", args=[story.pk])
    return _review_form(
        request,
        title=story.title,
        heading=f"{story.title}: {chapter.title}" if chapter else story.title,
        work_url=reverse("story", args=[story.pk]),
        chapter=chapter,
        done_url=target,
        post=lambda data: actions.review_post(story=story, chapter=chapter, **data),
    )


@refusals
def series_review_new(request, series_id):
    series = get_object_or_404(Series, pk=series_id)
    if not permissions.can_review_series(request.user, series):
        if not request.user.is_authenticated:
            return _to_login(request)
        raise NotAllowed(_("Reviews are closed here, or the series is yours."))
    return _review_form(
        request,
        title=series.title,
        heading=series.title,
        work_url=reverse("series", args=[series.pk]),
        done_url=reverse("community:series-reviews", args=[series.pk]),
        post=lambda data: actions.review_post(series=series, **data),
    )


def _to_login(request) -> HttpResponse:
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")


def _review_form(
    request,
    *,
    title: str,
    heading: str,
    work_url: str,
    done_url: str,
    post,
    chapter: Chapter | None = None,
) -> HttpResponse:
    """The review form of a story, chapter or series, and its posting (through `post`)."""
    guest = not request.user.is_authenticated
    form = ReviewForm(request.POST or None, guest=guest, user=request.user)
    if request.method == "POST":
        if guest and form.is_spam_bot:
            return HttpResponse(
                "Your review was not accepted.", status=400, content_type="text/plain"
            )
        if form.is_valid():
            try:
                review = post(
                    {
                        "user": request.user,
                        "name": form.cleaned_data.get("name", ""),
                        "body": form.cleaned_data["body"],
                        "rating": form.cleaned_data.get("rating"),
                        "ip": client_address(request),
                        "pseud": form.cleaned_data.get("pseud"),
                    }
                )
            except FieldRefused as refusal:
                # Beside the box to change, so the reader keeps what was typed.
                form.add_error(
                    refusal.field if refusal.field in form.fields else None, str(refusal)
                )
            else:
                return _done(
                    request, "Thank you: your review is posted.", f"{done_url}#review-{review.pk}"
                )
    return render(
        request,
        "community/review_form.html",
        {
            "title": title,
            "heading": heading,
            "work_url": work_url,
            "chapter": chapter,
            "form": form,
            "action": request.path,
        },
        status=400 if form.is_bound else 200,
    )


def series_reviews(request, series_id):
    """Every review of a series, newest first, a page at a time."""
    series = get_object_or_404(Series, pk=series_id)
    reviews = selectors.review_threads(Review.objects.filter(series=series)).order_by(
        "-created_at", "-pk"
    )
    page = paginate(reviews, request.GET.get("page"))
    return render(
        request,
        "community/series_reviews.html",
        {
            "series": series,
            "page": page,
            "pages": page_links(request.GET, page),
            "can_review": permissions.can_review_series(request.user, series),
        },
    )


@login_required
@require_POST
@refusals
def review_reply(request, review_id):
    review = permissions.review_for(request, review_id)
    root = review.parent or review
    form = ReplyForm(request.POST, user=request.user)
    if not form.is_valid():
        if "pseud" in form.errors:
            raise ActionRefused(_("Sign your reply with one of your own pseuds."))
        raise ActionRefused(_("A reply needs a few words."))
    reply = actions.review_reply(
        parent=root,
        user=request.user,
        body=form.cleaned_data["body"],
        pseud=form.cleaned_data.get("pseud"),
    )
    messages.success(request, _("Your reply is posted."))
    return redirect(reply)


@login_required
@refusals
def review_edit(request, review_id):
    review = permissions.review_for(request, review_id)
    if not permissions.can_edit_review(request.user, review):
        raise NotAllowed(_("Only the writer of a review may edit it."))
    is_reply = review.parent_id is not None
    initial = {"body": review.body, "rating": review.rating}
    form = (ReplyForm if is_reply else ReviewForm)(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.review_edit(
            review=review,
            user=request.user,
            body=form.cleaned_data["body"],
            rating=form.cleaned_data.get("rating"),
        )
        messages.success(request, _("Your changes are saved."))
        return redirect(review)
    return render(request, "community/review_edit.html", {"review": review, "form": form})


@login_required
@refusals
def review_delete(request, review_id):
    review = permissions.review_for(request, review_id)
    if not permissions.can_delete_review(request.user, review):
        raise NotAllowed(_("You may not delete this review."))
    if request.method == "POST":
        target = review.get_absolute_url().split("#")[0] + "#reviews"
        actions.review_delete(review=review, user=request.user)
        messages.success(request, _("The review is deleted."))
        return redirect(target)
    return render(request, "community/review_delete.html", {"review": review})


# ---------------------------------------------------------------------------------------------
# Kudos


@refusals
def kudos(request, story_id):
    """GET: a button to confirm (guests reach it from cached pages); POST: leave kudos."""
    story = story_for(request, story_id, members=True)
    if request.method != "POST":
        return render(request, "community/kudos.html", {"story": story})
    given = actions.kudos_give(story=story, user=request.user, guest_key=reader_key(request))
    message = "Thank you for the kudos!" if given else "You already left kudos here."
    return _done(request, message, next_url(request, reverse("story", args=[story.pk])))


# ---------------------------------------------------------------------------------------------
# Favourites and follows


@login_required
@refusals
def favourite(request, kind, pk):
    """GET: the note form; POST: add or update the favourite, or remove it (remove=1)."""
    target = selectors.named_target(request, kind, pk)
    current = Favourite.objects.filter(user=request.user, **FOLLOWABLE.of(target)).first()
    if request.method == "POST":
        if request.POST.get("remove"):
            actions.favourite_remove(user=request.user, target=target)
            messages.success(request, f"{target} is no longer a favourite.")
        else:
            form = FavouriteForm(request.POST)
            form.is_valid()
            actions.favourite_add(
                user=request.user,
                target=target,
                note=form.cleaned_data.get("note", ""),
                public=form.cleaned_data.get("public", False),
            )
            messages.success(request, f"{target} is in your favourites.")
        return redirect(next_url(request, target.get_absolute_url()))
    form = FavouriteForm(
        initial={"note": current.note, "public": current.public} if current else None
    )
    return render(
        request,
        "community/favourite_form.html",
        {
            "target": target,
            "kind": kind,
            "form": form,
            "current": current,
        },
    )


def favourites(request, user_id):
    """A member's favourite stories, authors and series; private notes only for themselves."""
    member = get_object_or_404(User, pk=user_id, is_active=True)
    is_self = request.user.is_authenticated and request.user.pk == member.pk
    found = selectors.member_favourites(member, request.user)
    return render(
        request,
        "community/favourites.html",
        {
            "member": member,
            "is_self": is_self,
            "stories": found.stories,
            "authors": found.authors,
            "series": found.series,
        },
    )


@login_required
def following(request):
    # A followed story that is no longer there for this member (unpublished, hidden by staff,
    # made members-only) drops out of the list, as from every other list.
    rows = (
        Subscription.objects.filter(user=request.user)
        .filter(Q(story__isnull=True) | Q(story__in=viewable_stories(request.user)))
        .select_related("story", "author", "series")
    )
    return render(request, "community/following.html", {"rows": rows})


# ---------------------------------------------------------------------------------------------
# Notifications


@login_required
def notifications(request):
    if request.method == "POST":
        notification_mark_all_read(user=request.user)
        return redirect("community:notifications")
    page = paginate(Notification.objects.filter(user=request.user), request.GET.get("page"))
    return render(
        request,
        "community/notifications.html",
        {
            "page": page,
            "pages": page_links(request.GET, page),
        },
    )


# ---------------------------------------------------------------------------------------------
# Reading: position, history, marked for later


@require_POST
def reading_position(request, chapter_id):
    """Called by reading-position.js as the member scrolls: 204, or 403 for guests."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Log in to have your place remembered."}, status=403)
    chapter = Chapter.objects.select_related("story").filter(pk=chapter_id).first()
    if (
        chapter is None
        or not can_view_story(request.user, chapter.story)
        or not visible_chapters(request.user, chapter.story).filter(pk=chapter.pk).exists()
    ):
        return JsonResponse({"error": "No such chapter."}, status=404)
    try:
        actions.reading_save_position(
            user=request.user, chapter=chapter, position=request.POST.get("position")
        )
    except ActionRefused as error:
        return JsonResponse({"error": str(error)}, status=400)
    return HttpResponse(status=204)


@login_required
@require_POST
def later(request, story_id):
    story = story_for(request, story_id, members=True)
    later = not request.POST.get("stop")
    actions.reading_mark_for_later(user=request.user, story=story, later=later)
    messages.success(request, "Marked for later." if later else "No longer marked for later.")
    return redirect(next_url(request, story.get_absolute_url()))


@login_required
def history(request, later_only: bool = False):
    """The member's reading history; with `later_only`, the stories they marked for later."""
    readings = (
        Reading.objects.filter(user=request.user, story__in=listed_stories(request.user))
        .select_related("story", "chapter")
        .defer("chapter__body", "story__notes")
        .order_by("-last_read_at")
    )
    if later_only:
        readings = readings.filter(marked_for_later=True)
    page = paginate(readings, request.GET.get("page"))
    return render(
        request,
        "community/history.html",
        {
            "later_only": later_only,
            "page": page,
            "pages": page_links(request.GET, page),
            "keep_history": actions.preferences(request.user).keep_history,
        },
    )


@login_required
@require_POST
def history_clear(request):
    actions.history_clear(user=request.user)
    messages.success(request, _("Your reading history is cleared."))
    return redirect("community:history")


@login_required
@require_POST
def history_switch(request):
    if request.POST.get("keep") == "1":
        actions.history_on(user=request.user)
        messages.success(request, _("Your reading history is on."))
    else:
        actions.history_off(user=request.user)
        messages.success(request, _("Your reading history is off and cleared."))
    return redirect("community:history")


# ---------------------------------------------------------------------------------------------
# Blocklist


@login_required
def blocks(request):
    """The member's blocklist; a POST with `tag` hides one more tag."""
    if request.method == "POST":
        raw = request.POST.get("tag", "")
        tag_id = positive_id(raw)
        tag = Tag.objects.filter(pk=tag_id).first() if tag_id else None
        if tag is None:
            raise Http404("No such tag.")
        actions.block_tag(user=request.user, tag=tag)
        messages.success(request, f"Stories tagged {tag.name} are hidden from your lists.")
        return redirect("community:blocks")
    rows = Block.objects.filter(user=request.user).select_related("story", "tag__kind", "author")
    tags = Tag.objects.select_related("kind").exclude(
        pk__in=rows.filter(tag__isnull=False).values("tag_id")
    )
    return render(
        request,
        "community/blocks.html",
        {
            "rows": rows,
            "tags": tags.order_by("kind__name", "name"),
        },
    )


# ---------------------------------------------------------------------------------------------
# On/off buttons: follow, block


@dataclass(frozen=True)
class Switch:
    """An on/off button on a story, author, series or tag. A POST with `stop` turns it off."""

    targets: Targets  # what the button may name
    on: Callable[..., object]  # the actions, called with user= and target=
    off: Callable[..., object]
    said_on: str  # the messages, with {target}
    said_off: str
    back: Callable[[Any], str]  # where to go when the page gave no `next`


FOLLOW = Switch(
    targets=FOLLOWABLE,
    on=actions.subscribe,
    off=actions.unsubscribe,
    said_on="You follow {target}: you will hear of new chapters.",
    said_off="You no longer follow {target}.",
    back=lambda target: target.get_absolute_url(),
)
BLOCK = Switch(
    targets=BLOCKABLE,
    on=actions.block_add,
    off=actions.block_remove,
    said_on="{target} is hidden from your lists.",
    said_off="{target} is no longer hidden.",
    back=lambda target: reverse("community:blocks"),
)


@login_required
@require_POST
@refusals
def toggle(request, kind, pk, *, switch: Switch):
    """Turn a `Switch` (FOLLOW, BLOCK: see urls.py) on or off for what the address names."""
    target = selectors.named_target(request, kind, pk, switch.targets)
    if request.POST.get("stop"):
        switch.off(user=request.user, target=target)
        messages.success(request, switch.said_off.format(target=target))
    else:
        switch.on(user=request.user, target=target)
        messages.success(request, switch.said_on.format(target=target))
    return redirect(next_url(request, switch.back(target)))


# ---------------------------------------------------------------------------------------------
# Top lists and statistics


def top(request, name=None):
    lists = toplists.all_lists()
    if name is not None and name not in lists:
        raise Http404("No such top list.")
    chosen = {name: lists[name]} if name else lists
    return render(request, "community/toplists.html", {"lists": chosen, "names": toplists.TITLES})


def stats(request):
    return render(request, "community/stats.html", {"stats": toplists.site_stats()})


# ---------------------------------------------------------------------------------------------
# Reading lists


@login_required
def my_reading_lists(request):
    """The member's lists, and a form to start one."""
    form = ReadingListForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.reading_list_create(owner=request.user, **form.cleaned_data)
        except FieldRefused as refusal:
            form.add_error(refusal.field, str(refusal))
        else:
            messages.success(request, f"“{made.name}” is made: add stories from their pages.")
            return redirect(made.get_absolute_url())
    return render(
        request,
        "community/lists/mine.html",
        {
            "lists": ReadingList.objects.filter(owner=request.user).annotate(
                story_total=Count("entries")
            ),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def member_reading_lists(request, user_id):
    """A member's public lists (all of them for the member)."""
    member = get_object_or_404(User, pk=user_id, is_active=True)
    return render(
        request,
        "community/lists/member.html",
        {
            "member": member,
            "lists": permissions.visible_reading_lists(request.user, member),
            "is_self": request.user.is_authenticated and request.user.pk == member.pk,
        },
    )


def reading_list(request, list_id):
    """A list's page: the stories on it this reader may see, in order, with the notes."""
    found = permissions.reading_list_for(request.user, list_id)
    stories = permissions.reading_list_stories(viewable_stories(request.user), found)
    page = paginate(stories, request.GET.get("page"))
    cards = make_cards(page)
    return render(
        request,
        "community/lists/list.html",
        {
            "reading_list": found,
            "entries": [(card, getattr(card.story, "list_note", "")) for card in cards],
            "page": page,
            "pages": page_links(request.GET, page),
            "can_manage": permissions.can_manage_reading_list(request.user, found),
        },
    )


@login_required
def reading_list_edit(request, list_id):
    """Rename the list or change who sees it; put its stories in order and edit their notes."""
    found = permissions.reading_list_for(request.user, list_id, manage=True)
    entries = found.entries.select_related("story").order_by("position", "pk")
    posted = request.POST if request.method == "POST" else None
    settings_form = ReadingListForm(
        posted if posted and "settings" in posted else None,
        initial={"name": found.name, "public": found.public},
    )
    arrange_form = ArrangeListForm(
        posted if posted and "arrange" in posted else None, entries=entries
    )
    if posted is not None:
        try:
            if "settings" in posted and settings_form.is_valid():
                actions.reading_list_update(reading_list=found, **settings_form.cleaned_data)
                messages.success(request, _("The list is saved."))
                return redirect(found.get_absolute_url())
            if "arrange" in posted and arrange_form.is_valid():
                actions.reading_list_arrange(
                    reading_list=found, order=arrange_form.order(), notes=arrange_form.notes()
                )
                messages.success(request, _("The list is in its new order."))
                return redirect(found.get_absolute_url())
        except FieldRefused as refusal:
            settings_form.add_error(refusal.field, str(refusal))
        except ActionRefused as refusal:
            arrange_form.add_error(None, str(refusal))
    return render(
        request,
        "community/lists/edit.html",
        {"reading_list": found, "settings_form": settings_form, "arrange_form": arrange_form},
        status=400 if posted is not None else 200,
    )


@login_required
def reading_list_delete(request, list_id):
    found = permissions.reading_list_for(request.user, list_id, manage=True)
    return confirm_then(
        request,
        lambda: actions.reading_list_delete(reading_list=found),
        title=f"Delete the reading list “{found.name}”?",
        text="The list and its notes will be gone; the stories stay where they are.",
        button="Delete the list",
        cancel=reverse("community:reading-list-edit", args=[found.pk]),
        done=f"“{found.name}” is deleted.",
        then=reverse("community:reading-lists-mine"),
    )


@login_required
@require_POST
def reading_list_remove(request, list_id, entry_id):
    found = permissions.reading_list_for(request.user, list_id, manage=True)
    entry = get_object_or_404(found.entries.select_related("story"), pk=entry_id)
    actions.reading_list_remove(entry=entry)
    messages.success(request, f"“{entry.story.title}” is off the list.")
    return redirect("community:reading-list-edit", found.pk)


@login_required
@refusals
def reading_list_add(request, story_id):
    """From a story's page: put it on one of the member's lists (or a new one), with a note."""
    story = story_for(request, story_id, members=True)
    lists = ReadingList.objects.filter(owner=request.user)
    form = AddToListForm(request.POST if request.method == "POST" else None, lists=lists)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # a refused story makes no new list either
                target = (
                    get_object_or_404(lists, pk=data["reading_list"])
                    if data["reading_list"]
                    else actions.reading_list_create(owner=request.user, name=data["new_list"])
                )
                actions.reading_list_add(reading_list=target, story=story, note=data["note"])
        except FieldRefused as refusal:
            form.add_error("new_list" if refusal.field == "name" else None, str(refusal))
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"“{story.title}” is on “{target.name}”.")
            return redirect(target.get_absolute_url())
    return render(
        request,
        "community/lists/add.html",
        {"story": story, "form": form},
        status=400 if form.errors else 200,
    )
