"""Members as readers meet them: the list of authors, an author's profile page and the
stories given to them (their Gifts page)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from fabula.accounts.models import User
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
    viewer = request.user
    # Drafts and work awaiting validation are shown to their author and to moderators only.
    own_or_staff = is_moderator(viewer) or (viewer.is_authenticated and viewer.pk == author.pk)
    return render(
        request,
        "stories/authors/author_detail.html",
        {
            "author": author,
            "is_self": viewer.is_authenticated and viewer.pk == author.pk,
            "listing": story_page(
                request,
                lambda listed: credited_stories(viewer, listed, author),
                default_sort="updated",
            ),
            "unlisted": make_cards(unlisted_stories_of(author)) if own_or_staff else [],
            "series": list(author.series.order_by("title")),
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
