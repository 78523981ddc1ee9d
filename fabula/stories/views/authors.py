"""Members as readers meet them: the list of authors and an author's profile page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from fabula.accounts.models import User
from fabula.lib.serving import served
from fabula.stories.listing.browsing import authors_with_counts
from fabula.stories.listing.cards import make_cards
from fabula.stories.listing.pages import LIST_PARAMETERS, PAGE_PARAMETERS, paged, story_page
from fabula.stories.permissions import is_moderator, listed_stories, unlisted_stories_of


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
                request, lambda listed: listed.filter(credits__user=author), default_sort="updated"
            ),
            "unlisted": make_cards(unlisted_stories_of(author)) if own_or_staff else [],
            "series": list(author.series.order_by("title")),
        },
    )
