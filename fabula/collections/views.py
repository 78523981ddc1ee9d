"""The collections' pages: the list, a collection with its works and prompts, making one,
adding and inviting works, the exchange's sign-up, assignments and the reveal.

Thin: `permissions` loads and says who may, `actions` write and refuse, refusals are shown as
messages (nothing changed)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fabula.collections import actions
from fabula.collections.forms import (
    AddToCollectionForm,
    CollectionForm,
    InviteForm,
    SignupForm,
    StoryChoiceForm,
)
from fabula.collections.models import Collection, CollectionItem, Signup
from fabula.collections.permissions import (
    assignment_of,
    can_create_collection,
    can_manage_collection,
    can_offer_story,
    collection_for,
    collection_works,
    waiting_items,
)
from fabula.lib.refusals import ActionRefused, FieldRefused
from fabula.stories.forms import error_text
from fabula.stories.listing.cards import make_cards
from fabula.stories.permissions import check_view_story, story_for


def collection_list(request) -> HttpResponse:
    collections = Collection.objects.order_by("title")
    return render(request, "collections/list.html", {"collections": collections})


def collection_detail(request, name: str) -> HttpResponse:
    collection = collection_for(name)
    user = request.user
    works = collection_works(user, collection).select_related("rating").order_by("-updated_at")
    manager = can_manage_collection(user, collection)
    return render(
        request,
        "collections/detail.html",
        {
            "collection": collection,
            "cards": make_cards(works),
            "prompts": collection.prompts.all(),
            "maintainers": collection.maintainers.order_by("pen_name"),
            "manager": manager,
            "waiting": waiting_items(user, collection),
            "add_form": StoryChoiceForm(user=user, collection=collection)
            if user.is_authenticated
            else None,
            "invite_form": InviteForm(prefix="invite") if manager else None,
            "signed_up": user.is_authenticated
            and Signup.objects.filter(collection=collection, user=user).exists(),
            "assignment": assignment_of(user, collection),
        },
    )


@login_required
def collection_new(request) -> HttpResponse:
    if not can_create_collection(request.user):
        raise PermissionDenied(_("Posting is closed, or your account is locked."))
    form = CollectionForm(
        request.POST if request.method == "POST" else None,
        initial={"kind": request.GET.get("kind", Collection.Kind.COLLECTION)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            collection = actions.collection_create(
                by=request.user,
                name=data["name"],
                title=data["title"],
                summary=data["summary"],
                kind=data["kind"],
                openness=data["openness"],
                unrevealed=data["unrevealed"],
                anonymous=data["anonymous"],
                prompts=data["prompts"].splitlines(),
                signup_closes=data["signup_closes"],
                deadline=data["deadline"],
            )
        except FieldRefused as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, _("Collection created."))
            return redirect(collection)
    return render(request, "collections/form.html", {"form": form})


@login_required
@require_POST
def collection_add(request, name: str) -> HttpResponse:
    """An author puts one of their stories in the collection (or answers an invitation)."""
    collection = collection_for(name)
    form = StoryChoiceForm(request.POST, user=request.user, collection=collection)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect(collection)
    _add(request, collection, form.cleaned_data["story"], form.cleaned_data.get("prompt"))
    return redirect(collection)


@login_required
@require_POST
def story_add(request, story_id: int) -> HttpResponse:
    """From the story's own page: put it in a collection named by its short name."""
    story = story_for(request, story_id, need=can_offer_story)
    form = AddToCollectionForm(request.POST)
    if form.is_valid():
        _add(request, form.cleaned_data["collection"], story, None)
    else:
        messages.error(request, error_text(form))
    return redirect("stories:manage", story.pk)


def _add(request, collection: Collection, story, prompt) -> None:
    try:
        item = actions.collection_add_work(
            collection=collection,
            story=story,
            by=request.user,
            maintainer=can_manage_collection(request.user, collection),
            prompt=prompt,
        )
    except ActionRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Added to %(title)s.") % {"title": collection.title}
            if item.approved
            else _("Offered to %(title)s: it shows once a maintainer approves it.")
            % {"title": collection.title},
        )


