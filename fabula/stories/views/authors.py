"""Members as readers meet them: the list of authors, an author's profile page (every pseud's
work), a pseud's page (the work signed with it) and the stories given to them (their Gifts
page)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from fabula.accounts.models import Pseud, User
from fabula.lib.serving import served
from fabula.stories.listing.browsing import authors_with_counts
from fabula.stories.listing.cards import make_cards
from fabula.stories.listing.pages import LIST_PARAMETERS, PAGE_PARAMETERS, paged, story_page
from fabula.stories.permissions import (
    credited_stories,
    gifts_received,
    is_moderator,
    listed_stories,
    unlisted_stories_of,
)


@served(*PAGE_PARAMETERS)
def author_list(request) -> HttpResponse:
    return render(
        request,
        "stories/authors/author_list.html",
        paged(request.GET, authors_with_counts(listed_stories(request.user))),
    )


@served(*LIST_PARAMETERS)
def author_detail(request, user_id: int) -> HttpResponse:
    author = get_object_or_404(User, pk=user_id)
    return _author_page(request, author, None)


@served(*LIST_PARAMETERS)
def pseud_detail(request, user_id: int, pseud_id: int) -> HttpResponse:
    pseud = get_object_or_404(Pseud.objects.select_related("user"), pk=pseud_id, user_id=user_id)
    return _author_page(request, pseud.user, pseud)


def _author_page(request, author: User, pseud: Pseud | None) -> HttpResponse:
    """An account's page (`pseud` None: all its work) or one pseud's (the work it signs)."""
    viewer = request.user
    # Drafts and work awaiting validation are shown to their author and to moderators only.
    own_or_staff = is_moderator(viewer) or (viewer.is_authenticated and viewer.pk == author.pk)
    return render(
        request,
        "stories/authors/author_detail.html",
        {
            "author": author,
            "pseud": pseud,
            "pseuds": list(author.pseuds.all()),
            "is_self": viewer.is_authenticated and viewer.pk == author.pk,
            "listing": story_page(
                request,
                lambda listed: credited_stories(viewer, listed, author, pseud),
                default_sort="updated",
            ),
            "unlisted": make_cards(
                unlisted_stories_of(author).filter(
                    **({"credits__pseud": pseud} if pseud is not None else {})
                )
            )
            if own_or_staff
            else [],
            "series": list(author.series.order_by("title")) if pseud is None else [],
        },
    )


@served(*PAGE_PARAMETERS)
def author_gifts(request, user_id: int) -> HttpResponse:
    """The stories given to a member that this reader may see; the member may refuse each."""
    member = get_object_or_404(User, pk=user_id)
    gifts = paged(request.GET, gifts_received(request.user, member))
    cards = {card.story.pk: card for card in make_cards([g.story for g in gifts["page"]])}
    return render(
        request,
        "stories/authors/gifts.html",
        {
            **gifts,
            "member": member,
            "is_self": request.user.is_authenticated and request.user.pk == member.pk,
            "gifts": [(gift, cards[gift.story_id]) for gift in gifts["page"]],
        },
    )
