"""A member's pseuds page: add, rename, make default, delete (moving the works).

One page lists the pseuds with a form for each; every change is a POST to its own address and
comes back to the page with a message. A refusal (a taken name, the default deleted, a pseud
that is not yours) shows the page again with the reason, status 400 (403 for another member's
pseud), and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fabula.accounts.models import Pseud
from fabula.lib.refusals import ActionRefused, NotAllowed
from fabula.stories.actions import pseuds as actions


def _page(request, error: str = "", status: int = 200) -> HttpResponse:
    pseuds = list(Pseud.objects.filter(user=request.user).annotate(work_count=Count("credits")))
    return render(
        request,
        "stories/manage/pseuds.html",
        {"pseuds": pseuds, "error": error, "typed": request.POST.get("name", "")},
        status=status,
    )


@login_required
def pseud_list(request) -> HttpResponse:
    return _page(request)


def _pseud(request, pseud_id) -> Pseud:
    """The member's own pseud named in the address or the form, or a refusal."""
    try:
        pseud = Pseud.objects.filter(pk=int(pseud_id), user=request.user).first()
    except (TypeError, ValueError):
        pseud = None
    if pseud is None:
        raise NotAllowed(_("That pseud is not one of yours."))
    return pseud


def _acting(act):
    """Run `act(request, ...)`; its message on success, the page again on a refusal."""

    @login_required
    @require_POST
    def view(request, *args, **kwargs):
        try:
            message = act(request, *args, **kwargs)
        except ActionRefused as error:
            return _page(request, str(error), 403 if isinstance(error, NotAllowed) else 400)
        messages.success(request, message)
        return redirect("stories:pseuds")

    view.__name__ = act.__name__
    return view


@_acting
def pseud_add(request) -> str:
    pseud = actions.pseud_add(user=request.user, name=request.POST.get("name", ""))
    return _("You can now sign work as “%(name)s”.") % {"name": pseud.name}


@_acting
def pseud_rename(request, pseud_id: int) -> str:
    pseud = _pseud(request, pseud_id)
    old = pseud.name
    actions.pseud_rename(user=request.user, pseud=pseud, name=request.POST.get("name", ""))
    return _("“%(old)s” is now “%(new)s”.") % {"old": old, "new": pseud.name}


@_acting
def pseud_make_default(request, pseud_id: int) -> str:
    pseud = actions.pseud_make_default(user=request.user, pseud=_pseud(request, pseud_id))
    return _("New work is signed “%(name)s” unless you choose another.") % {"name": pseud.name}


@_acting
def pseud_delete(request, pseud_id: int) -> str:
    pseud = _pseud(request, pseud_id)
    target = request.POST.get("move_to")
    move_to = _pseud(request, target) if target else None
    actions.pseud_delete(user=request.user, pseud=pseud, move_to=move_to)
    if move_to is not None:
        return _("“%(name)s” is deleted; its work is signed “%(to)s”.") % {
            "name": pseud.name,
            "to": move_to.name,
        }
    return _("“%(name)s” is deleted.") % {"name": pseud.name}