def _managed(request, name: str) -> Collection:
    collection = collection_for(name)
    if not can_manage_collection(request.user, collection):
        raise PermissionDenied(_("Only the collection's maintainers may do this."))
    return collection


@login_required
@require_POST
def collection_invite(request, name: str) -> HttpResponse:
    collection = _managed(request, name)
    form = InviteForm(request.POST, prefix="invite")
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect(collection)
    story = form.cleaned_data["story"]
    check_view_story(request.user, story)
    try:
        actions.collection_invite_work(collection=collection, story=story, by=request.user)
    except ActionRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Invited: it shows once one of its authors accepts."))
    return redirect(collection)


@login_required
@require_POST
def item_answer(request, name: str, item_id: int, verb: str) -> HttpResponse:
    """approve (a maintainer), accept (an author, an invitation), remove (either)."""
    collection = collection_for(name)
    item = get_object_or_404(
        CollectionItem.objects.select_related("story"), pk=item_id, collection=collection
    )
    manager = can_manage_collection(request.user, collection)
    author = can_offer_story(request.user, item.story)
    try:
        if verb == "approve" and manager:
            actions.collection_approve_item(item=item, by=request.user)
        elif verb == "accept" and author:
            actions.collection_add_work(collection=collection, story=item.story, by=request.user)
        elif verb == "remove" and (manager or author):
            actions.collection_remove_item(item=item, by=request.user)
        else:
            raise PermissionDenied(_("You may not do this to that work."))
    except ActionRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done."))
    return redirect(collection)


@login_required
@require_POST
def collection_reveal(request, name: str) -> HttpResponse:
    collection = _managed(request, name)
    what = request.POST.get("what", "all")
    try:
        actions.collection_reveal(
            collection=collection,
            by=request.user,
            works=what in ("all", "works"),
            authors=what in ("all", "authors"),
        )
    except ActionRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Revealed."))
    return redirect(collection)


# ---------------------------------------------------------------------------------------------
# Gift exchanges


@login_required
def signup(request, name: str) -> HttpResponse:
    collection = collection_for(name)
    mine = Signup.objects.filter(collection=collection, user=request.user).first()
    initial = (
        {
            "offers": list(mine.offers.all()),
            "requests": list(mine.requests.all()),
            "notes": mine.notes,
        }
        if mine
        else None
    )
    form = SignupForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.signup_create(
                collection=collection,
                user=request.user,
                offers=list(data["offers"]),
                requests=list(data["requests"]),
                notes=data["notes"],
            )
        except FieldRefused as error:
            form.add_error(error.field, str(error))
        except ActionRefused as error:
            messages.error(request, str(error))
            return redirect(collection)
        else:
            messages.success(request, _("You are signed up."))
            return redirect(collection)
    return render(
        request, "collections/signup.html", {"collection": collection, "form": form, "mine": mine}
    )


@login_required
def assignments(request, name: str) -> HttpResponse:
    collection = _managed(request, name)
    if request.method == "POST":
        try:
            made = actions.assignments_make(collection=collection, by=request.user)
        except ActionRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(count)d assignments made.") % {"count": len(made)})
        return redirect("collections:assignments", collection.name)
    return render(
        request,
        "collections/assignments.html",
        {
            "collection": collection,
            "signups": collection.signups.select_related("user").prefetch_related(
                "offers", "requests"
            ),
            "assignments": collection.assignments.select_related("giver", "recipient", "story"),
        },
    )


@login_required
def my_assignment(request, name: str) -> HttpResponse:
    collection = collection_for(name)
    assignment = assignment_of(request.user, collection)
    form = StoryChoiceForm(request.POST or None, user=request.user)
    if request.method == "POST" and assignment is not None and form.is_valid():
        try:
            actions.gift_post(
                assignment=assignment, story=form.cleaned_data["story"], by=request.user
            )
        except ActionRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your gift is in the collection."))
            return redirect("collections:my-assignment", collection.name)
    signup_of_recipient = (
        Signup.objects.filter(collection=collection, user=assignment.recipient)
        .prefetch_related("requests")
        .first()
        if assignment
        else None
    )
    return render(
        request,
        "collections/my_assignment.html",
        {
            "collection": collection,
            "assignment": assignment,
            "wishes": signup_of_recipient,
            "form": form,
        },
    )
