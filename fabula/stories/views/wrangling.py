"""The wranglers' pages: the queue of unwrangled tags and each tag's wrangling form.

Thin: `permissions.can_wrangle` says who may (guests are sent to log in, other members get a
403), the tag named in a form is found by its name (`_named`), and one action does each deed
(`taxonomy.actions`, and `stories.actions.tag_merge`, which moves stories); a refusal comes back
as a message on the tag's page, and nothing changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fabula.lib.access import members_who
from fabula.lib.numbers import whole_number
from fabula.lib.refusals import ActionRefused
from fabula.stories.actions import tag_merge
from fabula.stories.permissions import can_wrangle
from fabula.taxonomy import actions
from fabula.taxonomy.models import Tag, TagKind

QUEUE_PAGE = 50


wranglers_only = members_who(can_wrangle, "Only tag wranglers may do this.")


@wranglers_only
def queue(request):
    """Unwrangled tags, the most used first (they matter most to readers)."""
    kinds = list(TagKind.objects.order_by("order", "slug"))
    kind = next((k for k in kinds if k.slug == request.GET.get("kind")), None)
    waiting = Tag.objects.filter(wrangled=False, synonym_of__isnull=True)
    if kind is not None:
        waiting = waiting.filter(kind=kind)
    waiting = (
        waiting.select_related("kind")
        .annotate(uses=Count("story_tags"))
        .order_by("-uses", "name", "pk")
    )
    page = Paginator(waiting, QUEUE_PAGE).get_page(whole_number(request.GET.get("page")) or 1)
    return render(
        request, "stories/wrangling/queue.html", {"page": page, "kinds": kinds, "kind": kind}
    )


@wranglers_only
def tag(request, tag_id: int):
    tag = get_object_or_404(
        Tag.objects.select_related("kind", "parent__kind", "synonym_of__kind"), pk=tag_id
    )
    return render(
        request,
        "stories/wrangling/tag.html",
        {
            "tag": tag,
            "uses": tag.story_tags.count(),
            "synonyms": tag.synonyms.order_by("name"),
            "children": tag.children.select_related("kind").order_by("kind__order", "name"),
            "kinds": TagKind.objects.order_by("order", "slug"),
        },
    )


def _named(request, field: str, kind_id: int | str | None) -> Tag:
    """The tag of this kind whose name the form gave (whatever the case)."""
    name = request.POST.get(field, "").strip()
    if not name:
        raise ActionRefused(_("Name a tag."))
    kind = get_object_or_404(TagKind, pk=whole_number(str(kind_id)) or 0)
    found = Tag.objects.filter(kind=kind, name__iexact=name).select_related("synonym_of").first()
    if found is None:
        raise ActionRefused(
            _("There is no tag “%(name)s” among the %(kind)s.") % {"name": name, "kind": kind}
        )
    return found


@require_POST
@wranglers_only
def wrangle(request, tag_id: int, verb: str):
    tag = get_object_or_404(Tag.objects.select_related("kind", "synonym_of", "parent"), pk=tag_id)
    by = request.user
    try:
        if verb == "canonical":
            actions.tag_make_canonical(tag=tag, by=by)
            done = f"“{tag}” is canonical."
        elif verb == "synonym":
            of = _named(request, "name", tag.kind_id)
            actions.tag_make_synonym(tag=tag, of=of, by=by)
            done = f"“{tag}” is now a synonym of “{of}”."
        elif verb == "parent":
            parent = _named(request, "name", request.POST.get("kind", tag.kind_id))
            actions.tag_set_parent(tag=tag, parent=parent, by=by)
            done = f"“{tag}” is now under “{parent}”."
        elif verb == "unparent":
            actions.tag_set_parent(tag=tag, parent=None, by=by)
            done = f"“{tag}” has no parent now."
        elif verb == "merge":
            into = _named(request, "name", tag.kind_id)
            moved = tag_merge(tag=tag, into=into, by=by)
            done = f"“{tag}” is merged into “{into}” ({moved} stories moved)."
        elif verb == "rename":
            before = tag.name
            actions.tag_rename(tag=tag, name=request.POST.get("name", ""), by=by)
            done = f"“{before}” is now “{tag}”."
        else:
            raise Http404("No such wrangling.")
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done)
    return redirect("stories:wrangle-tag", tag.pk)
